// After one visit the guide works without a network: search, agency and prefecture pages,
// the checker, FAQs and guides, and it says that it is offline.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The status line once the background fill is done. */
let ready = "";

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ locale: "ja-JP" });
  page = await context.newPage();
  await page.goto(`${base}/`);
  // The service worker caches the core at install and every other page in the background.
  await page.waitForFunction(() => document.getElementById("offline-status")?.dataset["state"] === "ready", null, { timeout: 180_000 });
  await page.waitForFunction(() => document.getElementById("offline-status")?.textContent?.includes("保存済み") === true, null, {
    timeout: 180_000,
  });
  ready = (await page.locator("#offline-status").getAttribute("data-agencies")) ?? "";
  await context.setOffline(true);
}, 240_000);
afterAll(async () => {
  await browser.close();
});

describe("offline, after one visit", () => {
  it.each([
    ["/agencies/", "発注者"],
    ["/agencies/462161/", "日置市"],
    ["/agencies/011002/", "札幌市"],
    ["/prefectures/46/", "鹿児島県"],
    ["/check/", "判定"],
    ["/faq/", "よくある質問"],
    ["/guide/", "ガイド"],
    ["/map/", "マップ"],
    ["/report/?agency=462161", "情報の訂正・追加"],
  ])("opens %s", async (path, heading) => {
    const res = await page.goto(`${base}${path}`);
    expect(res?.ok()).toBe(true);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(heading);
  });
  // Agencies the sources say nothing about are not downloaded: the worker builds their pages from a template.
  it.each([
    ["/agencies/012033/", "小樽市"],
    ["/agencies/473821/", "与那国町"],
  ])("opens %s, never downloaded, built from its template", async (path, name) => {
    const res = await page.goto(`${base}${path}`);
    expect(res?.ok()).toBe(true);
    expect(res?.headers()["x-offline-page"]).toBe("template");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(name);
    expect(await page.locator(".agency-meta .badge").textContent()).toBe("情報なし");
    expect(await page.title()).toBe(`${name}の電子保証 | 電子保証ガイド`);
    // Its inline script runs (under the same script policy as online) and says it is offline.
    await expect.poll(() => page.locator("#offline-status").getAttribute("data-state")).toBe("offline");
  });
  it("still searches by kana", async () => {
    await page.goto(`${base}/agencies/`);
    await page.getByRole("combobox", { name: "発注者の名前・読み" }).fill("ﾋｵｷ");
    await expect.poll(() => page.locator("[data-results] a").first().textContent()).toContain("日置市");
  });
  it("still runs the checker", async () => {
    await page.goto(`${base}/check/?agency=320005`);
    await page.getByLabel("保証の種類").selectOption({ label: "契約保証" });
    await page.getByLabel("業務の種類").selectOption({ label: "工事" });
    await page.getByLabel("契約締結日", { exact: false }).first().fill("2023-06-01");
    await page.getByRole("button", { name: /判定/ }).click();
    await expect.poll(() => page.locator("[data-result]").textContent()).toContain("対象です");
  });
  it("counts the agency pages it builds from templates as saved", () => {
    const agencies = Number(ready);
    expect(agencies).toBeGreaterThan(1800);
  });
  it("says that it is offline", async () => {
    await page.goto(`${base}/faq/`);
    await expect.poll(() => page.locator("#offline-status").textContent()).toContain("オフライン");
  });
});
