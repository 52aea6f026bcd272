// The public guide as a contractor uses it: search by kana, open an agency, run the checker.
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

describe("search", () => {
  it.each(["ひおき", "ヒオキ", "ﾋｵｷ", "hioki"])("finds 日置市 first for %s as you type", async (q) => {
    await page.goto(`${base}/agencies/`);
    const box = page.getByRole("combobox", { name: "発注者の名前・読み" });
    await box.fill("");
    await box.pressSequentially(q, { delay: 20 });
    const first = page.locator("[data-results] a").first();
    await expect.poll(() => first.textContent()).toContain("日置市");
  });
  it("takes the query from the home page's form (?q=)", async () => {
    await page.goto(`${base}/agencies/?q=${encodeURIComponent("島根県")}`);
    await expect.poll(() => page.locator("[data-results] a").first().textContent()).toContain("島根県");
  });
});

describe("an agency page", () => {
  it("shows the rule with its sources and runs no script beyond the service worker", async () => {
    await page.goto(`${base}/agencies/?q=hioki`);
    await page.locator("[data-results] a").first().click();
    await page.waitForURL(/\/agencies\/462161\/$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("日置市");
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("令和7年（2025年）6月1日");
    expect(text).toContain("入札公告日");
    expect(text).toContain("令和7年（2025年）5月1日"); // the source's 資料の時点
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
    expect(scripts).toEqual([""]); // only the inline service-worker registration
  });
  it("says 'no information', not 'no', for an agency the seeds do not mention", async () => {
    await page.goto(`${base}/agencies/011002/`);
    expect(await page.locator("main").textContent()).toContain("情報なし");
  });
});

describe("sources a person can check, and the agency pages' marks", () => {
  it.each(["/", "/sources/", "/agencies/462161/", "/agencies/320005/"])("%s shows no internal file name", async (path) => {
    await page.goto(`${base}${path}`);
    expect(await page.locator("body").textContent()).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
  });
  it("日置市's page names its source by publisher, title and 資料の時点, links the publisher's page, and dates the status by it", async () => {
    await page.goto(`${base}/agencies/462161/`);
    const first = page.locator("[data-source]").first();
    const text = (await first.textContent()) ?? "";
    expect(text).toContain("西日本建設業保証株式会社 鹿児島支店");
    expect(text).toContain("【公共工事を受注される皆様へ】電子保証のご案内");
    expect(text).toMatch(/資料の時点\s*令和7年（2025年）5月1日/);
    expect(await first.getByRole("link", { name: /e-Net保証/ }).getAttribute("href")).toBe("https://www.wjcs.net/enet/enet.php");
    // Beside the status: the newest source's date (seed 003's table, 令和8年2月2日現在), not the build date.
    expect(await page.locator("[data-evidence-date]").textContent()).toMatch(/資料の時点\s*令和8年（2026年）2月2日/);
    expect(await page.locator("[data-page-updated]").textContent()).toContain("このページの更新日");
  });

  /** A scope table's cell by its row's work and its column's guarantee, as a person reads the table. */
  async function scopeCell(work: string, guarantee: string) {
    const headers = (await page.locator("table.scope thead th").allTextContents()).map((h) => h.trim());
    const column = headers.indexOf(guarantee);
    expect(column, guarantee).toBeGreaterThan(0);
    const row = page.locator("table.scope tbody tr").filter({ has: page.getByRole("rowheader", { name: work, exact: true }) });
    return row.locator("th, td").nth(column);
  }
  it("島根県: × for 契約保証 of 土木設計業務等委託 (建設コンサルタント業務), read as 対象外, with a legend", async () => {
    await page.goto(`${base}/agencies/320005/`);
    const cell = await scopeCell("建設コンサルタント業務", "契約保証");
    expect(((await cell.textContent()) ?? "").trim()).toMatch(/^×/);
    expect(await cell.ariaSnapshot()).toContain("対象外");
    expect(await cell.ariaSnapshot()).not.toContain("×");
    expect(((await (await scopeCell("建設コンサルタント業務", "前払金保証")).textContent()) ?? "").trim()).toMatch(/^○/);
    const legend = (await page.locator("#scope-legend").textContent()) ?? "";
    for (const mark of ["○", "×", "記載なし"]) expect(legend).toContain(mark);
  });
  it("日置市: 記載なし, not ×, for 測量, which its source does not state", async () => {
    await page.goto(`${base}/agencies/462161/`);
    for (const guarantee of ["前払金保証", "契約保証"]) {
      const cell = await scopeCell("測量", guarantee);
      expect(((await cell.textContent()) ?? "").trim()).toMatch(/^記載なし/);
      expect(await cell.ariaSnapshot()).toContain("資料に記載なし");
    }
    expect(await page.locator("table.scope").textContent()).not.toContain("×");
  });
});

describe("the eligibility checker", () => {
  async function check(fields: Record<string, string>) {
    await page.goto(`${base}/check/?agency=462161`);
    await page.getByLabel("保証の種類").selectOption({ label: "前払金保証" });
    await page.getByLabel("業務の種類").selectOption({ label: "工事" });
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: false }).fill(value);
    await page.getByRole("button", { name: /判定/ }).click();
    return page.locator("[data-result]");
  }
  it("says yes with the reason on or after 日置市's start", async () => {
    const result = await check({ 入札公告日: "2025-06-01" });
    await expect.poll(() => result.textContent()).toContain("対象です");
  });
  it("says no with the reason before it", async () => {
    const result = await check({ 入札公告日: "2025-05-31" });
    await expect.poll(() => result.textContent()).toContain("対象外");
    expect(await result.textContent()).toContain("入札公告日");
  });
  it("asks for the date the rule needs", async () => {
    await check({});
    await expect.poll(() => page.locator("[aria-invalid=true]").count()).toBeGreaterThan(0);
  });
  it("ends every verdict with the next step: 対象 says where the notice goes, 対象外 says paper", async () => {
    await check({ 入札公告日: "2025-06-01" });
    await expect.poll(() => page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("eligible");
    expect(await page.locator("[data-next-step]").textContent()).toContain("認証キー等のお知らせ");
    await check({ 入札公告日: "2025-05-31" });
    await expect.poll(() => page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("ineligible");
    expect(await page.locator("[data-next-step]").textContent()).toContain("書面の保証証書");
  });
  it("says 要確認 for 測量 at 日置市, whose source names 工事・建設コンサルタント等業務 only", async () => {
    await page.goto(`${base}/check/?agency=462161`);
    await page.getByLabel("保証の種類").selectOption({ label: "前払金保証" });
    await page.getByLabel("業務の種類").selectOption({ label: "測量" });
    await page.getByLabel("入札公告日", { exact: false }).fill("2025-07-01");
    await page.getByRole("button", { name: /判定/ }).click();
    await expect.poll(() => page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("uncertain");
    const result = (await page.locator("[data-result]").textContent()) ?? "";
    expect(result).toContain("要確認");
    expect(result).toContain("測量は記載がありません");
    expect(await page.locator("[data-next-step]").textContent()).toContain("契約担当課");
  });
  it("says 要確認, not 対象外, for 東京都, of which the sources say nothing", async () => {
    await page.goto(`${base}/check/?agency=130001`);
    await page.getByLabel("保証の種類").selectOption({ label: "前払金保証" });
    await page.getByLabel("業務の種類").selectOption({ label: "工事" });
    await page.getByLabel("契約締結日", { exact: false }).fill("2025-07-01");
    await page.getByRole("button", { name: /判定/ }).click();
    await expect.poll(() => page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("uncertain");
    expect(await page.locator("[data-result]").textContent()).toContain("導入していないとは限りません");
  });
});
