// The adoption map as a contractor reads it: what the sources cover, said on the home page and the
// map; a prefecture the sources say nothing about drawn and labelled 資料なし, not 導入 0.
import { describe, expect, inject, it } from "vitest";
import { usePhonePage } from "./chromium.ts";

const base = inject("baseUrl");
const phone = usePhonePage();

describe("the adoption map", () => {
  it.each(["/", "/map/"])("%s says what the sources cover", async (path) => {
    await phone.page.goto(`${base}${path}`);
    const coverage = (await phone.page.locator("[data-coverage]").first().textContent()) ?? "";
    expect(coverage).toContain("西日本建設業保証");
    expect(coverage).toContain("十数団体");
    expect(coverage).toContain("導入していないとは限りません");
  });
  it("labels and hatches a prefecture without sources as 資料なし (青森県), a sourced one with its count (鹿児島県)", async () => {
    await phone.page.goto(`${base}/map/`);
    const aomori = phone.page.locator('a[aria-label^="青森県"]').first();
    expect(await aomori.getAttribute("aria-label")).toContain("資料なし");
    expect(await aomori.locator("path").getAttribute("data-shade")).toBe("none");
    expect(await aomori.locator("path").getAttribute("fill")).toMatch(/^url\(#/);
    const kagoshima = phone.page.locator('a[aria-label^="鹿児島県"]').first();
    expect(await kagoshima.getAttribute("aria-label")).toMatch(/導入 \d+ 団体/);
    expect(await phone.page.locator(".legend").textContent()).toContain("資料なし");
    // The table says it too.
    await phone.page.locator(".map-table summary").click();
    const row = phone.page.locator(".map-table tr", { hasText: "青森県" });
    expect(await row.textContent()).toContain("資料なし");
  });
});
