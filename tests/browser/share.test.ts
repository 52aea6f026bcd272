// Share cards as a chat app finds them: the home page, a prefecture page and an adopted agency's
// page carry Open Graph and Twitter meta, and the image they name is a small 1200×630 PNG. Pages
// without a card of their own (an agency no source speaks of) carry none.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser.close();
});

/** The page's meta: property= (Open Graph) and name= (Twitter) together. */
async function metaOf(path: string): Promise<Record<string, string>> {
  await page.goto(`${base}${path}`);
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll("meta[property], meta[name]")].map((m) => [
        m.getAttribute("property") ?? m.getAttribute("name") ?? "",
        m.getAttribute("content") ?? "",
      ]),
    ),
  );
}

describe("share cards", () => {
  it.each([
    ["/", "/og/home/home.png", "導入済みの発注者"],
    ["/prefectures/46/", "/og/prefecture/46.png", "鹿児島県"],
    ["/agencies/462161/", "/og/agency/462161.png", "日置市の電子保証: 導入済み、開始日 令和7年（2025年）6月1日、基準 入札公告日"],
  ])("%s carries Open Graph and Twitter meta, its image a 1200×630 PNG ≤ 60 KB", async (path, image, alt) => {
    const meta = await metaOf(path);
    expect(meta).toMatchObject({
      "og:type": "website",
      "og:site_name": "電子保証ガイド",
      "og:locale": "ja_JP",
      "og:title": await page.title().then((t) => t.replace(/ \| 電子保証ガイド$/, "")),
      "og:description": meta["description"],
      "og:image:type": "image/png",
      "og:image:width": "1200",
      "og:image:height": "630",
      "twitter:card": "summary_large_image",
    });
    expect(meta["og:image:alt"]).toContain(alt);
    // Absolute URLs (the build's origin without SITE_URL), naming this page and its card.
    const url = new URL(meta["og:url"] ?? "");
    const imageUrl = new URL(meta["og:image"] ?? "");
    expect(url.pathname).toBe(path);
    expect(imageUrl.pathname).toBe(image);
    expect(imageUrl.origin).toBe(url.origin);

    const res = await fetch(`${base}${imageUrl.pathname}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.length).toBeLessThanOrEqual(60 * 1024);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
  });

  it("is absent from an agency page without sourced facts (札幌市), and its input file is not served", async () => {
    const meta = await metaOf("/agencies/011002/");
    expect(Object.keys(meta).filter((k) => k.startsWith("og:") || k.startsWith("twitter:"))).toEqual([]);
    expect((await fetch(`${base}/og/agency/011002.png`)).status).toBe(404);
    expect((await fetch(`${base}/og/cards.json`)).status).toBe(404);
  });

  it("is not in the service worker's lists", async () => {
    const sw = await (await fetch(`${base}/sw.js`)).text();
    const list = <T>(name: string): T[] => JSON.parse(new RegExp(`const ${name} = (\\[.*?\\]);`).exec(sw)?.[1] ?? "null");
    const packs = list<{ url: string; paths: string[] }>("PACKS");
    const listed = [...list<string>("CORE"), ...packs.map((p) => p.url), ...packs.flatMap((p) => p.paths)];
    expect(listed).toContain("/agencies/462161/");
    expect(listed.filter((p) => p.startsWith("/og/"))).toEqual([]);
  });
});
