// A first visit on a weak phone link (scripts/throttle.ts: 1.6 Mbps down, 150 ms each way): the
// status at the top of the page says what the guide is doing (saving, ready, offline), and once it
// says ready, the pages a contractor needs open with the network cut: adopted agencies' pages from
// the packs (the very bytes the server sends), an unknown agency built from its template, the
// checker, the FAQ, a prefecture. A link to the API's JSON opens the guide's offline page.
// How fast that is on this link is the benchmark's job (npm run bench:offline), not this test's.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Throttle, throttle } from "../../scripts/throttle.ts";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
let proxy: Throttle;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every state the status showed while the first visit saved the guide, in order. */
const states: string[] = [];

beforeAll(async () => {
  proxy = await throttle({ host: "localhost", port: Number(new URL(base).port) });
  browser = await launch();
  context = await browser.newContext({ locale: "ja-JP", viewport: { width: 390, height: 844 }, isMobile: true });
  page = await context.newPage();
  await page.exposeFunction("reportState", (state: string) => {
    if (states.at(-1) !== state) states.push(state);
  });
  // Record each change of the status as it happens (the page's own script writes it).
  await page.addInitScript(() => {
    const report = (window as unknown as { reportState(s: string): void }).reportState;
    new MutationObserver(() => {
      const el = document.getElementById("offline-status");
      if (el?.dataset["state"]) report(el.dataset["state"]);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  });
  await page.goto(`${proxy.url}/`, { timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById("offline-status")?.dataset["state"] === "ready", null, { timeout: 120_000 });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
});

describe("a first visit on a weak phone link", () => {
  it("shows the offline status at the top of the page, above the content", async () => {
    const status = await page.locator("#offline-status").boundingBox();
    const main = await page.locator("main").boundingBox();
    expect(status).not.toBeNull();
    expect(main).not.toBeNull();
    expect((status?.y ?? 0) + (status?.height ?? 0)).toBeLessThanOrEqual(main?.y ?? 0);
    expect(status?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(200); // in the first screenful on a phone
    expect(await page.locator("#offline-status").textContent()).toMatch(/^オフラインでも使えます（[\d,]+ページ保存済み）$/);
  });

  it("said it was saving, with progress, before it said ready", () => {
    expect(states).toContain("saving");
    expect(states.indexOf("saving")).toBeLessThan(states.lastIndexOf("ready"));
  });

  describe("then offline", () => {
    beforeAll(async () => {
      await context.setOffline(true);
    });

    it.each([
      ["/agencies/462161/", "日置市"],
      ["/agencies/052108/", "由利本荘市"],
      ["/agencies/mlit/", "国土交通省"],
      ["/agencies/011002/", "札幌市"],
      ["/check/", "判定"],
      ["/faq/", "よくある質問"],
      ["/prefectures/46/", "鹿児島県"],
      ["/agencies/", "発注者"],
    ])("opens %s", async (path, heading) => {
      const res = await page.goto(`${proxy.url}${path}`);
      expect(res?.ok()).toBe(true);
      expect(await page.locator("h1").first().textContent()).toContain(heading);
      await expect.poll(() => page.locator("#offline-status").getAttribute("data-state")).toBe("offline");
      expect(await page.locator("#offline-status").textContent()).toContain("オフラインです");
    });

    it("serves an adopted agency's page from its pack, byte for byte the page the server sends", async () => {
      const res = await page.goto(`${proxy.url}/agencies/462161/`);
      expect(res?.headers()["x-offline-page"]).toBe("pack");
      // The page's security headers travel with it.
      expect(res?.headers()["content-security-policy"]).toContain("script-src 'self' 'sha256-");
      expect(res?.headers()["x-frame-options"]).toBe("DENY");
      const online = await (await fetch(`${base}/agencies/462161/`)).text();
      expect(await res?.text()).toBe(online);
    });

    it("opens the guide's offline page for a link to the API's JSON", async () => {
      await page.goto(`${proxy.url}/agencies/462161/`);
      const link = page.locator("a[data-needs-network]");
      expect(await link.getAttribute("href")).toBe("/api/v1/agencies/462161");
      await link.click();
      await expect.poll(() => page.locator("h1").textContent()).toContain("オフラインのため、このページは表示できません");
      expect(await page.locator("main").textContent()).toContain("通信が必要なもの");
    });
  });
});
