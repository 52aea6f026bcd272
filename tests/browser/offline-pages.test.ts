// Offline, the service worker builds the page of an agency the sources say nothing about from a
// template and /offline-agencies.json instead of downloading it. Those pages must be the online
// pages byte for byte: checked here through the same function the worker runs (site/sw/substitute.js)
// against what the server sends, and through the real worker in Chromium with the network off.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { OFFLINE_TABLE_PATH, type OfflineTable, offlinePage, TEMPLATE_PAGE_PREFIX } from "../../site/sw/substitute.js";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
/** A city, a town, a village and a special ward. */
const SAMPLES = [
  ["012033", "小樽市"],
  ["473821", "与那国町"],
  ["013048", "新篠津村"],
  ["131016", "千代田区"],
] as const;

let table: OfflineTable;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function served(path: string): Promise<string> {
  const res = await fetch(`${base}${path}`);
  expect(res.status, path).toBe(200);
  return res.text();
}

beforeAll(async () => {
  const res = await fetch(`${base}${OFFLINE_TABLE_PATH}`);
  expect(res.ok).toBe(true);
  table = (await res.json()) as OfflineTable;
  browser = await launch();
  context = await browser.newContext({ locale: "ja-JP" });
  page = await context.newPage();
});
afterAll(async () => {
  await browser.close();
});

describe("offline agency pages from templates", () => {
  it("cover the sampled kinds", () => {
    for (const [id] of SAMPLES) expect(table.agencies.id).toContain(id);
    // Every prefecture has a source since issue 9, and a searched agency's page says when: neither is built from a template.
    expect(table.agencies.id).not.toContain("010006");
    expect(table.agencies.id).not.toContain("011002");
  });

  it.each(SAMPLES)("/agencies/%s/ (%s) built from its template is the served page", async (id, name) => {
    const html = await served(`/agencies/${id}/`);
    expect(html).toContain(`<h1 data-astro-cid-`);
    expect(html).toContain(name);
    expect(offlinePage(table, id)).toBe(html);
  });

  it("every agency in the table: built from its template is the served page", async () => {
    const ids = [...table.agencies.id];
    const mismatched: string[] = [];
    // A few requests at a time: the local workerd serves them quickly, without flooding it.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = ids.shift(); id !== undefined; id = ids.shift())
          if (offlinePage(table, id) !== (await served(`/agencies/${id}/`))) mismatched.push(id);
      }),
    );
    expect(mismatched).toEqual([]);
    expect(table.agencies.id.length).toBeGreaterThan(1000);
  });

  it("keeps the templates out of the site: not served, not listed, not searchable", async () => {
    for (const variant of [...table.variants, "nationwide"])
      expect((await fetch(`${base}/agencies/${TEMPLATE_PAGE_PREFIX}${variant}/`)).status).toBe(404);
    expect(await served("/agencies/")).not.toContain(TEMPLATE_PAGE_PREFIX);
    expect(await served("/search-index.json")).not.toContain(TEMPLATE_PAGE_PREFIX);
  });

  it("are built by the service worker with the network off, byte for byte, never downloaded", async () => {
    // Any page with the Base layout registers the worker; the table comes with its core at install.
    await page.goto(`${base}/faq/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
    const get = (path: string) =>
      page.evaluate(async (p) => {
        const res = await fetch(p);
        const header = (name: string) => res.headers.get(name);
        return {
          status: res.status,
          type: header("content-type"),
          from: header("x-offline-page"),
          csp: header("content-security-policy"),
          html: await res.text(),
        };
      }, path);
    // Online, the network's answer wins and is kept.
    expect((await get("/agencies/131024/")).from).toBeNull();
    expect(await page.evaluate(async () => (await caches.match("/agencies/131024/")) !== undefined)).toBe(true);
    const csp = (await fetch(`${base}/agencies/131024/`)).headers.get("content-security-policy");
    await context.setOffline(true);
    for (const [id] of SAMPLES) {
      const got = await get(`/agencies/${id}/`);
      expect(got.status).toBe(200);
      expect(got.type).toBe("text/html; charset=utf-8");
      expect(got.from).toBe("template");
      // The same script policy as online, which the page's inline script (hashed at build) satisfies.
      expect(got.csp).toBe(csp);
      expect(got.html).toBe(await served(`/agencies/${id}/`));
    }
    await context.setOffline(false);
  });
});
