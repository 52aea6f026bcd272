// Browser tests run against the real thing: the built site and Worker in workerd, on a fresh
// database, in Debian's Chromium. The build goes to its own folder so it never races `npm start`.
import { mkdirSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { type DemoAccounts, ensureDemoAccounts } from "../../scripts/demo-accounts.ts";
import { freePort, root, run, serve } from "../../scripts/serve.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The database file the served Worker uses (through the loopback libSQL server). */
    dbFile: string;
    /** The logins `npm start` prints: an approved contractor and a staff member without TOTP. */
    demoAccounts: DemoAccounts;
  }
}

export default async function setup(project: TestProject) {
  // Its own folder per run: parallel runs (several engineers, CI) never delete each other's build.
  const dir = `${root}.local/browser-test-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
  const served = await serve({ outDir: `${dir}/dist`, dbFile: `${dir}/test.db`, port: await freePort(), log: "ignore" });
  project.provide("baseUrl", served.url);
  project.provide("dbFile", `${dir}/test.db`);
  try {
    project.provide("demoAccounts", await ensureDemoAccounts(`file:${dir}/test.db`));
  } catch (error) {
    await served.stop();
    throw error;
  }
  return async () => {
    await served.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
