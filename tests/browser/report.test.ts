// 「情報の訂正・追加を知らせる」 in Chromium on a phone: the link on an agency page opens /report/ with
// the agency filled in by name; a report is sent (受付番号 shown, the row in the database); a bad URL
// is caught beside its field with the text kept; offline the report is kept on the device and sent
// when the network returns, or when the page opens online later; without JavaScript the plain form
// posts to /report/send/ and shows the errors and the 受付番号 the same way.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createClient } from "@libsql/client";
import { describe, expect, inject, it } from "vitest";
import { usePhonePage } from "./chromium.ts";

const base = inject("baseUrl");
const dbFile = inject("dbFile");
const phone = usePhonePage();
const QUEUE_KEY = "denshi-hosho:report-queue:v1";
const RECEIPT = /受付番号 ([0-9A-Z]{10})/;
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

async function storedReport(id: string): Promise<Record<string, unknown> | undefined> {
  const client = createClient({ url: `file:${dbFile}` });
  try {
    const rows = await client.execute({ sql: "SELECT * FROM reports WHERE id = ?", args: [id] });
    return rows.rows[0] === undefined ? undefined : { ...rows.rows[0] };
  } finally {
    client.close();
  }
}

const status = () => phone.page.locator("#report-status");
const receiptOf = async () => RECEIPT.exec((await status().textContent()) ?? "")?.[1] ?? "";

