// axe-core in the real page: no WCAG 2.x A/AA violation on the guide's main pages.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

describe("accessibility (axe, WCAG 2.2 AA)", () => {
  it.each([
    "/",
    "/agencies/",
    "/agencies/462161/",
    "/agencies/320005/",
    "/agencies/011002/",
    "/check/",
    "/map/",
    "/prefectures/32/",
    "/faq/",
    "/guide/",
    "/sources/",
  ])("%s has no violations", async (path) => {
    // axe is injected as an inline script, which the site's strict CSP rightly refuses.
    const page = await browser.newPage({ locale: "ja-JP", bypassCSP: true });
    const res = await page.goto(`${base}${path}`);
    expect(res?.status(), `${path} must exist`).toBe(200);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
      const result = await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      });
      return result.violations;
    });
    await page.close();
    const summary = (violations as AxeViolation[]).map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
    expect(summary).toEqual([]);
  });
});
