// The desk's guarantee page (/desk/guarantees/{number}/) in Chromium: staff reach it from the
// application, record a change (変更1 then shows on the agency's /verify/), see a 422 beside its
// field (a bad date, the same amount again, a 保証期限 before the 工期), correct the 工事名, rotate the
// key (the old key then fails on /verify/; the mailed link says so) and cancel (解約 plainly stated,
// also in the contractor's list).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { issueThroughApi } from "../support/worker-api.ts";
import { fieldError, login, verifyOnPage } from "./app-pages.ts";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const desktop = { locale: "ja-JP", viewport: { width: 1280, height: 900 } };

const issueGuarantee = (projectName: string) => issueThroughApi(base, demo, projectName);

/** The agency's page, without JavaScript: the pair sent, the page as it answers. */
const verify = (page: Page, number: string, key: string) => verifyOnPage(page, base, number, key);

let browser: Browser;
let desk: BrowserContext;
let staff: Page;
let agency: BrowserContext;
let officer: Page;
let issued: { id: string; number: string; key: string };
const project = `市道改良工事 窓口試験 ${Date.now().toString(36)}`;
const path = () => `/desk/guarantees/${issued.number}/`;

beforeAll(async () => {
  browser = await launch();
  issued = await issueGuarantee(project);
  desk = await browser.newContext(desktop);
  staff = await desk.newPage();
  await login(staff, base, demo.staff.email, demo.staff.password);
  agency = await browser.newContext({ ...desktop, javaScriptEnabled: false });
  officer = await agency.newPage();
}, 60_000);
afterAll(async () => {
  await browser.close();
});

