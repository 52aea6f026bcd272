// Build the site and run the Worker in workerd against a libSQL file: shared by `npm start`
// and the browser tests, so both exercise the same path production takes.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { prepareDatabase } from "../db/node.ts";
import { type HranaServer, startHranaServer } from "../db/server/hrana.ts";

export const root = fileURLToPath(new URL("..", import.meta.url));

/** Node from the `node` devDependency, so children never fall back to the system's Node 20. */
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
const quietEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: "1", WRANGLER_SEND_METRICS: "false" };

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin("node"), [bin(command), ...args], { cwd: root, stdio: "inherit", env: { ...quietEnv, ...env } });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The DATA_ENCRYPTION_KEY (edge/env.ts) a local Worker runs with: a random one kept beside the
 * database file whose TOTP secrets it seals (`<db>.data-key`, made on first use, mode 0600). A key
 * new at every start would leave every enrolment on .local/dev.db unreadable after a restart; a
 * fresh database (the browser tests' and benchmarks' folders are wiped) gets a fresh key. Local
 * only: production's is a Worker secret (.dev.vars.example).
 */
export function localDataKey(dbFile: string): string {
  const file = `${dbFile}.data-key`;
  const kept = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (/^[A-Za-z0-9+/]{43}=$/.test(kept)) return kept;
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

export interface Served {
  url: string;
  db: HranaServer;
  worker: ChildProcess;
  stop(): Promise<void>;
}

/** RESEND_API_KEY, RESEND_BASE_URL and MAIL_FROM from the environment, when set, as wrangler --var flags. */
function mailVars(): string[] {
  return ["RESEND_API_KEY", "RESEND_BASE_URL", "MAIL_FROM"].flatMap((name) => {
    const value = process.env[name];
    return value === undefined || value === "" ? [] : ["--var", `${name}:${value}`];
  });
}

/** Migrate + seed `dbFile`, serve it over HTTP, and run the built Worker from `outDir` on `port`. */
export async function serve(options: {
  outDir: string;
  dbFile: string;
  port: number;
  log?: "inherit" | "ignore";
  /** Open the Worker's DevTools inspector on this port (CPU profiles: scripts/bench/profile.ts). */
  inspectorPort?: number;
}): Promise<Served> {
  await prepareDatabase(`file:${options.dbFile}`);
  const db = await startHranaServer({ file: options.dbFile, port: 0 });
  const worker = spawn(
    bin("node"),
    [
      bin("wrangler"),
      "dev",
      "-c",
      `${options.outDir}/server/wrangler.json`,
      "--port",
      String(options.port),
      "--ip",
      "localhost",
      "--var",
      `DATABASE_URL:${db.url}`,
      "--var",
      "APP_ENV:development",
      "--var",
      `DATA_ENCRYPTION_KEY:${localDataKey(options.dbFile)}`,
      // Real mail when the shell has a Resend key (or a stand-in's address); the outbox otherwise.
      ...mailVars(),
      "--show-interactive-dev-session=false",
      // Cron Triggers on demand: GET /cdn-cgi/local/scheduled?cron=… runs scheduled().
      "--test-scheduled",
      "--log-level",
      "warn",
      ...(options.inspectorPort === undefined ? [] : ["--inspector-port", String(options.inspectorPort)]),
    ],
    {
      cwd: root,
      stdio: ["ignore", options.log ?? "inherit", options.log ?? "inherit"],
      env: quietEnv,
      detached: process.platform !== "win32",
    },
  );
  const url = `http://localhost:${options.port}`;
  const stop = async () => {
    if (worker.exitCode === null && worker.pid !== undefined) {
      try {
        process.kill(-worker.pid, "SIGTERM"); // the whole group: wrangler starts workerd as a child
      } catch {
        worker.kill("SIGTERM");
      }
    }
    await db.close();
  };
  for (let i = 0; i < 240; i++) {
    if (worker.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { url, db, worker, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`the Worker did not answer on ${url}`);
}
