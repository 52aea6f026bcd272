// Node side of the workerd tests. Each test file gets its own fresh database: one template is
// migrated and seeded once, and a small loopback "provisioner" copies it and serves the copy over
// libSQL's HTTP protocol on a port of its own. Tests reach the provisioner through inject().
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { prepareDatabase } from "../../db/node.ts";
import { type HranaServer, startHranaServer } from "../../db/server/hrana.ts";
import { startResendStandIn } from "../support/resend-stand-in.ts";

declare module "vitest" {
  export interface ProvidedContext {
    provisionerUrl: string;
    /** A local stand-in of Resend's API (tests/support/resend-stand-in.ts): its URL and key. */
    resendUrl: string;
    resendApiKey: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "denshi-api-"));
  const template = join(dir, "template.db");
  await prepareDatabase(`file:${template}`);
  const servers: HranaServer[] = [];
  // POST /databases → { url } of a fresh copy of the template (migrated, reference rows loaded).
  const provisioner = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/databases") {
      res.writeHead(404).end();
      return;
    }
    const file = join(dir, `db-${servers.length + 1}.db`);
    copyFileSync(template, file);
    startHranaServer({ file, port: 0 }).then(
      (server) => {
        servers.push(server);
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ url: server.url }));
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => provisioner.listen(0, "127.0.0.1", resolve));
  const address = provisioner.address();
  if (address === null || typeof address === "string") throw new Error("provisioner: no address");
  project.provide("provisionerUrl", `http://127.0.0.1:${address.port}`);
  const resend = await startResendStandIn();
  project.provide("resendUrl", resend.url);
  project.provide("resendApiKey", resend.apiKey);
  return async () => {
    await resend.close();
    provisioner.close();
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  };
}
