// Submit and issue through the real Worker (wrangler dev on workerd, loopback libSQL HTTP server):
// (a) drafts (for N s and until each client has 40), then submits of them for N s, from 20 concurrent
// contractors, each its own company approved by the demo staff member (西日本建設業保証 鹿児島支店);
// (b) issues from 20 concurrent staff sessions for N s (or until the submitted ones run out), keeping
// 50 back for (c) 50 issues sent at once: wall time, errors, duplicate numbers (must be 0). Besides
// latency, the CPU time workerd (and this process: clients + loopback libSQL server) spent per request,
// which other load on the machine does not inflate as much as it inflates latency.
// Usage: npm run bench:desk [-- --no-build] [-- --seconds N]
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { ensureDemoAccounts } from "../demo-accounts.ts";
import { freePort, root, run, serve } from "../serve.ts";

const dir = `${root}.local/bench-desk`;
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 10;
const clients = 20;
const burst = 50;

if (!process.argv.includes("--no-build")) {
  rmSync(dir, { recursive: true, force: true });
  await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
}
rmSync(`${dir}/bench.db`, { force: true });
for (const suffix of ["-wal", "-shm", ".data-key"]) rmSync(`${dir}/bench.db${suffix}`, { force: true });
const served = await serve({ outDir: `${dir}/dist`, dbFile: `${dir}/bench.db`, port: await freePort(), log: "ignore" });
const url = served.url;

/** One application as a contractor sends it: an advance and a contract guarantee, both electronic, to 日置市. */
const application = (client: number, i: number) => ({
  project: {
    name: `計測工事 ${client}-${i}`,
    agencyId: "462161",
    beneficiary: "日置市長",
    location: "鹿児島県日置市伊集院町",
    workType: "construction",
    contractPrice: 50_000_000,
    periodFrom: "2025-07-01",
    periodTo: "2026-03-20",
    bidAnnouncedOn: "2025-06-02",
    contractedOn: "2025-06-25",
  },
  guarantees: [
    { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: "鹿児島銀行　本店" },
    { kind: "contract", amount: 5_000_000, delivery: "electronic" },
  ],
  branchId: "wjcs-kagoshima",
  contact: { name: "計測太郎", phone: "099-000-0000" },
});

