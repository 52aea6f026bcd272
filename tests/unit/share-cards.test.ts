// Share cards (Open Graph images): the facts on them, the font covering every character they
// show, and real renders of 日置市's and 鹿児島県's cards with BIZ UDPGothic: a PNG of 1200×630 within
// the size budget, lossless against resvg's pixels, with the name actually drawn.
import { readFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { create } from "fontkit";
import { beforeAll, describe, expect, it } from "vitest";
import adoptions from "../../content/adoptions.json" with { type: "json" };
import bodies from "../../content/bodies.json" with { type: "json" };
import municipalities from "../../content/municipalities.json" with { type: "json" };
import prefectures from "../../content/prefectures.json" with { type: "json" };
import sources from "../../content/sources.json" with { type: "json" };
import { buildAgencies } from "../../edge/domain/agency.ts";
import { Adoption, Body, Municipality, Prefecture, SourceDocument } from "../../edge/domain/content-schema.ts";
import { pdfFontSources } from "../../site/integrations/pdf-font.ts";
import { isPrecached } from "../../site/integrations/service-worker.ts";
import { type CardRenderer, cardPng, cardRenderer } from "../../site/integrations/share-cards.ts";
import {
  type AgencyCard,
  CARD_HEIGHT,
  CARD_MAX_BYTES,
  CARD_WIDTH,
  type CardNode,
  cardNode,
  type PrefectureCard,
  type ShareCard,
  shareCards,
  shareImageAlt,
  shareImagePath,
} from "../../site/lib/share-card.ts";

const prefectureRows = Prefecture.array().parse(prefectures);
const agencies = buildAgencies(
  {
    prefectures: prefectureRows,
    municipalities: Municipality.array().parse(municipalities),
    bodies: Body.array().parse(bodies),
    adoptions: Adoption.array().parse(adoptions),
    sources: SourceDocument.array().parse(sources),
  },
  "2026-11-21",
);
const cards = shareCards({ agencies, prefectures: prefectureRows, builtOn: "2026-11-21" });
const card = <K extends ShareCard["kind"]>(kind: K, id: string) =>
  cards.find((c) => c.kind === kind && c.id === id) as Extract<ShareCard, { kind: K }>;

/** Every string a card's element tree draws. */
function texts(node: CardNode | string): string[] {
  if (typeof node === "string") return [node];
  const children = node.props.children;
  if (children === undefined) return [];
  return (Array.isArray(children) ? children : [children]).flatMap(texts);
}

/** Width, height, bit depth and colour type from a PNG's IHDR. */
function pngHeader(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), depth: png[24], colourType: png[25] };
}

/** The PNG decoded by another decoder (resvg's, through an <image>): RGBA pixels. */
function decode(png: Buffer): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}"><image width="${CARD_WIDTH}" height="${CARD_HEIGHT}" href="data:image/png;base64,${png.toString("base64")}"/></svg>`;
  return new Resvg(svg, { font: { loadSystemFonts: false } }).render().pixels;
}

/** Pixels in rows [top, bottom) darker than the card's muted grey: ink (names, figures), not background. */
function inkPixels(rgba: Buffer, top: number, bottom: number): number {
  let n = 0;
  for (let p = top * CARD_WIDTH; p < bottom * CARD_WIDTH; p++) {
    const i = p * 4;
    if ((rgba[i] ?? 255) + (rgba[i + 1] ?? 255) + (rgba[i + 2] ?? 255) < 3 * 90) n++;
  }
  return n;
}

