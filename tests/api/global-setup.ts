// Node side of the workerd tests: a fresh migrated, seeded database served over libSQL's
// HTTP protocol on loopback; its URL reaches the tests through inject("dbUrl").
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { prepareDatabase } from "../../db/node.ts";
import { startHranaServer } from "../../db/server/hrana.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dbUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "denshi-api-"));
  const file = join(dir, "test.db");
  await prepareDatabase(`file:${file}`);
  const server = await startHranaServer({ file, port: 0 });
  project.provide("dbUrl", server.url);
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