function send(method: string, path: string, cookie: string, body?: unknown) {
  return fetch(`${url}${path}`, {
    method,
    headers: { cookie, origin: url, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

/**
 * CPU time (ms) of the Worker's workerd processes (descendants of wrangler whose name is workerd,
 * from /proc; null elsewhere) and of this process (the clients and the loopback libSQL server).
 */
function cpuNow(): { workerd: number | null; here: number } {
  const usage = process.cpuUsage();
  const here = (usage.user + usage.system) / 1000;
  const rootPid = served.worker.pid;
  if (!existsSync("/proc") || rootPid === undefined) return { workerd: null, here };
  const procs = new Map<number, { ppid: number; name: string; ms: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[1] is ppid; fields[11], fields[12] are utime and stime in clock ticks (100 a second).
      procs.set(Number(entry), { ppid: Number(fields[1]), name, ms: (Number(fields[11]) + Number(fields[12])) * 10 });
    } catch {
      // gone meanwhile
    }
  }
  let workerd = 0;
  for (const [pid, p] of procs) {
    let up = p.ppid;
    while (up > 1 && up !== rootPid) up = procs.get(up)?.ppid ?? 0;
    if (up === rootPid && pid !== rootPid && p.name === "workerd") workerd += p.ms;
  }
  return { workerd, here };
}

/** p-th percentile of sorted numbers. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Phase {
  name: string;
  clients: number;
  latencies: number[];
  statuses: Map<number, number>;
  wallMs: number;
  /** CPU ms spent during the phase: workerd, and this process (clients + libSQL server). */
  cpu: { workerd: number | null; here: number };
  note?: string;
}

function cpuSince(start: ReturnType<typeof cpuNow>): Phase["cpu"] {
  const end = cpuNow();
  return { workerd: end.workerd === null || start.workerd === null ? null : end.workerd - start.workerd, here: end.here - start.here };
}

/**
 * `clients` loops, each calling `step(client)` (which returns null when it has nothing left to do)
 * until `ms` has passed; every call's latency and status recorded.
 */
async function phase(
  name: string,
  ms: number,
  step: (client: number) => { call: () => Promise<Response>; done?: (res: Response) => Promise<void> } | null,
): Promise<Phase> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const cpu = cpuNow();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end) {
        const next = step(client);
        if (next === null) return;
        const t = performance.now();
        const res = await next.call();
        if (next.done !== undefined && res.ok) await next.done(res);
        else await res.arrayBuffer();
        latencies.push(performance.now() - t);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  return { name, clients, latencies, statuses, wallMs: performance.now() - start, cpu: cpuSince(cpu) };
}

const errorsOf = (p: Phase) => [...p.statuses].filter(([s]) => s !== 200 && s !== 201).reduce((n, [, c]) => n + c, 0);
const perRequest = (ms: number | null, p: Phase) => (ms === null ? "–" : (ms / Math.max(1, p.latencies.length)).toFixed(1));
const row = (p: Phase) =>
  `| ${p.name} | ${p.clients} | ${p.latencies.length} | ${(p.wallMs / 1000).toFixed(1)} | ${Math.round(p.latencies.length / (p.wallMs / 1000))} | ${Math.round(percentile(p.latencies, 50))} | ${Math.round(percentile(p.latencies, 99))} | ${errorsOf(p)} | ${perRequest(p.cpu.workerd, p)} | ${perRequest(p.cpu.here, p)} |`;

function readLoad(): string {
  return existsSync("/proc/loadavg") ? readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ") : "unknown";
}

try {
  console.log(`load average (1, 5, 15 min) at the start: ${readLoad()}`);
  // 20 contractors, each its own company, approved by the demo staff member; 20 staff sessions.
  const demo = await ensureDemoAccounts(`file:${dir}/bench.db`);
  const company = { name: "株式会社計測建設", address: "鹿児島県日置市伊集院町1番地", representative: "代表 計測" };
  const contractors: string[] = [];
  const companies: string[] = [];
  for (let i = 0; i < clients; i++) {
    const res = await send("POST", "/api/v1/auth/register", "", {
      email: `bench-desk-${i}@example.jp`,
      password: `bench desk password ${i}`,
      company,
    });
    if (res.status !== 201) throw new Error(`register ${i}: ${res.status} ${await res.text()}`);
    contractors.push(cookieOf(res));
    companies.push(((await res.json()) as { company: { id: string } }).company.id);
  }
  const staff: string[] = [];
  for (let i = 0; i < clients; i++) {
    const res = await send("POST", "/api/v1/auth/login", "", { email: demo.staff.email, password: demo.staff.password });
    if (res.status !== 200) throw new Error(`staff login: ${res.status} ${await res.text()}`);
    staff.push(cookieOf(res));
  }
  for (const id of companies) {
    const res = await send("POST", `/api/v1/staff/companies/${id}/approve`, staff[0] ?? "");
    if (res.status !== 200) throw new Error(`approve ${id}: ${res.status} ${await res.text()}`);
  }

  // (a) drafts for N s, then submits of those drafts for up to N s.
  const drafts: string[][] = contractors.map(() => []);
  let made = 0;
  // Enough drafts that the submits never run dry within their N s (at least N s of drafting).
  const draftsPerClient = 40;
  const draftStart = performance.now();
  const create = await phase("`POST /api/v1/applications` (draft)", 4 * seconds * 1000, (client) => {
    const pool = drafts[client] ?? [];
    if (performance.now() - draftStart >= seconds * 1000 && pool.length >= draftsPerClient) return null;
    return {
      call: () => send("POST", "/api/v1/applications", contractors[client] ?? "", application(client, made++)),
      done: async (res) => {
        pool.push(((await res.json()) as { id: string }).id);
      },
    };
  });
  const submitted: string[] = [];
  const submit = await phase("`POST /api/v1/applications/{id}/submit`", seconds * 1000, (client) => {
    const id = drafts[client]?.shift();
    if (id === undefined) return null;
    return {
      call: () => send("POST", `/api/v1/applications/${id}/submit`, contractors[client] ?? ""),
      done: async (res) => {
        await res.arrayBuffer();
        submitted.push(id);
      },
    };
  });
  if (drafts.some((d) => d.length === 0)) submit.note = "drafts ran out before the time was up";

  // (b) issues from 20 staff sessions, keeping 50 submitted applications back for (c).
  const reserved = submitted.splice(0, burst);
  const numbers: string[] = [];
  const collect = async (res: Response) => {
    for (const g of ((await res.json()) as { guarantees: { contractNumber: string }[] }).guarantees) numbers.push(g.contractNumber);
  };
  const issue = await phase("`POST /api/v1/staff/applications/{id}/issue`", seconds * 1000, (client) => {
    const id = submitted.shift();
    if (id === undefined) return null;
    return { call: () => send("POST", `/api/v1/staff/applications/${id}/issue`, staff[client] ?? ""), done: collect };
  });
  if (submitted.length === 0) issue.note = "submitted applications ran out before the time was up";

  // (c) 50 issues at once.
  if (reserved.length < burst) throw new Error(`only ${reserved.length} submitted applications left for the burst`);
  const burstStatuses = new Map<number, number>();
  const burstLatencies: number[] = [];
  const burstNumbers: string[] = [];
  const burstCpu = cpuNow();
  const t0 = performance.now();
  await Promise.all(
    reserved.map(async (id, i) => {
      const t = performance.now();
      const res = await send("POST", `/api/v1/staff/applications/${id}/issue`, staff[i % clients] ?? "");
      if (res.ok)
        for (const g of ((await res.json()) as { guarantees: { contractNumber: string }[] }).guarantees)
          burstNumbers.push(g.contractNumber);
      else await res.arrayBuffer();
      burstLatencies.push(performance.now() - t);
      burstStatuses.set(res.status, (burstStatuses.get(res.status) ?? 0) + 1);
    }),
  );
  const burstMs = performance.now() - t0;
  burstLatencies.sort((x, y) => x - y);
  const everyNumber = [...numbers, ...burstNumbers];
  const duplicates = everyNumber.length - new Set(everyNumber).size;
  const sortedBurst = burstNumbers.map(Number).sort((x, y) => x - y);
  const consecutive = sortedBurst.every((n, k) => n === (sortedBurst[0] ?? 0) + k);
  const burstPhase: Phase = {
    name: `${burst} issues at once`,
    clients: burst,
    latencies: burstLatencies,
    statuses: burstStatuses,
    wallMs: burstMs,
    cpu: cpuSince(burstCpu),
  };

  const h0 = performance.now();
  const health = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.status,
    () => "no answer",
  );
  const healthMs = Math.round(performance.now() - h0);

  console.log(
    "\n| step | concurrent clients | requests | wall s | per s | p50 ms | p99 ms | errors | workerd CPU ms/request | client + libSQL server CPU ms/request |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  console.log(row(create));
  console.log(row(submit));
  console.log(row(issue));
  console.log(row(burstPhase));
  console.log(
    `\n${burst} issues at once: ${Math.round(burstMs)} ms wall, ${burstNumbers.length} numbers (${consecutive ? "one consecutive range" : "NOT consecutive"}), statuses ${JSON.stringify(Object.fromEntries(burstStatuses))}`,
  );
  console.log(`duplicate contract numbers over every issue (${everyNumber.length} numbers): ${duplicates}`);
  console.log(`/api/v1/health afterwards: ${health} in ${healthMs} ms`);
  for (const p of [create, submit, issue]) if (p.note !== undefined) console.log(`note: ${p.name}: ${p.note}`);
  console.log(`load average (1, 5, 15 min) at the end: ${readLoad()}`);
  console.log(
    `\nEach application: 日置市, an advance and a contract guarantee, both electronic (two numbers, two keys per issue). ${clients} clients, ${seconds} s per step, ${new Date().toISOString()}`,
  );
  if (duplicates > 0 || errorsOf(burstPhase) > 0) process.exitCode = 1;
} finally {
  await served.stop();
}