describe("the cards' facts", () => {
  it("are one for the home page, 47 prefectures and each adopted or scheduled agency", () => {
    const listed = agencies.filter((a) => a.adoption.status === "adopted" || a.adoption.status === "scheduled");
    expect(cards.filter((c) => c.kind === "home")).toHaveLength(1);
    expect(cards.filter((c) => c.kind === "prefecture")).toHaveLength(47);
    expect(cards.filter((c) => c.kind === "agency").map((c) => c.id)).toEqual(listed.map((a) => a.id));
    expect(new Set(cards.map(shareImagePath)).size).toBe(cards.length);
  });
  it("say 日置市's status, start (令和 with the western year) and rule as its page does", () => {
    expect(card("agency", "462161")).toEqual({
      kind: "agency",
      id: "462161",
      name: "日置市",
      context: "鹿児島県",
      status: "adopted",
      start: "令和7年（2025年）6月1日",
      basis: "入札公告日",
    } satisfies AgencyCard);
    expect(shareImageAlt(card("agency", "462161"))).toBe("日置市の電子保証: 導入済み、開始日 令和7年（2025年）6月1日、基準 入札公告日");
  });
  it("give the month alone where the source gives only the month, and 記載なし where it gives no date or rule", () => {
    expect(card("agency", "450006")).toMatchObject({
      name: "宮崎県",
      context: "都道府県",
      start: "令和5年（2023年）4月",
      basis: "記載なし",
    });
    expect(card("agency", "jrtt")).toMatchObject({ context: "独立行政法人等", start: "記載なし", basis: "記載なし" });
  });
  it("count a prefecture's adopting agencies as the map does, 資料なし where no source speaks of it", () => {
    const kagoshima = card("prefecture", "46");
    const here = agencies.filter((a) => a.prefectureCode === 46);
    expect(kagoshima.adopted).toBe(here.filter((a) => a.adoption.status === "adopted").length);
    expect(kagoshima.adopted).toBeGreaterThan(0);
    // Every prefecture has a source now (issue 9): take 青森県's away to see 資料なし.
    const unsourced = agencies.map((a) =>
      a.prefectureCode === 2 ? { ...a, adoption: { ...a.adoption, status: "unknown" as const }, sources: [] } : a,
    );
    const aomori = shareCards({ agencies: unsourced, prefectures: prefectureRows, builtOn: "2026-11-21" }).find(
      (c) => c.kind === "prefecture" && c.id === "02",
    ) as Extract<ShareCard, { kind: "prefecture" }>;
    expect(aomori).toMatchObject({ name: "青森県", adopted: null } satisfies Partial<PrefectureCard>);
    expect(shareImageAlt(aomori)).toContain("資料なし");
    expect(card("prefecture", "02").adopted).toBe(agencies.filter((a) => a.prefectureCode === 2 && a.adoption.status === "adopted").length);
  });
  it("count the adopting agencies on the home card", () => {
    expect(card("home", "home").adopted).toBe(agencies.filter((a) => a.adoption.status === "adopted").length);
  });
  it("are never precached by the service worker", () => {
    for (const c of cards.slice(0, 3)) expect(isPrecached(shareImagePath(c))).toBe(false);
    expect(isPrecached("/og/cards.json")).toBe(false);
    expect(isPrecached("/agencies/462161/")).toBe(true);
  });
});

describe("drawn with satori and resvg in BIZ UDPGothic", () => {
  let renderer: CardRenderer;
  beforeAll(async () => {
    renderer = await cardRenderer();
  });

  it("has a glyph for every character any card shows (no tofu)", () => {
    const font = create(readFileSync(pdfFontSources().font));
    if (!("hasGlyphForCodePoint" in font)) throw new Error("expected a single font, not a collection");
    const missing = new Set<string>();
    for (const c of cards)
      for (const text of texts(cardNode(c))) for (const ch of text) if (!font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0)) missing.add(ch);
    expect([...missing]).toEqual([]);
  });

  it.each([
    ["agency", "462161", "日置市", [170, 300]],
    ["prefecture", "46", "鹿児島県", [140, 290]],
  ] as const)("renders the %s card %s (%s): 1200×630 PNG ≤ 60 KB, lossless, the name drawn", async (kind, id, name, [top, bottom]) => {
    const c = card(kind, id);
    const svg = await renderer.svg(c);
    // Text becomes glyph outlines (a path per line of text): the SVG holds no text and needs no font.
    expect(svg).not.toContain("<text");
    expect(svg).not.toContain(name);
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThanOrEqual(texts(cardNode(c)).length);

    const image = await renderer.raster(svg);
    const png = await cardPng(image);
    expect(pngHeader(png)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT, depth: 8, colourType: 3 }); // indexed colour
    expect(png.length).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(png.length).toBeGreaterThan(5_000); // not a blank image

    const pixels = decode(png);
    expect(pixels.equals(image.pixels)).toBe(true);
    // The name: ink in its band, and hardly any there once it is a blank of the same height (U+3000).
    expect(inkPixels(pixels, top, bottom)).toBeGreaterThan(3_000);
    const nameless = (await renderer.raster(await renderer.svg({ ...c, name: "\u3000" }))).pixels;
    expect(inkPixels(nameless, top, bottom)).toBeLessThan(inkPixels(pixels, top, bottom) / 10);
  });
});
