// The web side's headers: a strict script policy that the pages actually satisfy, the same headers
// on the 404 page, and HSTS for production hosts but never on a local run.
import { request } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const HSTS = "max-age=31536000; includeSubDomains";
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** What every page is served with (public/_headers, script hashes filled in by the build). */
function expectPageHeaders(headers: Headers) {
  const csp = headers.get("content-security-policy") ?? "";
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc).toMatch(/'sha256-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(headers.get("permissions-policy")).toContain("geolocation=()");
}

/**
 * GET `path` from the local Worker as if addressed to `host`: workerd keeps the Host header in
 * request.url, so the assets' host rules see what they would see in production.
 */
function getAs(host: string, path: string): Promise<{ status: number; headers: Headers }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { host } }, (res) => {
      res.resume();
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") headers.set(name, value);
      resolve({ status: res.statusCode ?? 0, headers });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("security headers", () => {
  it("sends a script policy without 'unsafe-inline' and the usual hardening headers", async () => {
    const res = await fetch(`${base}/agencies/462161/`);
    expectPageHeaders(res.headers);
  });
  it.each(["/", "/agencies/", "/agencies/462161/", "/check/", "/faq/", "/no-such-page/"])(
    "%s runs under the policy without violations",
    async (path) => {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${base}${path}`);
      await page.waitForLoadState("networkidle");
      await page.close();
      expect(violations).toEqual([]);
    },
  );
});

describe("an unknown address", () => {
  it.each(["/no-such-page/", "/agencies/000000/", "/guide/no/such/step"])(
    "%s answers 404 with the Japanese page and the page headers",
    async (path) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("text/html");
      expectPageHeaders(res.headers);
      const html = await res.text();
      expect(html).toContain('<html lang="ja"');
      expect(html).toContain("ページが見つかりません");
      expect(html).toMatch(/<form[^>]*action="\/agencies\/"/);
      expect(html).toContain('href="/agencies/"');
      expect(html).toContain('href="/"');
    },
  );
  it("leads back to the search without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "ja-JP" });
    const page = await context.newPage();
    const res = await page.goto(`${base}/no-such-page/`);
    expect(res?.status()).toBe(404);
    expect(await page.locator("html").getAttribute("lang")).toBe("ja");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("ページが見つかりません");
    expect(await page.getByRole("link", { name: "ホームへ戻る" }).getAttribute("href")).toBe("/");
    await page.getByRole("searchbox").fill("日置市");
    await page.getByRole("button", { name: "検索" }).click();
    await page.waitForURL(/\/agencies\/\?q=/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("日置市");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("発注者を探す");
    await context.close();
  });
});

describe("HSTS", () => {
  const paths = ["/", "/agencies/462161/", "/icon.svg", "/manifest.webmanifest", "/no-such-page/"];
  it.each(paths)("is not sent on a local run: %s", async (path) => {
    const res = await fetch(`${base}${path}`);
    await res.body?.cancel();
    expect(res.headers.has("strict-transport-security")).toBe(false);
  });
  it.each(paths)("is sent to a production host: %s", async (path) => {
    const res = await getAs("guide.example.jp", path);
    expect(res.status).toBe(path === "/no-such-page/" ? 404 : 200);
    expect(res.headers.get("strict-transport-security")).toBe(HSTS);
    if (path.endsWith("/")) expectPageHeaders(res.headers);
  });
});
