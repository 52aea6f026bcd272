// The second journey in Chromium, with JavaScript, on a phone-sized screen: a contractor registers,
// staff approve the company, the contractor fills the form (seeing a field's error before sending),
// fixes it and submits; staff enrol TOTP, log in with a code and issue; the contractor opens the
// mailed link and the guarantee's page. Steps run in order and share the accounts they make.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signLink } from "../../edge/security/links.ts";
import { createStaff, currentStep, fieldError, login, mailTo, totpAt, uniqueEmail, workerEnv } from "./app-pages.ts";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const dbFile = inject("dbFile");
const demo = inject("demoAccounts");
const phone = { locale: "ja-JP", viewport: { width: 390, height: 844 } };

let browser: Browser;
let contractor: BrowserContext;
let page: Page;
const company = `ブラウザ試験建設株式会社${Date.now().toString(36)}`;
const email = uniqueEmail("journey");
const password = "journey-password-1";
const project = `市道改良工事 ブラウザ試験 ${Date.now().toString(36)}`;
let applicationPath = "";
let contractNumber = "";
let linkKey = "";

beforeAll(async () => {
  browser = await launch();
  contractor = await browser.newContext(phone);
  page = await contractor.newPage();
});
afterAll(async () => {
  await browser.close();
});

describe("a contractor's application, from registration to the mailed link (JavaScript on)", () => {
  it("a contractor registers: a short password is refused beside its field, the rest kept; then the company waits for approval", async () => {
    await page.goto(`${base}/register/`);
    await page.getByLabel("会社名").fill(company);
    await page.getByLabel("所在地").fill("鹿児島県日置市伊集院町郡1丁目100番地");
    await page.getByLabel("代表者名").fill("代表取締役　試験 太郎");
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード").fill("short");
    await page.getByRole("button", { name: "登録する" }).click();
    await page.waitForLoadState();
    expect(await fieldError(page, "f-password")).toContain("10文字以上");
    expect(await page.locator("#f-password").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("会社名").inputValue()).toBe(company);
    expect(await page.locator("#error-summary a").first().getAttribute("href")).toBe("#f-password");

    await page.getByLabel("パスワード").fill(password);
    await page.getByRole("button", { name: "登録する" }).click();
    await page.waitForURL(/\/app\/\?registered=1$/);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).toContain(company);
    expect(main).toContain("承認待ち");
    expect(await page.getByRole("link", { name: "新しい申込みを作成" }).count()).toBe(0);
  });

  it("staff approve the company on the desk's page", async () => {
    const desk = await browser.newContext(phone);
    const staff = await desk.newPage();
    await login(staff, base, demo.staff.email, demo.staff.password);
    expect(new URL(staff.url()).pathname).toBe("/desk/");
    await staff.getByRole("link", { name: "会社の承認" }).click();
    await staff.getByRole("button", { name: `${company}を承認する` }).click();
    await staff.waitForURL(/\/desk\/companies\/\?approved=/);
    expect(await staff.getByRole("status").first().textContent()).toContain(`${company}を承認しました`);
    await desk.close();
  });

  it("the contractor fills the form, sees the amount's error beside it before sending, fixes it and submits", async () => {
    await page.goto(`${base}/app/`);
    expect(await page.locator("main").textContent()).toContain("承認済み");
    await page.getByRole("link", { name: "新しい申込みを作成" }).click();
    await page.waitForURL(/\/app\/applications\/new\/$/);

    await page.getByLabel("工事名").fill(project);
    const agency = page.getByRole("combobox", { name: "発注者" });
    await agency.pressSequentially("ひおき", { delay: 30 });
    await page
      .getByRole("option", { name: /日置市/ })
      .first()
      .click();
    expect(await agency.inputValue()).toBe("日置市");
    expect(await page.getByRole("button", { name: "候補を表示" }).isVisible()).toBe(false); // the server lookup, for no script
    await page.getByLabel("被保証者").fill("日置市長　永山 由高");
    await page.getByLabel("工事場所").fill("鹿児島県日置市伊集院町");
    await page.getByLabel("工事・業務の種類").selectOption("construction");
    await page.getByLabel("請負金額").fill("10,000,000");
    await page.getByLabel("工期（自）").fill("2025-07-01");
    await page.getByLabel("工期（至）").fill("2026-03-20");
    await page.getByLabel("入札公告日").fill("2025-06-02");
    await page.getByLabel("契約締結日").fill("2025-06-25");

    await page.locator("#f-guarantees-advance-apply").check();
    const amount = page.locator("#f-guarantees-advance-amount");
    await amount.fill("5,000,000");
    await amount.blur();
    // The live % and the API's own rule, beside the field, before anything is sent.
    expect(await page.locator("#f-guarantees-advance-amount-percent").textContent()).toContain("請負金額の50.0%");
    await expect.poll(() => fieldError(page, "f-guarantees-advance-amount")).toContain("40%（4,000,000円）以内");
    expect(await amount.getAttribute("aria-invalid")).toBe("true");

    await page.locator('[data-kind="advance"]').getByLabel("電子保証（認証キーを含む）").check();
    await page.locator("#f-guarantees-advance-depositBank").fill("鹿児島銀行　本店");
    await page.getByLabel("申込送信先").selectOption("wjcs-kagoshima");
    await page.getByLabel("担当者名").fill("試験 花子");
    await page.getByLabel("連絡先電話番号").fill("099-000-0000");

    // 「送信」 with the error still there: held back, the summary lists it and links to the field.
    await page.getByRole("button", { name: "送信", exact: true }).click();
    const summary = page.locator("#error-summary");
    expect(await summary.isVisible()).toBe(true);
    expect(await summary.locator("a").first().getAttribute("href")).toBe("#f-guarantees-advance-amount");
    expect(new URL(page.url()).pathname).toBe("/app/applications/new/");

    await amount.fill("4,000,000");
    await amount.blur();
    await expect.poll(() => fieldError(page, "f-guarantees-advance-amount")).toBe("");
    expect(await page.locator("#f-guarantees-advance-amount-percent").textContent()).toContain("請負金額の40.0%");
    await page.getByRole("button", { name: "送信", exact: true }).click();
    await page.waitForURL(/\/app\/applications\/[\w-]+\/\?submitted=1$/);
    applicationPath = new URL(page.url()).pathname;
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).toContain("申込みを送信しました");
    expect(main).toContain("手続き中");
    expect(main).toContain("4,000,000円（請負金額の40.0%）");
    expect(main).toContain("令和7年（2025年）7月1日");
  });

  it("staff made with --require-totp enrol at their first login, log in again with a code, and issue", { timeout: 90_000 }, async () => {
    const staffEmail = uniqueEmail("totp-staff");
    const staffPassword = "totp-staff-password-1";
    await createStaff(dbFile, staffEmail, staffPassword, { requireTotp: true });
    const desk = await browser.newContext(phone);
    const staff = await desk.newPage();

    await login(staff, base, staffEmail, staffPassword);
    expect(new URL(staff.url()).pathname).toBe("/login/totp/enrol/");
    await staff.getByRole("button", { name: "QR コードを表示して登録を始める" }).click();
    expect(await staff.getByRole("img", { name: /QR コード/ }).count()).toBe(1);
    const secret = ((await staff.locator("#totp-secret").textContent()) ?? "").trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const enrolledAt = currentStep();
    await staff.getByLabel("確認コード").fill(totpAt(secret, enrolledAt));
    await staff.getByRole("button", { name: "登録する" }).click();
    await staff.waitForURL(/\/desk\/\?enrolled=1$/);

    await staff.getByRole("button", { name: "ログアウト" }).click();
    await staff.waitForURL(/\/login\/\?loggedOut=1$/);
    await login(staff, base, staffEmail, staffPassword);
    expect(new URL(staff.url()).pathname).toBe("/login/totp/");
    // The code already used is refused (replay), beside the field; the next one is taken.
    await staff.getByLabel("確認コード").fill(totpAt(secret, enrolledAt));
    await staff.getByRole("button", { name: "確認する" }).click();
    await staff.waitForLoadState();
    expect(await fieldError(staff, "f-code")).toMatch(/既に使われています|正しくありません/);
    await staff.getByLabel("確認コード").fill(totpAt(secret, Math.max(enrolledAt + 1, currentStep())));
    await staff.getByRole("button", { name: "確認する" }).click();
    await staff.waitForURL(/\/desk\/$/);

    await staff.getByLabel("会社名・工事名").fill(company);
    await staff.getByRole("button", { name: "絞り込む" }).click();
    await staff.getByRole("link", { name: project }).click();
    const review = (await staff.locator("main").textContent()) ?? "";
    expect(review).toContain(company);
    expect(review).toContain("鹿児島銀行　本店");
    await staff.getByRole("button", { name: "発行する" }).click();
    await staff.waitForURL(/\?issued=1$/);
    const issued = (await staff.locator("main").textContent()) ?? "";
    expect(issued).toContain("発行しました");
    const number = /保証契約番号 (\d{10})/.exec(issued);
    expect(number).not.toBeNull();
    contractNumber = number?.[1] ?? "";
    await desk.close();
  });

  it("the mailed link opens the guarantee and its key without logging in", async () => {
    const mail = await mailTo(base, email);
    expect(mail.subject).toContain("発行");
    const link = mail.links.find((l) => l.includes("/links/"));
    expect(link).toBeDefined();
    const anonymous = await browser.newContext(phone);
    const visitor = await anonymous.newPage();
    const res = await visitor.goto(link ?? "");
    expect(res?.status()).toBe(200);
    expect(res?.headers()["cache-control"]).toBe("no-store");
    expect(res?.headers()["referrer-policy"]).toBe("no-referrer"); // the token is a credential
    const main = (await visitor.locator("main").textContent()) ?? "";
    expect(main).toContain(contractNumber);
    expect(main).toContain(project);
    linkKey = ((await visitor.locator(".auth-key").first().textContent()) ?? "").trim();
    expect(linkKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const notice = await visitor.getByRole("link", { name: "認証キー等のお知らせ（PDF）" }).getAttribute("href");
    const pdf = await anonymous.request.get(`${base}${notice}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    await anonymous.close();
  });

  it("an altered or expired link explains itself in Japanese and leads to the login", async () => {
    const anonymous = await browser.newContext(phone);
    const visitor = await anonymous.newPage();
    const link = (await mailTo(base, email)).links.find((l) => l.includes("/links/")) ?? "";
    // One character of the signature changed (its first: every bit of it counts).
    const altered = link.replace(/\.([\w-])([\w-]*\/)$/, (_m, first: string, rest: string) => `.${first === "A" ? "B" : "A"}${rest}`);
    expect(altered).not.toBe(link);
    const bad = await visitor.goto(altered);
    expect(bad?.status()).toBe(404);
    expect(await visitor.getByRole("heading", { level: 1 }).textContent()).toBe("このリンクは使えません");
    expect(await visitor.getByRole("link", { name: "ログインして保証を確認する" }).getAttribute("href")).toMatch(/^\/login\/\?next=/);

    const me = (await (await contractor.request.get(`${base}/api/v1/me`)).json()) as { company: { id: string } };
    const past = new Date(Date.now() - 20 * 86_400_000);
    const expired = await signLink(workerEnv(dbFile), {
      applicationId: applicationPath.split("/")[3] ?? "",
      companyId: me.company.id,
      issuedAt: past,
      expiresAt: new Date(past.getTime() + 14 * 86_400_000),
    });
    const old = await visitor.goto(`${base}/links/${expired}/`);
    expect(old?.status()).toBe(410);
    expect(old?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(await visitor.getByRole("heading", { level: 1 }).textContent()).toBe("リンクの有効期限が切れています");
    expect(await visitor.locator("main").textContent()).toContain("14日間");
    await anonymous.close();
  });

  it("the contractor sees the status, the guarantee, and shows its key in place", async () => {
    await page.goto(`${base}${applicationPath}`);
    expect(await page.locator("main").textContent()).toContain("発行済み");
    await page.getByRole("link", { name: contractNumber }).click();
    await page.waitForURL(new RegExp(`/app/guarantees/${contractNumber}/$`));
    expect(await page.locator("main").textContent()).toContain("まだ閲覧されていません");
    await page.getByRole("button", { name: "認証キーを表示" }).click();
    await expect.poll(() => page.locator(".auth-key").first().textContent()).toBe(linkKey);
    expect(new URL(page.url()).search).toBe(""); // shown by the script, without a page load
    expect(await page.getByRole("button", { name: "認証キーをコピー" }).isVisible()).toBe(true);
  });

  it("where the sources leave electronic delivery open, the form says staff will decide, as the desk will see it", async () => {
    await page.goto(`${base}/app/applications/new/`);
    await page.getByRole("combobox", { name: "発注者" }).pressSequentially("しがけん", { delay: 30 });
    await page
      .getByRole("option", { name: /滋賀県/ })
      .first()
      .click();
    await page.getByLabel("工事・業務の種類").selectOption("construction");
    await page.getByLabel("契約締結日").fill("2024-03-15");
    await page.locator("#f-guarantees-contract-apply").check();
    await page.locator('[data-kind="contract"]').getByLabel("電子保証（認証キーを含む）").check();
    const warning = page.locator("#f-guarantees-contract-delivery-warning");
    await expect.poll(() => warning.isVisible()).toBe(true);
    expect(await warning.textContent()).toContain("資料だけでは確定できません");
    expect(await fieldError(page, "f-guarantees-contract-delivery")).toBe(""); // a warning, not an error
  });

  it("without JavaScript the key is shown by a plain GET form", async () => {
    const noScript = await browser.newContext({ ...phone, javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await login(plain, base, email, password);
    await plain.goto(`${base}/app/guarantees/${contractNumber}/`);
    await plain.getByRole("button", { name: "認証キーを表示" }).click();
    await plain.waitForURL(new RegExp(`\\?show=${contractNumber}$`));
    expect(((await plain.locator(".auth-key").first().textContent()) ?? "").trim()).toBe(linkKey);
    expect(await plain.getByRole("button", { name: "認証キーをコピー" }).isVisible()).toBe(false); // needs the script
    await noScript.close();
  });
});
