// Worker size budget, checked in CI: build the site, let wrangler prepare the Worker exactly as
// `wrangler deploy` would upload it (`--dry-run --outdir`: offline, no Cloudflare account or login),
// then measure what it wrote and fail when the upload outgrows the budget.
// Usage: npm run check:worker [-- --dist DIR] [--budget-kib N] [--raw-budget-kib N]
//   --dist DIR          measure an existing build (DIR/server/wrangler.json) instead of building
//   --budget-kib N      gzip budget in KiB (default GZIP_BUDGET_KIB)
//   --raw-budget-kib N  uncompressed budget in KiB (default RAW_BUDGET_KIB)
import { type SpawnOptions, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { parseArgs, stripVTControlCharacters } from "node:util";
import { gzipSync } from "node:zlib";
import { root, run } from "./serve.ts";

const KIB = 1024;
/**
 * Budgets, from the Worker as measured when this check was written (wrangler 4.156, 16 modules with the entry:
 * 2,201 KiB raw, 433 KiB gzip; docs/benchmarks.md). Headroom for what is coming — accounts,
 * argon2 as wasm (~30 KB), a PDF library, jose — is roughly 3.5× on gzip and 2.3× on raw, while
 * staying well inside ARCHITECTURE.md's "ideally under 3 MB gzip". Fonts are served as static
 * assets and never bundled, so they do not count here. Raise a budget deliberately, in review.
 */
const GZIP_BUDGET_KIB = 1536;
const RAW_BUDGET_KIB = 5 * 1024;
/**
 * Cloudflare's hard limit on the Workers Paid plan is 10 MB (applied after compression); checking
 * the raw size against it as well is stricter and leaves no doubt.
 */
const HARD_LIMIT_KIB = 10 * 1024;

const usage = "usage: npm run check:worker [-- --dist DIR] [--budget-kib N] [--raw-budget-kib N]";

function fail(message: string): never {
  console.error(`check-worker-size: ${message}`);
  process.exit(1);
}

function positiveNumber(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`${flag} wants a positive number of KiB, got "${value}"\n${usage}`);
  return n;
}

let options: { dist?: string | undefined; "budget-kib"?: string | undefined; "raw-budget-kib"?: string | undefined };
try {
  options = parseArgs({
    options: { dist: { type: "string" }, "budget-kib": { type: "string" }, "raw-budget-kib": { type: "string" } },
    allowPositionals: false,
  }).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
}
const gzipBudgetKib = positiveNumber(options["budget-kib"], GZIP_BUDGET_KIB, "--budget-kib");
const rawBudgetKib = positiveNumber(options["raw-budget-kib"], RAW_BUDGET_KIB, "--raw-budget-kib");

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
/** A path as the reader typed it: relative inside the project, absolute outside it. */
const shown = (path: string) => (path.startsWith(root) ? relative(root, path) : path);
const kib = (bytes: number) => (bytes / KIB).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

// 1. The build: our own folder (as scripts/bench/build.ts does), so it never races another build.
const started = performance.now();
let dist: string;
if (options.dist !== undefined) {
  dist = resolve(options.dist);
} else {
  const dir = `${root}.local/worker-size`;
  dist = `${dir}/dist`;
  rmSync(dist, { recursive: true, force: true }); // keep the cache: only the output must be fresh
  try {
    await run("astro", ["build"], { ASTRO_OUT_DIR: dist, ASTRO_CACHE_DIR: `${dir}/cache` });
  } catch (error) {
    fail(`astro build failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
const config = join(dist, "server", "wrangler.json");
if (!existsSync(config)) fail(`no ${shown(config)}: is ${shown(dist)} an \`astro build\` output?`);
const buildTime = options.dist === undefined ? seconds(started) : "skipped (--dist)";

// 2. The upload, as wrangler prepares it. Node from the `node` devDependency, like scripts/serve.ts.
interface Result {
  code: number | null;
  output: string;
}
function capture(command: string, args: string[], spawnOptions: SpawnOptions): Promise<Result> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => done({ code, output }));
  });
}

