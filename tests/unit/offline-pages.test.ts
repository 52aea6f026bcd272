// The offline pages' substitution (site/sw/substitute.js): the service worker fills placeholders
// with escaped values, and that must be exactly what Astro writes when it renders the same values.
// Equality with the real built pages is checked by the build itself and by tests/browser/offline-pages.test.ts.
import { experimental_AstroContainer as AstroContainer } from "astro/container";
import { addAttribute, createComponent, escapeHTML, render } from "astro/runtime/server/index.js";
import { describe, expect, it } from "vitest";
import {
  type AgencyFields,
  escapeAttribute,
  escapeText,
  fillTemplate,
  type OfflineTable,
  offlinePage,
  placeholder,
} from "../../site/sw/substitute.js";

const HOSTILE = [
  "<script>alert(1)</script>",
  `"&'`,
  "a&amp;b", // already looks escaped: must be escaped again, as Astro does
  "$& $1 $$ $'", // String.replace patterns: must come out literally
  placeholder("name"), // a value that looks like a placeholder is not filled again
  "札幌市",
  'https://example.jp/?a=1&b="2"',
];

/** A page fragment written like the agency page: a field in the title, in an attribute, in text and in an href. */
const Fragment = createComponent(
  (_result: unknown, props: { name: string; website: string }) =>
    render`<title>${props.name}の電子保証</title><meta name="description"${addAttribute(`${props.name}の導入は…`, "content")}><h1>${props.name}</h1><a${addAttribute(props.website, "href")}>${props.name}の公式サイト</a>`,
);

describe("offline page substitution", () => {
  it('escapes like Astro: text with escapeHTML, attribute values with only & and "', () => {
    for (const value of HOSTILE) {
      expect(escapeText(value)).toBe(escapeHTML(value));
      expect(` href="${escapeAttribute(value)}"`).toBe(String(addAttribute(value, "href")));
    }
    expect(escapeText(`<script>"&'`)).toBe("&lt;script&gt;&quot;&amp;&#39;");
    expect(escapeAttribute(`<script>"&'`)).toBe("<script>&quot;&amp;'");
  });

  it("fills a template Astro rendered with placeholders exactly as Astro renders the real values", async () => {
    const container = await AstroContainer.create();
    const template = await container.renderToString(Fragment, { props: { name: placeholder("name"), website: placeholder("website") } });
    // The placeholder's apostrophe shows where it stood: escaped in text, kept in the attribute.
    expect(template).toContain("__DH_name&#39;__");
    expect(template).toContain(`content="__DH_name'__の導入は…"`);
    for (const name of HOSTILE)
      for (const website of HOSTILE) {
        const expected = await container.renderToString(Fragment, { props: { name, website } });
        expect(fillTemplate(template, { name, website })).toBe(expected);
      }
  });

  it("refuses to fill a placeholder it has no value for", () => {
    expect(() => fillTemplate("<p>__DH_name&#39;__</p>", {})).toThrow(/name/);
    expect(() => fillTemplate("<p>__DH_website&#39;__</p>", { website: null })).toThrow(/website/);
    // Astro writes an empty attribute value as a bare name, which a substitution cannot reproduce.
    expect(() => fillTemplate(`<a href="__DH_website'__">`, { website: "" })).toThrow(/website/);
    expect(() => fillTemplate("<p>__DH_toString&#39;__</p>", {})).toThrow(/toString/);
  });

  it("builds a page from the table's columns, and only for agencies in the table", () => {
    const table: OfflineTable = {
      format: 1,
      variants: ["in-prefecture-site", "prefecture"],
      kinds: ["市", "都道府県"],
      prefectures: [["北海道", "/prefectures/01/"]],
      agencies: {
        id: ["010006", "011002"],
        variant: [1, 0],
        kind: [1, 0],
        prefecture: [0, 0],
        name: ["北海道", `<b>"札幌&市'</b>`],
        kana: ["ほっかいどう", "さっぽろし"],
        website: [null, "https://www.city.sapporo.jp/?a&b"],
      },
      templates: {
        "in-prefecture-site": `<h1>__DH_name&#39;__</h1><span>__DH_kindLabel&#39;__</span><a href="__DH_prefecturePath'__">__DH_prefectureName&#39;__</a><a href="__DH_website'__" title="__DH_name'__">`,
        prefecture: "<h1>__DH_name&#39;__</h1><p>__DH_kana&#39;__ __DH_kindLabel&#39;__</p>",
      },
    };
    expect(offlinePage(table, "011002")).toBe(
      `<h1>&lt;b&gt;&quot;札幌&amp;市&#39;&lt;/b&gt;</h1><span>市</span><a href="/prefectures/01/">北海道</a><a href="https://www.city.sapporo.jp/?a&amp;b" title="<b>&quot;札幌&amp;市'</b>">`,
    );
    expect(offlinePage(table, "010006")).toBe("<h1>北海道</h1><p>ほっかいどう 都道府県</p>");
    expect(offlinePage(table, "462161")).toBeNull();
    const fields: AgencyFields = {
      id: "x",
      name: "n",
      kana: "k",
      kindLabel: "市",
      prefectureName: null,
      prefecturePath: null,
      website: null,
    };
    expect(fillTemplate("__DH_id&#39;__/__DH_name'__", fields)).toBe("x/n");
  });
});
