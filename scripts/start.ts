// `npm start`: the whole platform on this machine, as production runs it but local.
// 1. migrate and seed the embedded libSQL file (.local/dev.db),
// 2. serve it over libSQL's HTTP protocol on loopback (workerd's client speaks only HTTP),
// 3. build the site and Worker, 4. run the Worker in workerd (wrangler dev) on PORT.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { prepareDatabase } from "../db/node.ts";
import { startHranaServer } from "../db/server/hrana.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env["PORT"] ?? 4321);
const skipBuild = process.argv.includes("--no-build");
const children: ChildProcess[] = [];

function run(command: string, args: string[], options: { quiet?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: options.quiet === true ? ["ignore", "pipe", "inherit"] : "inherit", env: process.env });
    children.push(child);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env["PORT"]}`);
  process.env["ASTRO_TELEMETRY_DISABLED"] = "1";
  process.env["WRANGLER_SEND_METRICS"] = "false";
  mkdirSync(`${root}.local`, { recursive: true });
  const file = `${root}.local/dev.db`;

  console.log("[1/4] データベースを準備しています（マイグレーションとデモデータ）…");
  await prepareDatabase(`file:${file}`);

  console.log("[2/4] libSQL HTTP サーバーを起動しています…");
  const db = await startHranaServer({ file, port: 0 });

  if (skipBuild) {
    console.log("[3/4] ビルドを省略します（--no-build）");
  } else {
    console.log("[3/4] サイトと Worker をビルドしています…");
    await run("astro", ["build"]);
  }

  console.log("[4/4] Workers ランタイム（workerd）を起動しています…");
  const wrangler = spawn(
    "wrangler",
    ["dev", "-c", "dist/server/wrangler.json", "--port", String(port), "--ip", "localhost", "--var", `DATABASE_URL:${db.url}`, "--var", "APP_ENV:development", "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: process.env },
  );
  children.push(wrangler);
  wrangler.on("exit", (code) => {
    void db.close();
    process.exit(code ?? 1);
  });

  // Announce the URL once the Worker answers, not merely when the process is up.
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) {
        console.log(`\n電子保証プラットフォームを起動しました: ${url}\n（終了するには Ctrl+C）`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the Worker did not answer on ${url} within 120 s`);
}

function stop(): void {
  for (const child of children) child.kill("SIGTERM");
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

main().catch((error: unknown) => {
  console.error("起動に失敗しました:", error instanceof Error ? error.message : error);
  for (const child of children) child.kill("SIGTERM");
  process.exit(1);
});
