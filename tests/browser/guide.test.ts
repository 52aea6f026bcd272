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
    const box = page.getByRole("searchbox");
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
    expect(text).toMatch(/001_0b938be883b26a85|令和7年5月1日/);
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
    expect(scripts).toEqual([""]); // only the inline service-worker registration
  });
  it("says 'no information', not 'no', for an agency the seeds do not mention", async () => {
    await page.goto(`${base}/agencies/011002/`);
    expect(await page.locator("main").textContent()).toContain("情報なし");
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