const outdir = mkdtempSync(join(tmpdir(), "worker-size-"));
const dryRunStarted = performance.now();
let wrangler: Result;
try {
  wrangler = await capture(
    `${root}node_modules/.bin/node`,
    [`${root}node_modules/.bin/wrangler`, "deploy", "--dry-run", "--outdir", outdir, "-c", config],
    {
      cwd: root,
      // No metrics; CI so it never prompts. (Colours, if any, are stripped before parsing.)
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    },
  );
} catch (error) {
  rmSync(outdir, { recursive: true, force: true });
  fail(`could not start wrangler: ${error instanceof Error ? error.message : String(error)}`);
}
const dryRunTime = seconds(dryRunStarted);
if (wrangler.code !== 0) {
  rmSync(outdir, { recursive: true, force: true });
  console.error(wrangler.output.trimEnd());
  fail(`\`wrangler deploy --dry-run -c ${shown(config)}\` failed (exit ${wrangler.code}): the Worker would not deploy`);
}

// 3. Measure what wrangler wrote: every module it would upload (it adds a README.md; source maps,
// if any, are uploaded separately and do not count). Same figures as wrangler's own: the sum of the
// modules, and one gzip (default level) over them all, the entry last.
const main = basename((JSON.parse(readFileSync(config, "utf8")) as { main?: string }).main ?? "entry.mjs");
const files = readdirSync(outdir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && !entry.name.endsWith(".map") && !(entry.name === "README.md" && entry.parentPath === outdir))
  .map((entry) => relative(outdir, join(entry.parentPath, entry.name)))
  .sort((a, b) => Number(a === main) - Number(b === main) || a.localeCompare(b));
const contents = files.map((file) => readFileSync(join(outdir, file)));
rmSync(outdir, { recursive: true, force: true });
if (!files.includes(main)) fail(`wrangler wrote no ${main} to its --outdir (found: ${files.join(", ") || "nothing"})`);
const raw = contents.reduce((n, buf) => n + buf.length, 0);
const gzip = gzipSync(Buffer.concat(contents)).length;

// Cross-check with wrangler's own line, "Total Upload: X KiB / gzip: Y KiB".
const totalUpload = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stripVTControlCharacters(wrangler.output));
if (totalUpload === null) {
  console.warn("check-worker-size: warning: wrangler printed no “Total Upload” line to cross-check against");
} else {
  const [, wranglerRaw = "", wranglerGzip = ""] = totalUpload;
  const rawOff = Math.abs(Number(wranglerRaw) * KIB - raw);
  const gzipOff = Math.abs(Number(wranglerGzip) * KIB - gzip);
  if (rawOff > KIB || gzipOff > Math.max(KIB, gzip * 0.01))
    fail(
      `measured ${kib(raw)} KiB / gzip ${kib(gzip)} KiB over ${files.length} files, but wrangler says ${totalUpload[0]}: ` +
        "this check no longer measures what wrangler uploads; fix the check",
    );
}

const wranglerLine = totalUpload === null ? "" : `; wrangler: ${totalUpload[0]}`;
console.log(
  `Worker upload: ${kib(raw)} KiB raw, ${kib(gzip)} KiB gzip, ${files.length} modules ` +
    `(budget ${kib(rawBudgetKib * KIB)} KiB raw, ${kib(gzipBudgetKib * KIB)} KiB gzip; limit ${kib(HARD_LIMIT_KIB * KIB)} KiB)` +
    `${wranglerLine}; build ${buildTime}, dry run ${dryRunTime}`,
);

const over: string[] = [];
if (raw > HARD_LIMIT_KIB * KIB)
  over.push(`raw ${kib(raw)} KiB is over Cloudflare's 10 MB Worker limit (${kib(HARD_LIMIT_KIB * KIB)} KiB): it cannot deploy`);
if (gzip > gzipBudgetKib * KIB) over.push(`gzip ${kib(gzip)} KiB is over the ${kib(gzipBudgetKib * KIB)} KiB gzip budget`);
if (raw > rawBudgetKib * KIB) over.push(`raw ${kib(raw)} KiB is over the ${kib(rawBudgetKib * KIB)} KiB raw budget`);
if (over.length > 0)
  fail(
    `the Worker is too big:\n  ${over.join("\n  ")}\n` +
      "Move data and binaries out of the bundle (static assets, the database), or raise the budget in scripts/check-worker-size.ts on purpose.",
  );
