// `npm start`: the whole platform on this machine, as production runs it but local:
// migrate and seed .local/dev.db, serve it over libSQL's HTTP protocol on loopback (workerd's
// client speaks only HTTP), build the site and Worker, and run the Worker in workerd on PORT.
// It runs with APP_ENV development, so it also prints the demo logins (scripts/demo-accounts.ts).
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { type DemoAccounts, describeDemoAccounts, ensureDemoAccounts } from "./demo-accounts.ts";
import { root, run, serve } from "./serve.ts";

const port = Number(process.env["PORT"] ?? 4321);
const skipBuild = process.argv.includes("--no-build");

/** Fails with a clear message when something already listens on the port (wrangler binds localhost). */
function ensurePortFree(p: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`ポート ${p} はすでに使われています。別のポートを PORT で指定してください（例: PORT=4400 npm start）`)
          : error,
      ),
    );
    probe.listen(p, "localhost", () => probe.close(() => resolve()));
  });
}

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT はポート番号で指定してください（${process.env["PORT"]}）`);
  mkdirSync(`${root}.local`, { recursive: true });
  // Before anything else: a port already taken would let another server answer the health check.
  await ensurePortFree(port);
  if (skipBuild) console.log("ビルドを省略します（--no-build）");
  else {
    console.log("[1/2] サイトと Worker をビルドしています…");
    await run("astro", ["build"], { ASTRO_OUT_DIR: `${root}dist` });
  }
  console.log("[2/2] データベースを準備し、Workers ランタイム（workerd）を起動しています…");
  const dbFile = `${root}.local/dev.db`;
  const served = await serve({ outDir: `${root}dist`, dbFile, port });
  let demo: DemoAccounts;
  try {
    demo = await ensureDemoAccounts(`file:${dbFile}`);
  } catch (error) {
    await served.stop();
    throw error;
  }
  console.log(`\n電子保証プラットフォームを起動しました: ${served.url}\n\n${describeDemoAccounts(demo)}\n\n（終了するには Ctrl+C）\n`);
  const stop = () => void served.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  served.worker.on("exit", (code) => void served.db.close().then(() => process.exit(code ?? 1)));
}

main().catch((error: unknown) => {
  console.error("起動に失敗しました:", error instanceof Error ? error.message : error);
  process.exit(1);
});
