// axe-core on the on-demand pages (WCAG 2.2 AA), as they look at first and with errors shown,
// and the 44 px tap targets of their controls on a phone.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { issueThroughApi } from "../support/worker-api.ts";
import { login, verifyOnPage } from "./app-pages.ts";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const phone = { locale: "ja-JP", bypassCSP: true, viewport: { width: 390, height: 844 } }; // axe is an inline script
let browser: Browser;
/** One logged-in context per role, and one without a login. */
const contexts: Record<"contractor" | "staff" | "anonymous", BrowserContext | undefined> = {
  contractor: undefined,
  staff: undefined,
  anonymous: undefined,
};

beforeAll(async () => {
  browser = await launch();
  for (const who of ["contractor", "staff", "anonymous"] as const) {
    const context = await browser.newContext(phone);
    if (who !== "anonymous") {
      const page = await context.newPage();
      await login(page, base, demo[who].email, demo[who].password);
      await page.close();
    }
    contexts[who] = context;
  }
});
afterAll(async () => {
  await browser.close();
});

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const found = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
    return result.violations;
  })) as AxeViolation[];
  return found.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 3)
        .join(", ")}`,
  );
}

/** Visible buttons, inputs and selects smaller than 44 px in height (checkboxes and radios sit in 44 px labels). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("main button, main input:not([type=hidden]), main select, header button")]
      .filter((el) => el.offsetParent !== null && !el.closest(".default-action") && !el.classList.contains("default-action"))
      .map((el) => {
        const target = el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio") ? (el.closest("label") ?? el) : el;
        return { id: el.id || el.getAttribute("name") || el.textContent || el.tagName, h: target.getBoundingClientRect().height };
      })
      .filter((t) => t.h < 44)
      .map((t) => `${t.id}: ${Math.round(t.h)}px`),
  );
}

describe("accessibility of the on-demand pages (axe, WCAG 2.2 AA; phone-sized)", () => {
  it.each([
    ["/login/", "anonymous"],
    ["/register/", "anonymous"],
    ["/app/", "contractor"],
    ["/app/applications/new/", "contractor"],
    ["/desk/", "staff"],
    ["/desk/companies/", "staff"],
    ["/login/totp/enrol/", "staff"],
    ["/links/not-a-link/", "anonymous"],
    ["/verify/", "anonymous"],
    ["/report/?agency=462161", "anonymous"],
  ] as const)("%s has no violations and 44 px targets", async (path, who) => {
    const page = await (contexts[who] as BrowserContext).newPage();
    await page.goto(`${base}${path}`);
    expect(await violations(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.close();
  });

  it("a guarantee's pages (the contractor's, the desk's, the agency's verified result) have no violations and 44 px targets", async () => {
    const issued = await issueThroughApi(base, demo, `市道改良工事 アクセシビリティ ${Date.now().toString(36)}`);
    for (const [path, who] of [
      [`/app/guarantees/${issued.number}/`, "contractor"],
      [`/desk/guarantees/${issued.number}/`, "staff"],
    ] as const) {
      const page = await (contexts[who] as BrowserContext).newPage();
      await page.goto(`${base}${path}`);
      expect(await page.locator("main h1").count()).toBe(1);
      expect(await violations(page), path).toEqual([]);
      expect(await smallTargets(page), path).toEqual([]);
      await page.close();
    }
    const page = await (contexts.anonymous as BrowserContext).newPage();
    await verifyOnPage(page, base, issued.number, issued.key);
    await page.locator("#certificate").waitFor();
    expect(await violations(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.close();
  });

  it("the application form with every error shown has no violations", async () => {
    const page = await (contexts.contractor as BrowserContext).newPage();
    await page.goto(`${base}/app/applications/new/`);
    await page.locator("#f-guarantees-advance-apply").check();
    await page.getByRole("button", { name: "送信", exact: true }).click();
    expect(await page.locator("#error-summary").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("error-summary");
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it("the registration form with the server's errors has no violations and focuses the summary", async () => {
    const context = await browser.newContext({ locale: "ja-JP", bypassCSP: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/register/`);
    await page.getByRole("button", { name: "登録する" }).click();
    await page.waitForLoadState();
    expect(await page.locator("#error-summary li").count()).toBeGreaterThanOrEqual(4);
    await context.close();
    const again = await (contexts.anonymous as BrowserContext).newPage();
    await again.goto(`${base}/register/`);
    await again.getByRole("button", { name: "登録する" }).click();
    await again.waitForLoadState();
    expect(await again.evaluate(() => document.activeElement?.id)).toBe("error-summary");
    expect(await violations(again)).toEqual([]);
    await again.close();
  });
});
