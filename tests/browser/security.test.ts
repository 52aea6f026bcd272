// The web side's headers: a strict script policy that the pages actually satisfy.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe("security headers", () => {
  it("sends a script policy without 'unsafe-inline' and the usual hardening headers", async () => {
    const res = await fetch(`${base}/agencies/462161/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc).toMatch(/'sha256-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });
  it.each(["/", "/agencies/", "/agencies/462161/", "/check/", "/faq/"])("%s runs under the policy without violations", async (path) => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}${path}`);
    await page.waitForLoadState("networkidle");
    await page.close();
    expect(violations).toEqual([]);
  });
});
