// The browser tests' Chromium: scripts/chromium.ts, plus a phone page per test file.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launch } from "../../scripts/chromium.ts";

export { CHROMIUM, CHROMIUM_ARGS, launch, launchProfile } from "../../scripts/chromium.ts";

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
