// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work here),
// for the benchmarks and the browser tests alike (tests/browser/chromium.ts adds the test helpers).
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

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

function ensureChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see README)`);
}

export async function launch(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A normal (non-incognito) profile, for checks Chromium skips in incognito, like installability. */
export async function launchProfile(): Promise<BrowserContext> {
  ensureChromium();
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "denshi-profile-")), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
}
