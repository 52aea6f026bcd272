// Lighthouse (performance, accessibility) on the guide's key pages, served by workerd from a
// fresh build, in Debian's Chromium. Usage: npm run bench:lighthouse [-- --no-build]
import { mkdirSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { freePort, root, run, serve } from "../serve.ts";

const dir = `${root}.local/bench`;
mkdirSync(dir, { recursive: true });
if (!process.argv.includes("--no-build")) await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
const served = await serve({ outDir: `${dir}/dist`, dbFile: `${dir}/bench.db`, port: await freePort(), log: "ignore" });
const chrome = await chromeLauncher.launch({
  chromePath: "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  for (const path of ["/", "/agencies/", "/agencies/462161/", "/check/", "/map/"]) {
    for (const formFactor of ["mobile", "desktop"] as const) {
      const result = await lighthouse(`${served.url}${path}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility", "best-practices"],
        formFactor,
        ...(formFactor === "desktop"
          ? { screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false } }
          : {}),
      });
      const c = result?.lhr.categories;
      const a = result?.lhr.audits;
      const score = (k: string) => Math.round((c?.[k]?.score ?? 0) * 100);
      console.log(
        `${path} (${formFactor}): performance ${score("performance")}, accessibility ${score("accessibility")}, best-practices ${score("best-practices")}; ` +
          `LCP ${a?.["largest-contentful-paint"]?.displayValue ?? "?"}, TBT ${a?.["total-blocking-time"]?.displayValue ?? "?"}, CLS ${a?.["cumulative-layout-shift"]?.displayValue ?? "?"}`,
      );
    }
  }
} finally {
  chrome.kill();
  await served.stop();
}
