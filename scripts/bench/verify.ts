// Verification through the real Worker (wrangler dev on workerd, loopback libSQL server), measured
// side by side in one run: /api/v1/health, a right key, refused guesses (unknown numbers: 404) and
// typos (400, no lookup), 50 connections for N s each, every request from its own client address
// (cf-connecting-ip) so the 60-a-minute client limit measures nothing but the route. Then the
// right-key verify again after 1,000,000 more certificates are in the database.
// Usage: npm run bench:verify [-- --no-build] [-- --seconds N]
import { rmSync } from "node:fs";
import { createClient } from "@libsql/client";
import autocannon from "autocannon";
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
  const { number, authKey } = await issueOne(served.url, demo);
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
  const results: Record<string, { rps: number; p50: number }> = {};
  for (const [name, body] of scenarios) results[name] = await measure(served.url, name, body, "1,000");
  await fillCertificates(dbFile, 1_000_000);
  const big = await measure(served.url, "POST /api/v1/verify (right key)", scenarios[1]?.[1] ?? (() => null), "1,001,000");
  const health = results["GET /api/v1/health"]?.rps ?? 1;
  const right = results["POST /api/v1/verify (right key)"];
  console.log(
    `\nverify/health throughput ${(((right?.rps ?? 0) / health) * 100).toFixed(0)}%; verify p50 with 1,001,000 vs 1,000 certificates: ${((big.p50 || 1) / (right?.p50 || 1)).toFixed(2)}×`,
  );
  console.log(`${connections} connections, ${seconds} s per call, ${new Date().toISOString()}`);
} finally {
  await served.stop();
}

async function measure(url: string, name: string, body: () => unknown, certificates: string) {
  const isHealth = name.startsWith("GET");
  const statuses = new Map<number, number>();
  const result = await autocannon({
    url: `${url}${isHealth ? "/api/v1/health" : "/api/v1/verify"}`,
    connections,
    duration: seconds,
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
  console.log(
    `| \`${name}\` | ${certificates} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${JSON.stringify(Object.fromEntries(statuses))} |`,
  );
  return { rps: result.requests.average, p50: result.latency.p50 };
}

/** One application issued through the API; its first guarantee's number and key. */
async function issueOne(url: string, demo: Awaited<ReturnType<typeof ensureDemoAccounts>>) {
  const post = (path: string, cookie: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { cookie, origin: url, "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
  const cookie = async (email: string, password: string) =>
    ((await post("/api/v1/auth/login", "", { email, password })).headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  const contractor = await cookie(demo.contractor.email, demo.contractor.password);
  const staff = await cookie(demo.staff.email, demo.staff.password);
  const created = (await (
    await post("/api/v1/applications", contractor, {
      project: {
        name: "照会計測工事",
        agencyId: "462161",
        beneficiary: "日置市長",
        location: "鹿児島県日置市",
        workType: "construction",
        contractPrice: 50_000_000,
        periodFrom: "2025-07-01",
        periodTo: "2026-03-20",
        bidAnnouncedOn: "2025-06-02",
        contractedOn: "2025-06-25",
      },
      guarantees: [{ kind: "contract", amount: 5_000_000, delivery: "electronic" }],
      branchId: "wjcs-kagoshima",
      contact: { name: "計測太郎", phone: "099-000-0000" },
    })
  ).json()) as { id: string };
  await post(`/api/v1/applications/${created.id}/submit`, contractor);
  const issued = (await (await post(`/api/v1/staff/applications/${created.id}/issue`, staff)).json()) as {
    guarantees: { contractNumber: string }[];
  };
  const number = issued.guarantees[0]?.contractNumber ?? "";
  const key = (await (await fetch(`${url}/api/v1/guarantees/${number}/auth-key`, { headers: { cookie: contractor } })).json()) as {
    authKey: string;
  };
  return { number, authKey: key.authKey, applicationId: created.id };
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
