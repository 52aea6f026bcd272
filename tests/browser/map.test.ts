// The adoption map as a contractor reads it: what the sources cover, said on the home page and the
// map; every prefecture with its count (a prefecture without sources would be 資料なし, not 導入 0).
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
    expect(coverage).toMatch(/\d+件の公開ページ/);
    expect(coverage).toContain("導入していないとは限りません");
  });
  it("labels every prefecture with its count now that each has a source, and still explains 資料なし (鹿児島県, 青森県)", async () => {
    await phone.page.goto(`${base}/map/`);
    // Since issue 9 no prefecture is without a source; the hatch itself is unit-tested (prefecture-map.test.ts).
    expect(await phone.page.locator('[data-shade="none"]').count()).toBe(0);
    for (const name of ["鹿児島県", "青森県"]) {
      const region = phone.page.locator(`a[aria-label^="${name}"]`).first();
      expect(await region.getAttribute("aria-label")).toMatch(/導入 \d+ 団体/);
    }
    expect(await phone.page.locator(".legend").textContent()).toContain("資料なし");
    await phone.page.locator(".map-table summary").click();
    const row = phone.page.locator(".map-table tr", { hasText: "青森県" });
    expect(await row.textContent()).not.toContain("資料なし");
  });
});
