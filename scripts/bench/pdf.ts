// The notice and certificate PDFs through the real Worker (wrangler dev on workerd, the font from
// the built static assets, loopback libSQL HTTP server): the first notice of a fresh Worker (the
// font fetched and parsed), then, after a warm-up, N rounds of one request each, one at a time: the
// guarantee's JSON (the baseline: the same session and database reads, no PDF), the notice and the
// certificate. Latency p50/p90, size, and the CPU time workerd spent per request (from /proc, in
// 10 ms ticks, so meaningful over many requests), which other load on the machine inflates less
// than it inflates latency. The PDFs' own cost is their difference to the JSON.
// Usage: npm run bench:pdf [-- --no-build] [-- --requests N] (--no-build reuses .local/bench-pdf/dist)
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { issueThroughApi, workerApi } from "../../tests/support/worker-api.ts";
import { ensureDemoAccounts } from "../demo-accounts.ts";
import { freePort, root, run, serve } from "../serve.ts";

const dir = `${root}.local/bench-pdf`;
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const requests = Number(arg("--requests")) || 200;

if (!process.argv.includes("--no-build")) {
  rmSync(dir, { recursive: true, force: true });
  await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
}
for (const suffix of ["", "-wal", "-shm", ".data-key"]) rmSync(`${dir}/bench.db${suffix}`, { force: true });
const served = await serve({ outDir: `${dir}/dist`, dbFile: `${dir}/bench.db`, port: await freePort(), log: "ignore" });
const url = served.url;

/** CPU ms so far of the workerd processes under this wrangler (null without /proc). */
function workerdCpuMs(): number | null {
  const wrangler = served.worker.pid;
  if (!existsSync("/proc") || wrangler === undefined) return null;
  const table = new Map<number, { parent: number; name: string; ms: number }>();
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const rest = stat.slice(close + 2).split(" "); // state, ppid, … utime (12th), stime (13th), in 1/100 s
      table.set(Number(entry), {
        parent: Number(rest[1]),
        name: stat.slice(stat.indexOf("(") + 1, close),
        ms: (Number(rest[11]) + Number(rest[12])) * 10,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let p = table.get(pid)?.parent ?? 0; p > 1; p = table.get(p)?.parent ?? 0) if (p === wrangler) return true;
    return false;
  };
  let ms = 0;
  for (const [pid, p] of table) if (p.name === "workerd" && under(pid)) ms += p.ms;
  return ms;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const { send } = workerApi(url);

interface Row {
  name: string;
  p50: number;
  p90: number;
  bytes: number;
  cpu: number | null;
  errors: number;
}

/**
 * The routes measured in turns (one request of each, again and again), so that other load on the
 * machine falls on all of them alike; workerd's CPU is read around each request (one at a time).
 */
async function measure(routes: { name: string; path: string }[], cookie: string): Promise<Row[]> {
  for (const r of routes) for (let i = 0; i < 20; i++) await (await send("GET", r.path, cookie)).arrayBuffer(); // warm-up
  const samples = routes.map(() => ({ latencies: [] as number[], cpu: 0 as number | null, bytes: 0, errors: 0 }));
  for (let i = 0; i < requests; i++) {
    for (const [k, r] of routes.entries()) {
      const sample = samples[k] as (typeof samples)[number];
      const cpuBefore = workerdCpuMs();
      const start = performance.now();
      const res = await send("GET", r.path, cookie);
      const body = await res.arrayBuffer();
      sample.latencies.push(performance.now() - start);
      const cpuAfter = workerdCpuMs();
      sample.cpu = sample.cpu === null || cpuBefore === null || cpuAfter === null ? null : sample.cpu + (cpuAfter - cpuBefore);
      if (res.status !== 200) sample.errors++;
      sample.bytes = body.byteLength;
    }
  }
  return routes.map((r, k) => {
    const sample = samples[k] as (typeof samples)[number];
    const sorted = [...sample.latencies].sort((a, b) => a - b);
    return {
      name: r.name,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      bytes: sample.bytes,
      cpu: sample.cpu === null ? null : sample.cpu / requests,
      errors: sample.errors,
    };
  });
}

try {
  const demo = await ensureDemoAccounts(`file:${dir}/bench.db`);
  const { number, contractor } = await issueThroughApi(url, demo, "帳票計測 市道伊集院線改良工事（第２工区）", [
    { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: "鹿児島銀行　伊集院支店" },
  ]);

  // The first notice of this Worker: the font is fetched from the assets and parsed.
  const coldStart = performance.now();
  const cold = await send("GET", `/api/v1/guarantees/${number}/notice.pdf`, contractor);
  await cold.arrayBuffer();
  const coldMs = performance.now() - coldStart;
  if (cold.status !== 200) throw new Error(`notice.pdf: ${cold.status}`);

  const rows = await measure(
    [
      { name: "`GET /guarantees/{n}` (JSON, the baseline)", path: `/api/v1/guarantees/${number}` },
      { name: "`GET /guarantees/{n}/notice.pdf`", path: `/api/v1/guarantees/${number}/notice.pdf` },
      { name: "`GET /guarantees/{n}/certificate.pdf`", path: `/api/v1/guarantees/${number}/certificate.pdf` },
    ],
    contractor,
  );
  const [json, notice, certificate] = rows as [Row, Row, Row];
  const ms = (n: number | null) => (n === null ? "n/a" : n.toFixed(1));
  console.log("| request | p50 ms | p90 ms | size | workerd CPU ms/request | errors |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.name} | ${ms(r.p50)} | ${ms(r.p90)} | ${(r.bytes / 1024).toFixed(1)} KB | ${ms(r.cpu)} | ${r.errors} |`);
  }
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  console.log(
    `\nnotice PDF, warm: p50 ${ms(notice.p50)} ms (target ≤ 40), ${(notice.bytes / 1024).toFixed(1)} KB (target ≤ 80); ` +
      `the PDF's own share over the JSON baseline: ${ms(diff(notice.p50, json.p50))} ms latency, ${ms(diff(notice.cpu, json.cpu))} ms workerd CPU`,
  );
  console.log(`certificate PDF, warm: p50 ${ms(certificate.p50)} ms, ${(certificate.bytes / 1024).toFixed(1)} KB`);
  console.log(`first notice of a fresh Worker (font fetched from the assets and parsed): ${coldMs.toFixed(0)} ms`);
  const load = existsSync("/proc/loadavg") ? readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ") : "unknown";
  console.log(`${requests} rounds of one request each, in turns, one at a time, ${new Date().toISOString()}, load average ${load}`);
} finally {
  await served.stop();
}