describe("the report form /report/", () => {
  it("opens from the agency page with the agency named, and sends a report", async () => {
    const { page } = phone;
    await page.goto(`${base}/agencies/462161/`);
    await page.getByRole("link", { name: "情報の訂正・追加を知らせる" }).click();
    await page.waitForURL(/\/report\/\?agency=462161$/);
    await expect.poll(() => page.getByLabel("発注者").inputValue()).toBe("日置市（鹿児島県）");
    await page.getByLabel("訂正・追加の内容").fill("令和8年4月1日以降に契約する委託業務も対象になりました。");
    await page.getByLabel("出典の URL（任意）").fill("https://www.city.hioki.kagoshima.jp/denshi.html");
    await page.getByLabel("連絡先（任意）").fill("browser-reporter@example.jp");
    await page.getByRole("button", { name: "送信する" }).click();
    await expect.poll(() => status().textContent()).toMatch(/^送信しました（受付番号 [0-9A-Z]{10}）$/);
    const row = await storedReport(await receiptOf());
    expect(row).toMatchObject({
      agency_id: "462161",
      message: "令和8年4月1日以降に契約する委託業務も対象になりました。",
      source_url: "https://www.city.hioki.kagoshima.jp/denshi.html",
    });
    expect(String(row?.["contact_box"])).not.toContain("browser-reporter");
    // Sent: the written fields are empty again, the agency stays for another report.
    expect(await page.getByLabel("訂正・追加の内容").inputValue()).toBe("");
    expect(await page.getByLabel("発注者").inputValue()).toBe("日置市（鹿児島県）");
  });

  it("shows a bad URL beside its field and keeps what was typed", async () => {
    const { page } = phone;
    await page.goto(`${base}/report/?agency=462161`);
    await expect.poll(() => page.getByLabel("発注者").inputValue()).toBe("日置市（鹿児島県）");
    const message = "開始日が変わりました。\n二行目も残ります。";
    await page.getByLabel("訂正・追加の内容").fill(message);
    await page.getByLabel("出典の URL（任意）").fill("www.city.hioki.kagoshima.jp");
    await page.getByRole("button", { name: "送信する" }).click();
    await expect.poll(() => page.locator("#f-sourceUrl-error").textContent()).toContain("http:// または https://");
    expect(await page.locator("#f-sourceUrl").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#error-summary").isVisible()).toBe(true);
    expect(await page.getByLabel("訂正・追加の内容").inputValue()).toBe(message);
    expect(await page.getByLabel("出典の URL（任意）").inputValue()).toBe("www.city.hioki.kagoshima.jp");
    expect(await status().textContent()).toBe("");
  });

  it("offline: keeps the report on the device, and sends it when the network returns", async () => {
    const { page } = phone;
    await page.goto(`${base}/report/?agency=462161`);
    await expect.poll(() => page.getByLabel("発注者").inputValue()).toBe("日置市（鹿児島県）");
    await page.context().setOffline(true);
    try {
      await page.getByLabel("訂正・追加の内容").fill("オフラインで書いた報告です。");
      await page.getByRole("button", { name: "送信する" }).click();
      await expect.poll(() => status().textContent()).toBe("オフラインのため端末に保存しました。通信が戻ったら自動で送信します");
      const queued = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "[]") as unknown[], QUEUE_KEY);
      expect(queued).toHaveLength(1);
    } finally {
      await page.context().setOffline(false);
    }
    await expect
      .poll(() => status().textContent(), { timeout: 15_000 })
      .toMatch(/^保存していた報告を送信しました（受付番号 [0-9A-Z]{10}）。$/);
    expect(await storedReport(await receiptOf())).toMatchObject({ agency_id: "462161", message: "オフラインで書いた報告です。" });
    expect(await page.evaluate((key) => localStorage.getItem(key), QUEUE_KEY)).toBeNull();
  });

  it("sends what an earlier offline visit kept from any guide page opened online, and says so at the top", async () => {
    // A first visit in a fresh profile: the service worker installs meanwhile, and its progress must not hide the news.
    const browser = phone.page.context().browser();
    if (browser === null) throw new Error("no browser");
    const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/faq/`);
      await page.evaluate(
        (key) =>
          localStorage.setItem(
            key,
            JSON.stringify([
              {
                key: "kept-1",
                report: { agencyId: "032069", message: "別のページで送られる報告です。" },
                queuedAt: "2026-12-01T00:00:00.000Z",
              },
            ]),
          ),
        QUEUE_KEY,
      );
      await page.goto(`${base}/agencies/032069/`);
      const top = page.locator("#offline-status");
      const sent = /^保存していた報告を送信しました（受付番号 [0-9A-Z]{10}）$/;
      await expect.poll(() => top.textContent(), { timeout: 15_000 }).toMatch(sent);
      const id = /受付番号 ([0-9A-Z]{10})/.exec((await top.textContent()) ?? "")?.[1] ?? "";
      expect(await storedReport(id)).toMatchObject({ agency_id: "032069", message: "別のページで送られる報告です。" });
      expect(await page.evaluate((key) => localStorage.getItem(key), QUEUE_KEY)).toBeNull();
      // Once the worker has stored the guide, the status still says what was sent.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith("guide-")), null, { timeout: 60_000 });
      await page.waitForTimeout(3000);
      expect(await top.textContent()).toMatch(sent);
    } finally {
      await context.close();
    }
  });

  it("sends what an earlier offline visit kept when the page opens online", async () => {
    const { page } = phone;
    await page.evaluate(
      (key) =>
        localStorage.setItem(
          key,
          JSON.stringify([
            {
              key: "earlier-visit",
              report: { agencyId: "462161", message: "前回オフラインで保存した報告です。" },
              queuedAt: "2026-12-01T00:00:00.000Z",
            },
          ]),
        ),
      QUEUE_KEY,
    );
    await page.goto(`${base}/report/`);
    await expect.poll(() => status().textContent(), { timeout: 15_000 }).toMatch(/^保存していた報告を送信しました/);
    expect(await storedReport(await receiptOf())).toMatchObject({ message: "前回オフラインで保存した報告です。" });
    expect(await page.evaluate((key) => localStorage.getItem(key), QUEUE_KEY)).toBeNull();
  });

  it("without JavaScript: the plain form shows errors beside the fields, then the 受付番号", async () => {
    const context = await phone.page.context().browser()?.newContext({ locale: "ja-JP", javaScriptEnabled: false });
    if (context === undefined) throw new Error("no browser");
    try {
      const page = await context.newPage();
      await page.goto(`${base}/report/?agency=462161`);
      await page.getByLabel("発注者").fill("鹿児島県日置市");
      await page.getByLabel("訂正・追加の内容").fill("JavaScript なしで送った報告です。");
      await page.getByLabel("出典の URL（任意）").fill("ftp://example.jp/a");
      await page.getByRole("button", { name: "送信する" }).click();
      await page.waitForURL(`${base}/report/send/`);
      expect(await page.locator("#f-sourceUrl-error").textContent()).toContain("http:// または https://");
      expect(await page.getByLabel("訂正・追加の内容").inputValue()).toBe("JavaScript なしで送った報告です。");
      expect(await page.getByLabel("発注者").inputValue()).toBe("鹿児島県日置市");

      await page.getByLabel("出典の URL（任意）").fill("");
      await page.getByRole("button", { name: "送信する" }).click();
      await page.waitForURL(/\/report\/send\/\?received=/);
      const shown = (await page.locator("#report-status").textContent()) ?? "";
      expect(shown).toMatch(/^送信しました（受付番号 [0-9A-Z]{10}）/);
      const id = RECEIPT.exec(shown)?.[1] ?? "";
      expect(await storedReport(id)).toMatchObject({ agency_id: "462161", message: "JavaScript なしで送った報告です。", source_url: null });
      await expect.poll(() => page.getByRole("link", { name: "日置市のページに戻る" }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("has no axe violations (WCAG 2.2 AA) with every error shown, by the script and by /report/send/", async () => {
    const browser = phone.page.context().browser();
    if (browser === null) throw new Error("no browser");
    for (const script of [true, false]) {
      // axe is an inline script: this context alone bypasses the page's script policy. Without the
      // page's own script (its bundle refused) the form posts to /report/send/ as without JavaScript.
      const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 390, height: 844 }, bypassCSP: true });
      try {
        if (!script) await context.route("**/_astro/*.js", (route) => route.abort());
        const page = await context.newPage();
        await page.goto(`${base}/report/`);
        await page.getByLabel("出典の URL（任意）").fill("notaurl");
        await page.getByLabel("連絡先（任意）").fill("山田");
        await page.getByRole("button", { name: "送信する" }).click();
        if (!script) await page.waitForURL(`${base}/report/send/`);
        await expect.poll(() => page.locator("#f-message-error").textContent()).toContain("入力してください");
        expect(await page.locator("#f-agency-error").textContent()).toContain("発注者を指定してください");
        expect(await page.locator("#f-contact-error").textContent()).toContain("メールアドレスか電話番号");
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (d: Document, o: object) => Promise<{ violations: { id: string }[] }> } }).axe;
          const result = await axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
          });
          return result.violations.map((v) => v.id);
        });
        expect(violations, script ? "with the script" : "from /report/send/").toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
