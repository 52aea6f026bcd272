// Throughput and latency of the database-backed routes through the real Worker (wrangler dev on
// workerd, loopback libSQL HTTP server), 50 connections for 10 s per route, then a health check
// to show the server still answers. Usage: npm run bench:load [-- --no-build] [-- --seconds N]
import { rmSync } from "node:fs";
import autocannon from "autocannon";
import { freePort, root, run, serve } from "../serve.ts";

const dir = `${root}.local/bench-load`;
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 10;
const connections = 50;
const routes = ["/api/v1/health", "/api/v1/guarantors", "/api/v1/agencies?q=hioki"];

if (!process.argv.includes("--no-build")) {
  rmSync(dir, { recursive: true, force: true });
  await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
}
const served = await serve({ outDir: `${dir}/dist`, dbFile: `${dir}/bench.db`, port: await freePort(), log: "ignore" });
try {
  console.log(`| route | requests/s | p50 ms | p99 ms | errors | non-2xx | health afterwards |`);
  console.log(`|---|---|---|---|---|---|---|`);
  for (const path of routes) {
    const result = await autocannon({ url: `${served.url}${path}`, connections, duration: seconds });
    const after = await fetch(`${served.url}/api/v1/health`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.status,
      () => "no answer",
    );
    console.log(
      `| \`${path}\` | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${result.errors + result.timeouts} | ${result.non2xx} | ${after} |`,
    );
  }
  console.log(`\n${connections} connections, ${seconds} s per route, ${new Date().toISOString()}`);
  await loginLoad(served.url);
} finally {
  await served.stop();
}

/** p-th percentile of sorted numbers. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Logins (argon2id in workerd) from 20 concurrent clients, each with its own account, for the same
 * duration: a login per account at a time, as people log in (one account's parallel logins would
 * be throttled by design).
 */
async function loginLoad(url: string, clients = 20): Promise<void> {
  const run = Date.now().toString(36);
  const company = { name: "株式会社計測", address: "東京都千代田区霞が関2-1-3", representative: "代表 計測" };
  const accounts = Array.from({ length: clients }, (_, i) => ({ email: `bench-${run}-${i}@example.jp`, password: `bench password ${i}` }));
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", origin: url } });
  for (const a of accounts) await post("/api/v1/auth/register", { ...a, company });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    accounts.map(async (a) => {
      while (performance.now() < end) {
        const start = performance.now();
        const res = await post("/api/v1/auth/login", a);
        await res.arrayBuffer();
        latencies.push(performance.now() - start);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  console.log(
    `\nPOST /api/v1/auth/login, ${clients} concurrent clients for ${seconds} s: ${Math.round(latencies.length / seconds)} logins/s, p50 ${Math.round(percentile(latencies, 50))} ms, p99 ${Math.round(percentile(latencies, 99))} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
}
