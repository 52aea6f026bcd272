// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work here).
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see README)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A normal (non-incognito) profile, for checks Chromium skips in incognito, like installability. */
export async function launchProfile(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see README)`);
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "denshi-profile-")), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/**
 * One Chromium and one Japanese page at a phone's size (390 × 844) for a test file: launched before
 * its tests, closed after. Read the page through the getter once the tests run.
 */
export function usePhonePage(): { readonly page: Page } {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ locale: "ja-JP", viewport: { width: 390, height: 844 } });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get page(): Page {
      if (page === undefined) throw new Error("the page is opened in beforeAll");
      return page;
    },
  };
}
