// The agency's verification page (/verify/) in Chromium: a guarantee is issued through the API (as
// the other tests do, with the demo accounts), then an officer checks it with JavaScript (a typo in
// the key is caught before sending) and without (the Japanese 404, then the certificate), opens the
// notice's QR link (fields filled, the fragment gone), sees the beneficiary warning, the headers,
// and saves the PDF.
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { otherKey, typo } from "../support/keys.ts";
import { issueThroughApi, workerApi } from "../support/worker-api.ts";
import { login, verifyOnPage } from "./app-pages.ts";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const phone = { locale: "ja-JP", viewport: { width: 390, height: 844 } };
const desktop = { locale: "ja-JP", viewport: { width: 1280, height: 900 } };

const issueGuarantee = (projectName: string) => issueThroughApi(base, demo, projectName);

let browser: Browser;
let number = "";
let key = "";
const project = `市道改良工事 照会試験 ${Date.now().toString(36)}`;

beforeAll(async () => {
  browser = await launch();
  ({ number, key } = await issueGuarantee(project));
}, 60_000);
afterAll(async () => {
  await browser.close();
});

describe("the agency's verification page /verify/", () => {
  it("with JavaScript: a key with a typo is caught beside the field before sending; the right key shows the certificate, signed", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(`${base}/verify/`);
    await page.getByLabel("保証契約番号").fill(number);
    await page.getByLabel("認証キー").fill(typo(key));
    let posted = false;
    page.on("request", (r) => {
      if (r.method() === "POST") posted = true;
    });
    await page.getByRole("button", { name: "確認する" }).click();
    await expect.poll(async () => (await page.locator("#f-authKey-error").textContent()) ?? "").toContain("入力の誤り");
    expect(await page.locator("#f-authKey").getAttribute("aria-invalid")).toBe("true");
    expect(posted).toBe(false);

    await page.getByLabel("認証キー").fill(key);
    await page.getByRole("button", { name: "確認する" }).click();
    await page.locator("#certificate").waitFor();
    const sheet = (await page.locator("#certificate").textContent()) ?? "";
    expect(sheet).toContain("署名を確認しました");
    expect(sheet).toContain(number);
    expect(sheet).toContain(project);
    expect(sheet).toContain("日置市長");
    expect(sheet).toContain("5,000,000円");
    expect(sheet).toContain("令和");
    expect(await page.locator("[data-version]").textContent()).toBe("新規");
    expect(new URL(page.url()).pathname).toBe("/verify/");
    expect(page.url()).not.toContain(key);
    // Nothing wider than the phone; tap targets of 44 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await page.getByRole("button", { name: "確認する" }).boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    await context.close();
  });

  it("without JavaScript: a wrong key gives the Japanese 404 message, the right key the certificate", async () => {
    const context = await browser.newContext({ ...desktop, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/verify/`);
    await page.getByLabel("保証契約番号").fill(number);
    await page.getByLabel("認証キー").fill(otherKey(key));
    await page.getByRole("button", { name: "確認する" }).click();
    await page.waitForLoadState();
    expect(await page.locator("#error-summary").textContent()).toContain("保証契約番号または認証キーが正しくありません");
    expect(await page.locator("#certificate").count()).toBe(0);
    expect(await page.getByLabel("保証契約番号").inputValue()).toBe(number);

    // A key typo without JavaScript: the server's 400, beside the field.
    await page.getByLabel("認証キー").fill(typo(key));
    await page.getByRole("button", { name: "確認する" }).click();
    await page.waitForLoadState();
    expect((await page.locator("#f-authKey-error").textContent()) ?? "").toContain("入力の誤り");

    await page.getByLabel("認証キー").fill(key);
    await page.getByRole("button", { name: "確認する" }).click();
    await page.locator("#certificate").waitFor();
    expect(await page.locator("#certificate").textContent()).toContain("署名を確認しました");
    await context.close();
  });

  it("the notice's QR link /verify/#n=…&k=… fills the fields and leaves no fragment in the address", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(`${base}/verify/#n=${encodeURIComponent(number)}&k=${encodeURIComponent(key)}`);
    await expect.poll(() => page.getByLabel("認証キー").inputValue()).toBe(key);
    expect(await page.getByLabel("保証契約番号").inputValue()).toBe(number);
    expect(page.url()).not.toContain("#");
    expect(await page.evaluate(() => location.hash)).toBe("");
    await page.getByRole("button", { name: "確認する" }).click();
    await page.locator("#certificate").waitFor();
    expect(await page.locator("#certificate").textContent()).toContain("署名を確認しました");
    await context.close();
  });

  it("warns when the certificate's beneficiary does not contain the agency the officer named", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await verifyOnPage(page, base, number, key, "鹿児島県");
    await page.locator("#certificate").waitFor();
    expect(await page.locator("[data-beneficiary-warning]").textContent()).toContain("鹿児島県");

    await page.getByLabel("発注者名（任意）").fill("日置市");
    await page.getByRole("button", { name: "確認する" }).click();
    await page.locator("#certificate").waitFor();
    expect(await page.locator("[data-beneficiary-warning]").count()).toBe(0);
    await context.close();
  });

  it("sends the page's security headers and no referrer", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    const res = await page.goto(`${base}/verify/`);
    expect(res?.status()).toBe(200);
    const headers = res?.headers() ?? {};
    expect(headers["content-security-policy"]).toContain("script-src 'self'");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["cache-control"]).toBe("no-store");
    await context.close();
  });

  it("prints the certificate alone (no navigation, no form) on one A4 page", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await verifyOnPage(page, base, number, key);
    await page.locator("#certificate").waitFor();
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    expect(await page.locator("#verify-form").isVisible()).toBe(false);
    expect(await page.locator("#certificate").isVisible()).toBe(true);
    const printed = Buffer.from(await page.pdf({ format: "A4", printBackground: true })).toString("latin1");
    expect(printed.match(/\/Type\s*\/Page(?!s)/g)?.length).toBe(1);
    await context.close();
  });

  it("prints on one A4 page after five changes and a cancellation, with the beneficiary warning", async () => {
    const long = await issueGuarantee(`市道改良工事 印刷試験 ${Date.now().toString(36)}`);
    const { send } = workerApi(base);
    for (let i = 1; i <= 5; i++) {
      const res = await send("POST", `/api/v1/staff/guarantees/${long.number}/versions`, long.staff, {
        reason: "change",
        changes: { amount: 5_000_000 + i * 100_000 },
      });
      expect(res.status).toBe(201);
    }
    expect((await send("POST", `/api/v1/staff/guarantees/${long.number}/versions`, long.staff, { reason: "cancel" })).status).toBe(201);
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await verifyOnPage(page, base, long.number, long.key, "鹿児島県");
    await page.locator("#certificate").waitFor();
    expect(await page.locator(".cert-history tbody tr").count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator("[data-cancelled]").count()).toBe(1);
    expect(await page.locator("[data-beneficiary-warning]").count()).toBe(1);
    await page.emulateMedia({ media: "print" });
    const printed = Buffer.from(await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true })).toString("latin1");
    expect(printed.match(/\/Type\s*\/Page(?!s)/g)?.length).toBe(1);
    await context.close();
  });

  it("on a phone, brings the certificate into view after 確認する (the form fills the first screen)", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await verifyOnPage(page, base, number, key);
    await page.locator("#certificate").waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("certificate");
    const box = await page.locator("#certificate").boundingBox();
    expect(box?.y ?? 9999).toBeLessThan(844 / 2);
    await context.close();
  });

  it("catches an empty or malformed 保証契約番号 beside its field before sending", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(`${base}/verify/`);
    let posted = false;
    page.on("request", (r) => {
      if (r.method() === "POST") posted = true;
    });
    await page.getByLabel("認証キー").fill(key);
    await page.getByRole("button", { name: "確認する" }).click();
    expect((await page.locator("#f-contractNumber-error").textContent()) ?? "").toContain("保証契約番号を入力してください");
    await page.getByLabel("保証契約番号").fill("207000");
    await page.getByRole("button", { name: "確認する" }).click();
    expect((await page.locator("#f-contractNumber-error").textContent()) ?? "").toContain("10桁の数字");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-contractNumber");
    expect(posted).toBe(false);
    await context.close();
  });

  it("「PDFで保存」 downloads the certificate as a PDF", async () => {
    const context = await browser.newContext({ ...desktop, acceptDownloads: true });
    const page = await context.newPage();
    await verifyOnPage(page, base, number, key);
    await page.locator("#certificate").waitFor();
    const [download, response] = await Promise.all([
      page.waitForEvent("download"),
      page.waitForResponse((r) => r.url().endsWith("/verify/certificate.pdf")),
      page.getByRole("button", { name: "PDFで保存" }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    const path = await download.path();
    expect(readFileSync(path).subarray(0, 4).toString("latin1")).toBe("%PDF");
    await context.close();
  });
});

describe("the contractor sees that the agency viewed the certificate", () => {
  it("「まだ閲覧されていません」 before; after the officer's check on /verify/, 「発注者が閲覧しました」 with the time, on the guarantee and in the list", async () => {
    const fresh = await issueGuarantee(`市道改良工事 閲覧表示試験 ${Date.now().toString(36)}`);
    const contractor = await browser.newContext(phone);
    const page = await contractor.newPage();
    await login(page, base, demo.contractor.email, demo.contractor.password);
    await page.goto(`${base}/app/guarantees/${fresh.number}/`);
    expect(await page.locator("main").textContent()).toContain("まだ閲覧されていません");

    const agency = await browser.newContext(desktop);
    const officer = await agency.newPage();
    const before = Date.now();
    await verifyOnPage(officer, base, fresh.number, fresh.key);
    await officer.locator("#certificate").waitFor();
    await agency.close();

    // The viewing is recorded after the answer (waitUntil): reload until it shows.
    await expect
      .poll(
        async () => {
          await page.reload();
          return (await page.locator("main").textContent()) ?? "";
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain("発注者が閲覧しました");
    const shown = (await page.locator("main").textContent()) ?? "";
    const jst = new Date(before + 9 * 3600_000).toISOString();
    const minutes = [jst, new Date(before + 9 * 3600_000 + 60_000).toISOString()].map((t) => t.slice(11, 16));
    expect(shown).toMatch(new RegExp(`発注者が閲覧しました（令和\\d+年（\\d{4}年）\\d+月\\d+日 (${minutes.join("|")})）`));
    expect(shown).not.toContain("まだ閲覧されていません");

    await page.goto(`${base}/app/`);
    const row = page.locator("li", { hasText: fresh.number });
    expect(await row.textContent()).toContain("発注者が閲覧しました");
    await contractor.close();
  });
});