describe("the desk's guarantee page", () => {
  it("is linked from the issued application and shows the certificate, records and key generation", async () => {
    await staff.goto(`${base}/desk/applications/${issued.id}/`);
    await staff.getByRole("link", { name: issued.number }).click();
    await staff.waitForURL((url) => url.pathname === path());
    const main = (await staff.locator("main").textContent()) ?? "";
    expect(main).toContain(project);
    expect(main).toContain("すべての記録");
    expect(await staff.locator("[data-key-generation]").textContent()).toBe("1");
  });

  it("a change with a bad date is refused beside its field; a right change makes 変更1, shown on /verify/", async () => {
    await staff.goto(`${base}${path()}`);
    const change = staff.locator("form", { has: staff.locator('input[name="action"][value="change"]') });
    await change.getByLabel("保証金額").fill("6,000,000");
    await change.getByLabel("保証期限").fill("2001-01-01");
    await change.getByRole("button", { name: "変更を記録する" }).click();
    await staff.waitForLoadState();
    expect(await staff.locator("#error-summary").isVisible()).toBe(true);
    expect(((await staff.locator("#f-change-guaranteeUntil-error").textContent()) ?? "").trim()).not.toBe("");
    expect(await staff.locator("#f-change-amount").inputValue()).toBe("6,000,000");

    await staff.locator("#f-change-guaranteeUntil").fill("");
    await staff.getByRole("button", { name: "変更を記録する" }).click();
    await staff.waitForURL(/\?done=change$/);
    expect(await staff.getByRole("status").first().textContent()).toContain("変更を記録しました");

    await verify(officer, issued.number, issued.key);
    expect(await officer.locator("[data-version]").textContent()).toBe("変更1");
    expect(await officer.locator("[data-amount]").textContent()).toBe("6,000,000円");
    expect(await officer.locator(".cert-history").textContent()).toContain("変更（変更1）");
  });

  it("the same amount again (typed full-width) and a 保証期限 before the 工期（至） are refused beside their fields; a 訂正 of 工事名 is made", async () => {
    await staff.goto(`${base}${path()}`);
    const change = staff.locator("form", { has: staff.locator('input[name="action"][value="change"]') });
    await change.getByLabel("保証金額").fill("６，０００，０００");
    await change.getByRole("button", { name: "変更を記録する" }).click();
    await staff.waitForLoadState();
    expect(await fieldError(staff, "f-change-amount")).toBe("変更前と同じ内容です。変更する項目を入力してください");

    await staff.locator("#f-change-amount").fill("");
    await staff.locator("#f-change-guaranteeUntil").fill("2026-03-19");
    await staff.getByRole("button", { name: "変更を記録する" }).click();
    await staff.waitForLoadState();
    expect(await fieldError(staff, "f-change-guaranteeUntil")).toContain("工期（至）（2026-03-20）");

    const correction = staff.locator("form", { has: staff.locator('input[name="action"][value="correction"]') });
    await correction.getByLabel("工事名").fill(`${project}（訂正）`);
    await correction.getByRole("button", { name: "訂正を記録する" }).click();
    await staff.waitForURL(/\?done=correction$/);
  });

  it("rotating the key needs the confirmation; then the old key fails on /verify/", async () => {
    await staff.goto(`${base}${path()}`);
    await staff.getByRole("button", { name: "認証キーを再発行する" }).click();
    await staff.waitForLoadState();
    expect(((await staff.locator("#f-rotate-confirm-error").textContent()) ?? "").trim()).toContain("確認のチェック");

    await staff.getByLabel("古い認証キーが使えなくなることを確認しました").check();
    await staff.getByRole("button", { name: "認証キーを再発行する" }).click();
    await staff.waitForURL(/\?done=rotate$/);
    expect(await staff.locator("[data-key-generation]").textContent()).toBe("2");

    await verify(officer, issued.number, issued.key);
    expect(await officer.locator("#error-summary").textContent()).toContain("保証契約番号または認証キーが正しくありません");
    expect(await officer.locator("#certificate").count()).toBe(0);

    // The mailed link says what happened, under the corrected 工事名.
    const subject = `【電子保証】認証キー再発行のお知らせ（${issued.number}）`;
    let link: string | undefined;
    await expect
      .poll(async () => {
        const { items } = (await (await fetch(`${base}/api/v1/dev/outbox`)).json()) as { items: { subject: string; links: string[] }[] };
        link = items.find((m) => m.subject === subject)?.links.find((l) => l.includes("/links/"));
        return link !== undefined;
      })
      .toBe(true);
    const visitor = await agency.newPage();
    await visitor.goto(link ?? "");
    expect(await visitor.getByRole("heading", { level: 1 }).textContent()).toBe("認証キー再発行のお知らせ");
    const lead = (await visitor.locator("[data-lead]").textContent()) ?? "";
    expect(lead).toContain(`「${project}（訂正）」の保証（保証契約番号 ${issued.number}）の認証キーが再発行されました`);
    await visitor.close();
  });

  it("a cancellation is recorded, and a change sent after it (from a page opened before) gets the 409 in Japanese", async () => {
    const stale = await desk.newPage();
    await stale.goto(`${base}${path()}`);
    await staff.goto(`${base}${path()}`);
    await staff.getByLabel("解約すると元に戻せないことを確認しました").check();
    await staff.getByRole("button", { name: "解約する" }).click();
    await staff.waitForURL(/\?done=cancel$/);
    expect(await staff.locator("main").textContent()).toContain("この保証は解約されています");
    expect(await staff.getByRole("button", { name: "変更を記録する" }).count()).toBe(0);
    expect(await staff.locator('tr[data-reason="cancel"]').count()).toBe(1);

    await stale.locator("#f-change-amount").fill("7000000");
    const [res] = await Promise.all([
      stale.waitForResponse((r) => r.request().method() === "POST"),
      stale.getByRole("button", { name: "変更を記録する" }).click(),
    ]);
    expect(res.status()).toBe(409);
    expect(await stale.locator("#error-summary").textContent()).toContain("解約済みの保証は変更できません");
    await stale.close();

    // The contractor's list says 解約 beside it.
    const own = await browser.newContext(desktop);
    const contractor = await own.newPage();
    await login(contractor, base, demo.contractor.email, demo.contractor.password);
    await contractor.goto(`${base}/app/`);
    const item = contractor.locator("li", { has: contractor.getByRole("link", { name: issued.number }) });
    expect(await item.locator(".status-cancelled").textContent()).toBe("解約");
    expect(await item.textContent()).toContain("保証金額 6,000,000円");
    await own.close();
  });
});
