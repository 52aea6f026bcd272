// Verification through the real Worker (wrangler dev on workerd, loopback libSQL server), measured
// side by side in one run: /api/v1/health, a right key, refused guesses (unknown numbers: 404) and
// typos (400, no lookup), 50 connections for N s each, every request from its own client address
// (cf-connecting-ip) so the 60-a-minute client limit measures nothing but the route. Then the
// right-key verify again after 1,000,000 more certificates are in the database.
// Usage: npm run bench:verify [-- --no-build] [-- --seconds N]
import { rmSync } from "node:fs";
import { createClient } from "@libsql/client";
import autocannon from "autocannon";
import { issueThroughApi } from "../../tests/support/worker-api.ts";
import { ensureDemoAccounts } from "../demo-accounts.ts";
import { freePort, root, run, serve } from "../serve.ts";

const dir = `${root}.local/bench-verify`;
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 10;
const connections = 50;

if (!process.argv.includes("--no-build")) {
  rmSync(dir, { recursive: true, force: true });
  await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
}
const dbFile = `${dir}/bench.db`;
rmSync(dbFile, { force: true });
const served = await serve({ outDir: `${dir}/dist`, dbFile, port: await freePort(), log: "ignore" });
let ip = 0;
const nextIp = () => {
  ip++;
  return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
};

try {
  const demo = await ensureDemoAccounts(`file:${dbFile}`);
  const { number, key: authKey } = await issueThroughApi(served.url, demo, "照会計測工事");
  await fillCertificates(dbFile, 1_000);
  console.log(`| call | certificates | requests/s | p50 ms | p99 ms | statuses |`);
  console.log(`|---|---|---|---|---|---|`);
  const unknownNumber = () => `20${String(90_000_000 + Math.floor(Math.random() * 9_999_999)).padStart(8, "0")}`;
  const scenarios: [string, () => unknown][] = [
    ["GET /api/v1/health", () => null],
    ["POST /api/v1/verify (right key)", () => ({ contractNumber: number, authKey })],
    ["POST /api/v1/verify (unknown number: 404)", () => ({ contractNumber: unknownNumber(), authKey })],
    ["POST /api/v1/verify (typo: 400)", () => ({ contractNumber: number, authKey: `${authKey.slice(0, -1)}!` })],
  ];
  // A short unreported warm-up of every call (the isolate compiles each route on first use), then
  // two rounds in turn, so that neither side gains from running later on a warmer machine.
  for (const [name, body] of scenarios) await measure(served.url, name, body, "1,000", Math.min(3, seconds), false);
  const ratios: number[] = [];
  const rightP50: number[] = [];
  for (let round = 0; round < 2; round++) {
    const results: Record<string, { rps: number; p50: number }> = {};
    for (const [name, body] of scenarios) results[name] = await measure(served.url, name, body, "1,000");
    const health = results["GET /api/v1/health"]?.rps ?? 1;
    ratios.push((results["POST /api/v1/verify (right key)"]?.rps ?? 0) / health);
    rightP50.push(results["POST /api/v1/verify (right key)"]?.p50 ?? 0);
  }
  await fillCertificates(dbFile, 1_000_000);
  const big = await measure(served.url, "POST /api/v1/verify (right key)", scenarios[1]?.[1] ?? (() => null), "1,001,000");
  const p50 = rightP50.reduce((a, b) => a + b, 0) / rightP50.length;
  console.log(
    `\nverify/health throughput per round: ${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(", ")}; verify p50 with 1,001,000 vs 1,000 certificates: ${((big.p50 || 1) / (p50 || 1)).toFixed(2)}×`,
  );
  console.log(`${connections} connections, ${seconds} s per call, ${new Date().toISOString()}`);
} finally {
  await served.stop();
}

async function measure(url: string, name: string, body: () => unknown, certificates: string, duration = seconds, report = true) {
  const isHealth = name.startsWith("GET");
  const statuses = new Map<number, number>();
  const result = await autocannon({
    url: `${url}${isHealth ? "/api/v1/health" : "/api/v1/verify"}`,
    connections,
    duration,
    requests: [
      {
        method: isHealth ? "GET" : "POST",
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, "content-type": "application/json", "cf-connecting-ip": nextIp() },
          ...(isHealth ? {} : { body: JSON.stringify(body()) }),
        }),
        onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  });
  if (!report) return { rps: result.requests.average, p50: result.latency.p50 };
  console.log(
    `| \`${name}\` | ${certificates} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${JSON.stringify(Object.fromEntries(statuses))} |`,
  );
  return { rps: result.requests.average, p50: result.latency.p50 };
}

/**
 * `count` more certificates straight into the database file (numbers 30xxxxxxxx, never a real
 * guarantor's), with hashes and boxes of the right shape, in batches.
 */
async function fillCertificates(file: string, count: number) {
  const client = createClient({ url: `file:${file}` });
  try {
    const [app] = (await client.execute("select id, company_id from applications limit 1")).rows;
    if (app === undefined) throw new Error("no application to hang the certificates on");
    const offset = Number(
      (await client.execute("select count(*) as n from guarantees where contract_number like '3%'")).rows[0]?.["n"] ?? 0,
    );
    const started = performance.now();
    const chunk = 50_000;
    for (let done = 0; done < count; done += chunk) {
      const n = Math.min(chunk, count - done);
      const first = offset + done;
      await client.execute({
        sql: `with recursive seq(i) as (select ? union all select i + 1 from seq where i < ?)
          insert into guarantees (id, contract_number, seq, guarantor_id, branch_id, application_id, position, company_id, agency_id,
            kind, delivery, status, current_version, auth_key_hash, auth_key_box, key_generation, issued_at, issued_by)
          select 'fill-' || i, printf('3%09d', i), i, 'wjcs', 'wjcs-kagoshima', ?, 1000 + i, ?, '462161', 'contract', 'electronic',
            'active', 1, lower(hex(randomblob(32))), 'v1.x.y', 1, '2026-01-01T09:00:00+09:00', 'bench'
          from seq`,
        args: [first, first + n - 1, String(app["id"]), String(app["company_id"])],
      });
    }
    console.log(`(+${count.toLocaleString("en")} certificates in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    client.close();
  }
}
