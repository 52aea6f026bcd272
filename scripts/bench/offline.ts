// Offline on a weak phone link (issue 8): a first visit to the home page through a throttling proxy
// (scripts/throttle.ts: 1.6 Mbps down, 150 ms each way) in Debian's Chromium at a phone's size, then,
// at each checkpoint, the network cut and the pages a contractor needs opened offline.
// Prints when the offline status said what, how many adopted agencies' pages were stored, and
// which sample pages opened, per run and checkpoint.
// Usage: npm run bench:offline [-- --runs 3 --at 5,10,30 --dist DIR (an existing build: no build)]
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { launch } from "../chromium.ts";
import { freePort, root, run, serve } from "../serve.ts";
import { PHONE_LINK, throttle } from "../throttle.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    at: { type: "string", default: "10" },
    dist: { type: "string" },
  },
});
const runs = Number(values.runs);
const checkpoints = values.at.split(",").map(Number);

/** What a contractor opens offline: adopted agencies (one from each guarantor), an unknown one, the checker, the FAQ, a prefecture, the list. */
const SAMPLES: [path: string, heading: string][] = [
  ["/agencies/462161/", "日置市"],
  ["/agencies/052108/", "由利本荘市"],
  ["/agencies/011002/", "札幌市"],
  ["/check/", "判定"],
  ["/faq/", "よくある質問"],
  ["/prefectures/46/", "鹿児島県"],
  ["/agencies/", "発注者"],
];

let dist = values.dist;
if (dist === undefined) {
  const dir = `${root}.local/bench-offline`;
  mkdirSync(dir, { recursive: true });
  await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
  dist = `${dir}/dist`;
}
// The adopted (and scheduled) agencies' pages: every built agency page the offline table does not stand for.
const client = join(dist, "client");
const tableFile = join(client, "offline-agencies.json");
const fromTemplate = new Set<string>(existsSync(tableFile) ? JSON.parse(readFileSync(tableFile, "utf8")).agencies.id : []);
const listed = readdirSync(join(client, "agencies"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !fromTemplate.has(d.name))
  .map((d) => `/agencies/${d.name}/`);

const dbDir = `${root}.local/bench-offline`;
mkdirSync(dbDir, { recursive: true });
const served = await serve({ outDir: dist, dbFile: `${dbDir}/bench-${process.pid}.db`, port: await freePort(), log: "ignore" });
const proxy = await throttle({ host: "localhost", port: Number(new URL(served.url).port) });
const browser = await launch();
console.log(
  `link: ${PHONE_LINK.downBps / 1e6} Mbps down, ${PHONE_LINK.upBps / 1e6} Mbps up, ${PHONE_LINK.oneWayMs} ms each way; ` +
    `${listed.length} agency pages to store; build ${dist}`,
);
try {
  for (const at of checkpoints) {
    for (let r = 1; r <= runs; r++) {
      const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 390, height: 844 }, isMobile: true });
      const page = await context.newPage();
      const before = proxy.carried().down;
      const start = Date.now();
      const seen: Record<string, number> = {};
      await page.goto(`${proxy.url}/`, { waitUntil: "load", timeout: 60_000 });
      const loaded = (Date.now() - start) / 1000;
      while (Date.now() - start < at * 1000) {
        const state = await page.evaluate(() => {
          const el = document.getElementById("offline-status");
          return el === null ? "none" : `${el.dataset["state"]}${el.textContent?.includes("保存済み") ? "+saved" : ""}`;
        });
        seen[state] ??= (Date.now() - start) / 1000;
        await page.waitForTimeout(100);
      }
      const stored = await page.evaluate(async (paths) => {
        const name = (await caches.keys()).find((n) => n.startsWith("guide-"));
        if (name === undefined) return 0;
        const keys = new Set((await (await caches.open(name)).keys()).map((req) => new URL(req.url).pathname));
        return paths.filter((p) => keys.has(p)).length;
      }, listed);
      const carried = proxy.carried().down - before;
      await context.setOffline(true);
      const opened: string[] = [];
      for (const [path, heading] of SAMPLES) {
        try {
          const res = await page.goto(`${proxy.url}${path}`, { timeout: 10_000 });
          const h1 = await page.locator("h1").first().textContent({ timeout: 2_000 });
          if (res?.ok() && h1?.includes(heading)) opened.push(path);
        } catch {
          // not stored: the navigation fails or shows the offline page
        }
      }
      await context.close();
      const timeline = Object.entries(seen)
        .map(([state, s]) => `${state} ${s.toFixed(1)} s`)
        .join(", ");
      console.log(
        `at ${at} s, run ${r}: home loaded ${loaded.toFixed(1)} s; status: ${timeline}; ` +
          `agency pages stored ${stored} / ${listed.length}; opened offline ${opened.length} / ${SAMPLES.length}` +
          `${
            opened.length < SAMPLES.length
              ? ` (not: ${SAMPLES.filter(([p]) => !opened.includes(p))
                  .map(([p]) => p)
                  .join(" ")})`
              : ""
          }; ` +
          `${(carried / 1024).toFixed(0)} KB down the link`,
      );
    }
  }
} finally {
  await browser.close();
  await proxy.close();
  await served.stop();
}
