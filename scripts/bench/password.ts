// CPU cost of one password hash (edge/security/password.ts: argon2id, m=19 MiB, t=2, p=1) in workerd,
// the runtime that serves logins, and in Node, where the operator CLI hashes.
//
// workerd: a throwaway Worker that hashes on request, run by `wrangler dev` (bundled by wrangler as
// for a deploy: the .wasm becomes a compiled module). The figure is the CPU time of the workerd
// processes (every thread, from /proc/<pid>/task/*/schedstat, in ns) across a request that hashes
// once, minus the median of requests that hash nothing, so routing and the dev proxy do not count.
// The isolate's own performance.now() delta is shown beside it (Cloudflare's production clock does
// not advance during pure CPU work; local workerd's does).
// Usage: npm run bench:password [-- --hashes N]
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, ARGON2_PASSES, hashPassword } from "../../edge/security/password.ts";
import { freePort, root } from "../serve.ts";

const { values } = parseArgs({ options: { hashes: { type: "string", default: "20" } } });
const hashes = Number(values.hashes);
if (!Number.isInteger(hashes) || hashes < 1) throw new Error(`--hashes wants a positive integer, got "${values.hashes}"`);
const WARM_UP = 3;
const dir = `${root}.local/bench-password`;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
/** Nearest-rank percentile. */
const p95 = (xs: number[]) => sorted(xs)[Math.ceil(0.95 * xs.length) - 1] ?? 0;
const row = (runtime: string, measure: string, ms: number[]) =>
  `| ${runtime} | ${measure} | ${median(ms).toFixed(1)} | ${p95(ms).toFixed(1)} | ${Math.min(...ms).toFixed(1)} | ${Math.max(...ms).toFixed(1)} |`;

// --- Node -----------------------------------------------------------------------------------------

async function inNode(): Promise<{ cpu: number[]; wall: number[] }> {
  for (let i = 0; i < WARM_UP; i++) await hashPassword(`warm-up ${i}`);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < hashes; i++) {
    const [cpu0, wall0] = [process.cpuUsage(), performance.now()];
    await hashPassword(`パスワード ${i}`);
    wall.push(performance.now() - wall0);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
  }
  return { cpu, wall };
}

// --- workerd --------------------------------------------------------------------------------------

const WORKER = `// Written by scripts/bench/password.ts: hashes ?n= times and says how long the isolate saw it take.
import { hashPassword } from "../../edge/security/password.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const n = Number(new URL(request.url).searchParams.get("n") ?? "1");
    const start = performance.now();
    for (let i = 0; i < n; i++) await hashPassword(\`パスワード \${i}\`);
    return Response.json({ n, ms: performance.now() - start, runtime: navigator.userAgent });
  },
};
`;
const CONFIG = { name: "bench-password", main: "worker.ts", compatibility_date: "2026-10-01", compatibility_flags: ["nodejs_compat"] };

/** Every process below `pid` (wrangler starts workerd, sometimes two: the Worker and a dev proxy). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command's closing parenthesis: state, ppid, …
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** CPU time in ns of the given processes, all threads: schedstat's first field. */
function cpuNs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`))
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  }
  return total;
}

async function startWorker(port: number): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/worker.ts`, WORKER);
  writeFileSync(`${dir}/wrangler.json`, JSON.stringify(CONFIG, null, 2));
  const bin = (name: string) => `${root}node_modules/.bin/${name}`;
  const args = ["dev", "-c", `${dir}/wrangler.json`, "--port", String(port), "--ip", "127.0.0.1"];
  const child = spawn(bin("node"), [bin("wrangler"), ...args, "--show-interactive-dev-session=false", "--log-level", "warn"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    detached: true,
  });
  for (let i = 0; i < 240 && child.exitCode === null; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/?n=0`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  stop(child);
  throw new Error("bench-password: the Worker did not start (wrangler dev)");
}

function stop(child: ChildProcess) {
  if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGTERM"); // wrangler and its workerd
}

async function inWorkerd(): Promise<{ cpu: number[]; isolate: number[]; runtime: string }> {
  if (!existsSync("/proc/self/task")) throw new Error("bench-password: needs Linux's /proc to read workerd's CPU time");
  const port = await freePort();
  const child = await startWorker(port);
  try {
    const workerd = descendants(child.pid ?? 0).filter((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "workerd");
    if (workerd.length === 0) throw new Error("bench-password: found no workerd process under wrangler");
    const call = async (n: number) => {
      const before = cpuNs(workerd);
      const body = (await (await fetch(`http://127.0.0.1:${port}/?n=${n}`)).json()) as { ms: number; runtime: string };
      return { cpuMs: (cpuNs(workerd) - before) / 1e6, ...body };
    };
    const first = await call(1); // bundles nothing new, but instantiates the module and grows its heap
    for (let i = 0; i < WARM_UP; i++) await call(1);
    const empty: number[] = [];
    for (let i = 0; i < hashes; i++) empty.push((await call(0)).cpuMs);
    const overhead = median(empty);
    const cpu: number[] = [];
    const isolate: number[] = [];
    for (let i = 0; i < hashes; i++) {
      const { cpuMs, ms } = await call(1);
      cpu.push(cpuMs - overhead);
      isolate.push(ms);
    }
    // Cross-check with little overhead to subtract: all the hashes in one request.
    const batch = await call(hashes);
    console.log(
      `workerd: ${workerd.length} process(es); a request without hashing costs ${overhead.toFixed(2)} ms CPU (subtracted); ` +
        `first hash in a fresh isolate ${first.cpuMs.toFixed(1)} ms CPU; ` +
        `${hashes} hashes in one request ${((batch.cpuMs - overhead) / hashes).toFixed(1)} ms CPU each`,
    );
    return { cpu, isolate, runtime: first.runtime };
  } finally {
    stop(child);
  }
}

const worker = await inWorkerd();
const node = await inNode();
console.log(`\nargon2id m=${ARGON2_MEMORY_KIB} KiB, t=${ARGON2_PASSES}, p=${ARGON2_PARALLELISM}: ${hashes} hashes each, ms per hash\n`);
console.log("| runtime | measure | median | p95 | min | max |");
console.log("|---|---|---|---|---|---|");
console.log(row(`workerd (${worker.runtime})`, "CPU time of the workerd processes", worker.cpu));
console.log(row("workerd", "performance.now() in the isolate", worker.isolate));
console.log(row(`Node ${process.version}`, "process CPU time", node.cpu));
console.log(row(`Node ${process.version}`, "wall time", node.wall));
console.log(`\n${new Date().toISOString()}, ${readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU"}`);
