// Every form posts without JavaScript: login, the agency found on the server, a draft saved, a
// submit refused with the error beside its field and everything typed kept, fixed and submitted;
// then the desk rejects it with a reason (required, said beside the field).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fieldError, login } from "./app-pages.ts";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const noScript = { javaScriptEnabled: false, locale: "ja-JP", viewport: { width: 390, height: 844 } };
const project = `橋梁補修工事 スクリプトなし ${Date.now().toString(36)}`;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let applicationPath = "";

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext(noScript);
  page = await context.newPage();
});
afterAll(async () => {
  await browser.close();
});

const main = async (p: Page) => (await p.locator("main").textContent()) ?? "";

describe("the application without JavaScript", () => {
  it("a wrong password is said on the page; the right one logs in", async () => {
    await page.goto(`${base}/login/`);
    await page.getByLabel("メールアドレス").fill(demo.contractor.email);
    await page.getByLabel("パスワード").fill("not-the-password");
    await page.getByRole("button", { name: "ログイン" }).click();
    await page.waitForLoadState();
    expect(await page.locator("#error-summary").textContent()).toContain("メールアドレスまたはパスワードが正しくありません");
    expect(await page.getByLabel("メールアドレス").inputValue()).toBe(demo.contractor.email);
    await login(page, base, demo.contractor.email, demo.contractor.password);
    expect(new URL(page.url()).pathname).toBe("/app/");
  });

  it("finds the agency on the server and saves a draft, every value kept", async () => {
    await page.goto(`${base}/app/applications/new/`);
    await page.getByLabel("工事名").fill(project);
    await page.locator("#f-agencyQuery").fill("ひおき");
    await page.getByRole("button", { name: "候補を表示" }).click();
    await page.waitForLoadState();
    await page.getByRole("radio", { name: /日置市/ }).check();
    expect(await page.getByLabel("工事名").inputValue()).toBe(project);
    await page.getByLabel("被保証者").fill("日置市長　永山 由高");
    await page.getByLabel("工事場所").fill("鹿児島県日置市東市来町");
    await page.getByLabel("工事・業務の種類").selectOption("construction");
    await page.getByLabel("請負金額").fill("２０，０００，０００"); // full-width, as an IME types it
    await page.getByLabel("工期（自）").fill("2025-08-01");
    await page.getByLabel("工期（至）").fill("2026-02-27");
    await page.getByLabel("入札公告日").fill("2025-06-10");
    await page.getByLabel("契約締結日").fill("2025-07-15");
    await page.locator("#f-guarantees-contract-apply").check();
    await page.locator("#f-guarantees-contract-amount").fill("1,000,000"); // 5%: below the 10% a contract guarantee needs
    await page.locator('[data-kind="contract"]').getByLabel("証書（紙）").check();
    await page.getByLabel("申込送信先").selectOption("wjcs-kagoshima");
    await page.getByLabel("担当者名").fill("スクリプト 無");
    await page.getByLabel("連絡先電話番号").fill("０９９－０００－００００");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.waitForURL(/\/app\/applications\/[\w-]+\/\?saved=1$/);
    applicationPath = new URL(page.url()).pathname;
    expect(await main(page)).toContain("下書きを保存しました");
    expect(await page.getByLabel("工事名").inputValue()).toBe(project);
    expect(await page.locator("#f-agencyQuery").inputValue()).toBe("日置市");
    expect(await page.getByLabel("請負金額").inputValue()).toBe("20,000,000");
    expect(await page.locator("#f-guarantees-contract-amount").inputValue()).toBe("1,000,000");
    expect(await page.locator("#f-guarantees-contract-amount-percent").textContent()).toContain("請負金額の5.0%");
  });

  it("a submit with an error is refused: the message beside the field, a linked summary, nothing lost", async () => {
    await page.getByLabel("連絡事項").fill("急ぎで お願いします");
    await page.getByRole("button", { name: "送信", exact: true }).click();
    await page.waitForLoadState();
    expect(await fieldError(page, "f-guarantees-contract-amount")).toContain("請負金額の10%（2,000,000円）以上");
    expect(await page.locator("#f-guarantees-contract-amount").getAttribute("aria-invalid")).toBe("true");
    const links = await page.locator("#error-summary a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toContain("#f-guarantees-contract-amount");
    expect(await page.getByLabel("連絡事項").inputValue()).toBe("急ぎで お願いします");
    expect(await main(page)).not.toContain("申込みを送信しました");
  });

  it("fixed, it is submitted and shown read-only with its status", async () => {
    await page.locator("#f-guarantees-contract-amount").fill("2,000,000");
    await page.getByRole("button", { name: "送信", exact: true }).click();
    await page.waitForURL(/\?submitted=1$/);
    expect(new URL(page.url()).pathname).toBe(applicationPath);
    const text = await main(page);
    expect(text).toContain("申込みを送信しました");
    expect(text).toContain("手続き中");
    expect(text).toContain("2,000,000円（請負金額の10.0%）");
    expect(await page.locator("form[data-application-form]").count()).toBe(0);
  });

  it("a session that ends while the form is filled in loses nothing: log in elsewhere, press again", async () => {
    await page.goto(`${base}/app/applications/new/`);
    await page.getByLabel("工事名").fill(`${project}（続き）`);
    await page.getByLabel("連絡事項").fill("ログインが切れても残ること");
    await context.clearCookies();
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator("#error-summary").textContent()).toContain("ログインの有効期限が切れた");
    expect(await page.getByLabel("工事名").inputValue()).toBe(`${project}（続き）`);
    expect(await page.getByLabel("連絡事項").inputValue()).toBe("ログインが切れても残ること");
    const other = await context.newPage();
    await login(other, base, demo.contractor.email, demo.contractor.password);
    await other.close();
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.waitForURL(/\/app\/applications\/[\w-]+\/\?saved=1$/);
    expect(await page.getByLabel("連絡事項").inputValue()).toBe("ログインが切れても残ること");
  });

  it("the desk rejects it: an empty reason is refused beside the field, a reason is shown to the contractor", async () => {
    const desk = await browser.newContext(noScript);
    const staff = await desk.newPage();
    await login(staff, base, demo.staff.email, demo.staff.password);
    await staff.goto(`${base}/desk/applications/${applicationPath.split("/")[3]}/`);
    expect(await main(staff)).toContain(project);
    await staff.getByRole("button", { name: "差し戻す（却下）" }).click();
    await staff.waitForLoadState();
    expect(await fieldError(staff, "f-reason")).toContain("理由を入力してください");
    await staff.getByLabel("差し戻しの理由").fill("契約保証の金額を契約書の金額に合わせてください。");
    await staff.getByRole("button", { name: "差し戻す（却下）" }).click();
    await staff.waitForURL(/\?rejected=1$/);
    await desk.close();

    await page.goto(`${base}${applicationPath}`);
    const text = await main(page);
    expect(text).toContain("不承認");
    expect(text).toContain("契約保証の金額を契約書の金額に合わせてください。");
  });
});
