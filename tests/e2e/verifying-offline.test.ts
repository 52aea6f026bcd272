// docs/verifying-offline.md's code, run as written: extract its first ```js block into a module,
// import it, and check a certificate issued and verified through the real Worker against the JWK
// Set the Worker serves; a tampered payload and a foreign key set are refused.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { cookieOf } from "../http.ts";
import { hiokiProject } from "../support/fixtures.ts";
import { workerApi } from "../support/worker-api.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const root = fileURLToPath(new URL("../..", import.meta.url));

const { send } = workerApi(base);

async function docModule(): Promise<{ checkCertificate(jws: string, jwks: unknown): Promise<Record<string, unknown>> }> {
  const markdown = readFileSync(join(root, "docs/verifying-offline.md"), "utf8");
  const code = /```js\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (code === undefined) throw new Error("docs/verifying-offline.md has no js block");
  const dir = join(root, ".local/doc-snippets");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `verifying-offline-${Date.now()}.mjs`);
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

describe("docs/verifying-offline.md", () => {
  it("checks a served certificate's JWS with the served JWK Set, and refuses tampering", { timeout: 60_000 }, async () => {
    const contractor = cookieOf(
      await send("POST", "/api/v1/auth/login", "", { email: demo.contractor.email, password: demo.contractor.password }),
    );
    const staff = cookieOf(await send("POST", "/api/v1/auth/login", "", { email: demo.staff.email, password: demo.staff.password }));
    const created = await send("POST", "/api/v1/applications", contractor, {
      project: hiokiProject("署名確認工事"),
      guarantees: [{ kind: "contract", amount: 5_000_000, delivery: "electronic" }],
      branchId: "wjcs-kagoshima",
      contact: { name: "鹿児島太郎", phone: "099-000-0000" },
    });
    const { id } = (await created.json()) as { id: string };
    expect((await send("POST", `/api/v1/applications/${id}/submit`, contractor)).status).toBe(200);
    const issued = (await (await send("POST", `/api/v1/staff/applications/${id}/issue`, staff)).json()) as {
      guarantees: { contractNumber: string }[];
    };
    const number = issued.guarantees[0]?.contractNumber ?? "";
    const { authKey } = (await (await send("GET", `/api/v1/guarantees/${number}/auth-key`, contractor)).json()) as { authKey: string };
    const verified = (await (
      await fetch(`${base}/api/v1/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contractNumber: number, authKey }),
      })
    ).json()) as { certificate: Record<string, unknown>; jws: string };

    const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
    const { checkCertificate } = await docModule();
    expect(await checkCertificate(verified.jws, jwks)).toEqual(verified.certificate);

    const [h, p, s] = verified.jws.split(".");
    const altered = Buffer.from(JSON.stringify({ ...verified.certificate, amount: 999_999_999 })).toString("base64url");
    await expect(checkCertificate(`${h}.${altered}.${s}`, jwks)).rejects.toThrow();
    await expect(checkCertificate(verified.jws, { keys: [] })).rejects.toThrow();
    expect(p).toBeDefined();
  });
});
