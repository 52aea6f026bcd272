// What an agency page shows about the agency itself, as a few flat fields. For an agency the
// sources say nothing about ("unknown", 1,530 of 1,896) these fields are ALL that differs from one
// page to the next, so the service worker can build those pages offline from a template and a
// small table instead of downloading each one (site/sw/substitute.js). The page, its templates and
// the table all go through this module, and the build checks every synthesized page against the
// built one (site/integrations/service-worker.ts).
import { getCollection } from "astro:content";
import { type Agency, agencyPath } from "../../edge/domain/agency.ts";
import type { AdoptionStatus } from "../../edge/domain/terms.ts";
import { type AgencyFields, type OfflineTable, placeholder, TEMPLATE_PAGE_PREFIX } from "../sw/substitute.js";

export interface AgencyView extends AgencyFields {
  /** The page path, for the last breadcrumb (which Base renders as text, so it never reaches the HTML). */
  url: string;
  status: AdoptionStatus;
  /** Whether the breadcrumbs go through the prefecture (every agency in a prefecture but the prefecture itself). */
  prefectureCrumb: boolean;
  /** When the public material was last searched in vain for this agency (content/searches.json), or null. */
  searchedOn: string | null;
}

/**
 * The page shapes an unknown agency can take: the markup differs only in which of the optional
 * parts are there (prefecture link, breadcrumb through the prefecture, official website link).
 * Anything else (e.g. a prefecture with a website) has no template and is precached as a file.
 */
export const OFFLINE_VARIANTS = ["in-prefecture-site", "in-prefecture", "prefecture", "nationwide"] as const;
export type OfflineVariant = (typeof OFFLINE_VARIANTS)[number];

const SHAPES: Record<OfflineVariant, { prefecture: boolean; prefectureCrumb: boolean; website: boolean }> = {
  "in-prefecture-site": { prefecture: true, prefectureCrumb: true, website: true },
  "in-prefecture": { prefecture: true, prefectureCrumb: true, website: false },
  prefecture: { prefecture: true, prefectureCrumb: false, website: false },
  nationwide: { prefecture: false, prefectureCrumb: false, website: false },
};

export const templatePageId = (variant: OfflineVariant): string => `${TEMPLATE_PAGE_PREFIX}${variant}`;

let websites: Promise<Map<string, string>> | undefined;

/** Official websites by municipality code (localgovjp); other agencies have none in the content. */
export function municipalWebsites(): Promise<Map<string, string>> {
  websites ??= getCollection("municipalities").then(
    (entries) => new Map(entries.flatMap((m) => (m.data.url === null ? [] : [[m.data.code, m.data.url] as const]))),
  );
  return websites;
}

export function agencyView(agency: Agency, websites: ReadonlyMap<string, string>): AgencyView {
  const municipal = agency.kind === "city" || agency.kind === "special_ward" || agency.kind === "town" || agency.kind === "village";
  const prefecturePath = agency.prefectureCode === null ? null : `/prefectures/${String(agency.prefectureCode).padStart(2, "0")}/`;
  // The page links the prefecture only when it has both a page and a name.
  const inPrefecture = prefecturePath !== null && agency.prefecture !== null;
  return {
    id: agency.id,
    url: agency.url,
    name: agency.name,
    kana: agency.kana,
    kindLabel: agency.kindLabel,
    status: agency.adoption.status,
    prefectureName: inPrefecture ? agency.prefecture : null,
    prefecturePath: inPrefecture ? prefecturePath : null,
    prefectureCrumb: inPrefecture && agency.kind !== "prefecture",
    website: municipal ? (websites.get(agency.id) ?? null) : null,
    searchedOn: agency.adoption.searchedOn,
  };
}

/** The view a template page renders: placeholders for the fields, the shape of its variant. */
export function templateView(variant: OfflineVariant): AgencyView {
  const shape = SHAPES[variant];
  return {
    id: placeholder("id"),
    url: agencyPath(placeholder("id")),
    name: placeholder("name"),
    kana: placeholder("kana"),
    kindLabel: placeholder("kindLabel"),
    status: "unknown",
    prefectureName: shape.prefecture ? placeholder("prefectureName") : null,
    prefecturePath: shape.prefecture ? placeholder("prefecturePath") : null,
    prefectureCrumb: shape.prefectureCrumb,
    website: shape.website ? placeholder("website") : null,
    searchedOn: null,
  };
}

/** The template an unknown agency's page can be built from, or null when it must be precached as a file. */
export function offlineVariant(view: AgencyView): OfflineVariant | null {
  // A searched agency's page says when: one of a kind, precached as a file.
  if (view.status !== "unknown" || view.searchedOn !== null) return null;
  // Astro writes an empty attribute as a bare name (href, not href=""): leave such oddities to real files.
  const values = [view.name, view.kana, view.kindLabel, view.prefectureName, view.prefecturePath, view.website];
  if (values.some((v) => v === "")) return null;
  const variant = OFFLINE_VARIANTS.find((v) => {
    const shape = SHAPES[v];
    return (
      shape.prefecture === (view.prefectureName !== null) &&
      shape.prefectureCrumb === view.prefectureCrumb &&
      shape.website === (view.website !== null)
    );
  });
  return variant ?? null;
}

/** The table of every unknown agency that has a template; the build adds the templates themselves. */
export function encodeOfflineTable(views: readonly AgencyView[]): OfflineTable {
  const table: OfflineTable = {
    format: 1,
    variants: [],
    kinds: [],
    prefectures: [],
    agencies: { id: [], variant: [], kind: [], prefecture: [], name: [], kana: [], website: [] },
    templates: {},
  };
  const indexOf = <T>(list: T[], key: (item: T) => string, item: T): number => {
    const i = list.findIndex((x) => key(x) === key(item));
    return i >= 0 ? i : list.push(item) - 1;
  };
  for (const view of views) {
    const variant = offlineVariant(view);
    if (variant === null) continue;
    const a = table.agencies;
    a.id.push(view.id);
    a.variant.push(indexOf(table.variants, (v) => v, variant));
    a.kind.push(indexOf(table.kinds, (k) => k, view.kindLabel));
    a.prefecture.push(
      view.prefectureName === null || view.prefecturePath === null
        ? -1
        : indexOf(table.prefectures, ([name, path]) => `${name}\n${path}`, [view.prefectureName, view.prefecturePath]),
    );
    a.name.push(view.name);
    a.kana.push(view.kana);
    a.website.push(view.website);
  }
  return table;
}
