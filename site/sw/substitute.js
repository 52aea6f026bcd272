// Builds the page of an agency the sources say nothing about ("unknown") from a template and a
// few fields, so the offline guide covers all of them without downloading each page.
// One pure module, three users: the service worker (the build inlines this file into sw.js,
// dropping the `export`s, so keep it free of imports and of `export default`), the build's check
// that every synthesized page equals the built one (site/integrations/service-worker.ts), and
// the tests. Types: substitute.d.ts.

/** The table of unknown agencies plus their page templates; the service worker caches it in its core. */
export const OFFLINE_TABLE_PATH = "/offline-agencies.json";

/** Templates are built as /agencies/{prefix}{variant}/, from the agency page itself, then folded into the table and deleted. */
export const TEMPLATE_PAGE_PREFIX = "_offline-template-";

/**
 * The placeholder a template shows for a field. The apostrophe is deliberate: Astro escapes it to
 * &#39; in text but leaves it alone in attribute values, so each placeholder in the rendered
 * template records which of Astro's two escapings the real value needs there.
 */
export function placeholder(field) {
  return `__DH_${field}'__`;
}

const PLACEHOLDER = /__DH_([A-Za-z]+)(?:(')|&#39;)__/g;
const TEXT_ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&quot;" };

/** Text content, as Astro's escapeHTML writes it. */
export function escapeText(value) {
  return value.replace(/[&<>'"]/g, (c) => TEXT_ENTITIES[c]);
}

/** A double-quoted attribute value, as Astro writes it: only & and " are escaped. */
export function escapeAttribute(value) {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}

/** The template with every placeholder replaced by its field, escaped for where it stands. */
export function fillTemplate(template, fields) {
  return template.replace(PLACEHOLDER, (_match, field, attribute) => {
    const value = Object.hasOwn(fields, field) ? fields[field] : null;
    // A missing value means the template and the table disagree: better no page than a wrong one.
    if (typeof value !== "string" || value === "") throw new Error(`offline page: no value for ${field}`);
    return attribute === undefined ? escapeText(value) : escapeAttribute(value);
  });
}

/** The fields of the agency at `index` in the table's columns. */
export function agencyFields(table, index) {
  const a = table.agencies;
  const prefecture = table.prefectures[a.prefecture[index]];
  return {
    id: a.id[index],
    name: a.name[index],
    kana: a.kana[index],
    kindLabel: table.kinds[a.kind[index]],
    prefectureName: prefecture === undefined ? null : prefecture[0],
    prefecturePath: prefecture === undefined ? null : prefecture[1],
    website: a.website[index],
  };
}

/** The HTML of agency `id`'s page, or null when the table does not cover it. */
export function offlinePage(table, id) {
  const index = table.agencies.id.indexOf(id);
  if (index < 0) return null;
  const template = table.templates[table.variants[table.agencies.variant[index]]];
  if (typeof template !== "string") return null;
  return fillTemplate(template, agencyFields(table, index));
}
