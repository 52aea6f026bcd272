// The adoption map as a contractor reads it: what the sources cover, said on the home page and the
// map; a prefecture the sources say nothing about drawn and labelled 資料なし, not 導入 0.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ locale: "ja-JP", viewport: { width: 390, height: 844 } });
});
afterAll(async () => {
  await browser.close();
});

describe("the adoption map", () => {
  it.each(["/", "/map/"])("%s says what the sources cover", async (path) => {
    await page.goto(`${base}${path}`);
    const coverage = (await page.locator("[data-coverage]").first().textContent()) ?? "";
    expect(coverage).toContain("西日本建設業保証");
    expect(coverage).toContain("十数団体");
    expect(coverage).toContain("導入していないとは限りません");
  });
  it("labels and hatches a prefecture without sources as 資料なし (青森県), a sourced one with its count (鹿児島県)", async () => {
    await page.goto(`${base}/map/`);
    const aomori = page.locator('a[aria-label^="青森県"]').first();
    expect(await aomori.getAttribute("aria-label")).toContain("資料なし");
    expect(await aomori.locator("path").getAttribute("data-shade")).toBe("none");
    expect(await aomori.locator("path").getAttribute("fill")).toMatch(/^url\(#/);
    const kagoshima = page.locator('a[aria-label^="鹿児島県"]').first();
    expect(await kagoshima.getAttribute("aria-label")).toMatch(/導入 \d+ 団体/);
    expect(await page.locator(".legend").textContent()).toContain("資料なし");
    // The table says it too.
    await page.locator(".map-table summary").click();
    const row = page.locator(".map-table tr", { hasText: "青森県" });
    expect(await row.textContent()).toContain("資料なし");
  });
});
