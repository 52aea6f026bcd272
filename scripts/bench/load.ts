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
} finally {
  await served.stop();
}
