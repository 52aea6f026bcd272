// Where the Worker's CPU goes: a CPU profile of workerd (through wrangler dev's DevTools inspector)
// while 50 connections call one route for N seconds, summarised by self time per function and by
// module. workerd's clocks stand still during CPU work, so timing inside the Worker tells nothing;
// the sampling profiler does.
// Usage: npm run bench:profile [-- --route verify|health|typo|guarantee|notice] [-- --connections N]
//        [-- --seconds N] [-- --no-build]
//        [-- --out profile.cpuprofile] (open the file in Chrome DevTools' Performance panel)
import { rmSync, writeFileSync } from "node:fs";
import autocannon from "autocannon";
import { issueThroughApi } from "../../tests/support/worker-api.ts";
import { ensureDemoAccounts } from "../demo-accounts.ts";
import { freePort, root, run, serve } from "../serve.ts";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const route = arg("--route") ?? "verify";
const seconds = Number(arg("--seconds")) || 8;
const connections = Number(arg("--connections")) || 50;
const out = arg("--out");
const dir = `${root}.local/bench-profile`;

if (!process.argv.includes("--no-build")) {
  rmSync(dir, { recursive: true, force: true });
  await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
}
const dbFile = `${dir}/bench.db`;
rmSync(dbFile, { force: true });
const inspectorPort = await freePort();
const served = await serve({ outDir: `${dir}/dist`, dbFile, port: await freePort(), log: "ignore", inspectorPort });

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

try {
  const demo = await ensureDemoAccounts(`file:${dbFile}`);
  const { number, key: authKey, contractor } = await issueThroughApi(served.url, demo, "照会計測工事");
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
    title?: string;
  }[];
  const target = targets.find((t) => !(t.title ?? "").includes("proxy")) ?? targets[0];
  if (target === undefined) throw new Error("no inspector target");
  // wrangler's inspector proxy accepts DevTools' origin only.
  const ws = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { origin: "https://devtools.devprod.cloudflare.dev" },
  } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  };
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });

  const paths: Record<string, string> = {
    health: "/api/v1/health",
    guarantee: `/api/v1/guarantees/${number}`,
    notice: `/api/v1/guarantees/${number}/notice.pdf`,
  };
  const path = paths[route] ?? "/api/v1/verify";
  const cookie = route === "guarantee" || route === "notice" ? contractor : "";
  const body =
    route === "typo"
      ? { contractNumber: number, authKey: `${authKey.slice(0, -1)}!` }
      : route in paths
        ? undefined
        : { contractNumber: number, authKey };
  let ip = 0;
  const load = () =>
    autocannon({
      url: `${served.url}${path}`,
      connections,
      duration: seconds,
      requests: [
        {
          method: body === undefined ? "GET" : "POST",
          setupRequest: (req) => ({
            ...req,
            headers: {
              ...req.headers,
              cookie,
              "content-type": "application/json",
              "cf-connecting-ip": `10.9.${(++ip >> 8) & 255}.${ip & 255}`,
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          }),
        },
      ],
    });
  await load(); // warm
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  const result = await load();
  const { profile } = (await send("Profiler.stop")) as { profile: Profile };
  ws.close();
  if (out !== undefined) writeFileSync(out, JSON.stringify(profile));

  const self = new Map<number, number>();
  profile.samples.forEach((node, i) => {
    self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const node of profile.nodes) {
    const t = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split("/").slice(-2).join("/") || "(native)";
    const name = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + t);
    byModule.set(file, (byModule.get(file) ?? 0) + t);
  }
  const requests = result.requests.total;
  const idle = [...byFunction].filter(([k]) => k.startsWith("(idle)")).reduce((a, [, v]) => a + v, 0);
  console.log(`${route}: ${Math.round(result.requests.average)} req/s, ${requests} requests profiled`);
  console.log(`busy CPU per request: ${((total - idle) / 1000 / requests).toFixed(2)} ms (idle ${((idle / total) * 100).toFixed(0)}%)\n`);
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .filter(([k]) => !k.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${((v / 1000 / requests) * 1000).toFixed(0).padStart(6)} µs/req  ${k}`)
      .join("\n");
  console.log(`by module:\n${top(byModule, 15)}\n\nby function:\n${top(byFunction, 30)}`);
} finally {
  await served.stop();
}
