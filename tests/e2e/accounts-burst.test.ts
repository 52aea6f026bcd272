// Accounts through the real Worker under simultaneous requests: registrations, logins (argon2
// in workerd) and session reads, with no error and no request waiting on another's I/O.
import { describe, expect, inject, it } from "vitest";
import { cookieOf, tally } from "../http.ts";

const base = inject("baseUrl");
const N = 50;
const company = { name: "株式会社負荷試験", address: "佐賀県鳥栖市宿町1118", representative: "代表 鳥栖花子" };
const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", origin: base } });

describe(`accounts under bursts through wrangler dev`, () => {
  it(`${N} simultaneous registrations, then ${N} simultaneous logins, then 200 session reads`, { timeout: 120_000 }, async () => {
    const run = Date.now().toString(36);
    const accounts = Array.from({ length: N }, (_, i) => ({
      email: `burst-${run}-${i}@example.jp`,
      password: `burst password ${i} ${run}`,
    }));
    const registered = await Promise.all(accounts.map((a) => post("/api/v1/auth/register", { ...a, company })));
    expect(tally(registered.map((r) => r.status))).toEqual({ 201: N });

    const logins = await Promise.all(accounts.map((a) => post("/api/v1/auth/login", a)));
    expect(tally(logins.map((r) => r.status))).toEqual({ 200: N });
    const cookies = logins.map(cookieOf);

    const reads = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fetch(`${base}/api/v1/me`, { headers: { cookie: cookies[i % N] ?? "" } })),
    );
    expect(tally(reads.map((r) => r.status))).toEqual({ 200: 200 });
    const emails = await Promise.all(reads.slice(0, N).map(async (r) => ((await r.json()) as { email: string }).email));
    expect(emails).toEqual(accounts.map((a) => a.email));

    // A duplicate registration burst: exactly one of 20 wins, the others are told the address is taken.
    const dup = { email: `dup-${run}@example.jp`, password: "duplicate password 1", company };
    const races = await Promise.all(Array.from({ length: 20 }, () => post("/api/v1/auth/register", dup)));
    expect(tally(races.map((r) => r.status))).toEqual({ 201: 1, 409: 19 });

    const health = await fetch(`${base}/api/v1/health`);
    expect(health.status).toBe(200);
  });
});
