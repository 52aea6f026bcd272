// Verification through the real Worker under simultaneous requests: right keys, wrong keys, unknown
// numbers and typos at once, single and batch; the lockout stays exact across concurrent requests
// (one counter row in the database, not a per-isolate map), and the Worker still answers afterwards.
import { describe, expect, inject, it } from "vitest";
import { cookieOf, tally } from "../http.ts";
import { hiokiProject } from "../support/fixtures.ts";
import { otherKey } from "../support/keys.ts";
import { workerApi } from "../support/worker-api.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");

const { send } = workerApi(base);
const verify = (contractNumber: string, authKey: string, client: string) =>
  fetch(`${base}/api/v1/verify`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": client },
    body: JSON.stringify({ contractNumber, authKey }),
  });

describe("verification under bursts through wrangler dev", () => {
  it("answers 150 simultaneous mixed verifications correctly and holds the lockout exactly", { timeout: 120_000 }, async () => {
    const contractor = cookieOf(
      await send("POST", "/api/v1/auth/login", "", { email: demo.contractor.email, password: demo.contractor.password }),
    );
    const staff = cookieOf(await send("POST", "/api/v1/auth/login", "", { email: demo.staff.email, password: demo.staff.password }));
    const pairs: { number: string; key: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await send("POST", "/api/v1/applications", contractor, {
        project: hiokiProject(`照会負荷工事 ${i}`),
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
      pairs.push({ number, key: authKey });
    }
    const [right, locked, other] = pairs as [(typeof pairs)[0], (typeof pairs)[0], (typeof pairs)[0]];
    // 50 right keys (each from its own client), 40 wrong keys on one number, 30 unknown numbers, 30 typos.
    const calls = [
      ...Array.from({ length: 50 }, (_, i) => ({ kind: "right", run: () => verify(right.number, right.key, `192.0.2.${i}`) })),
      ...Array.from({ length: 40 }, (_, i) => ({
        kind: "wrong",
        run: () => verify(locked.number, otherKey(locked.key), `198.51.100.${i}`),
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        kind: "unknown",
        run: () => verify(`20799${String(i).padStart(5, "0")}`, other.key, `203.0.113.${i}`),
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        kind: "typo",
        run: () => verify(other.number, `${other.key.slice(0, -1)}!`, `203.0.113.${100 + i}`),
      })),
    ];
    const results = await Promise.all(calls.map(async (c) => ({ kind: c.kind, res: await c.run() })));
    const by = (kind: string) => tally(results.filter((r) => r.kind === kind).map((r) => r.res.status));
    expect(by("right")).toEqual({ 200: 50 });
    expect(by("wrong")).toEqual({ 404: 10, 429: 30 });
    expect(by("unknown")).toEqual({ 404: 30 });
    expect(by("typo")).toEqual({ 400: 30 });
    for (const r of results.filter((x) => x.res.status !== 200)) {
      expect(r.res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(((await r.res.json()) as { title: string }).title).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    }
    // The locked number refuses the right key too; the others answer.
    expect((await verify(locked.number, locked.key, "192.0.2.250")).status).toBe(429);
    expect((await verify(other.number, other.key, "192.0.2.251")).status).toBe(200);
    // 20 batches of 50 at once.
    const batches = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${base}/api/v1/verify/batch`, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": `192.0.2.${100 + i}` },
          body: JSON.stringify({ items: Array.from({ length: 50 }, () => ({ contractNumber: right.number, authKey: right.key })) }),
        }),
      ),
    );
    expect(tally(batches.map((r) => r.status))).toEqual({ 200: 20 });
    for (const r of batches) {
      const { items } = (await r.json()) as { items: { jws?: string }[] };
      expect(items.filter((i) => typeof i.jws === "string")).toHaveLength(50);
    }
    // One client past 60 calls a minute is refused, exactly, across the burst (a database counter).
    const flood = await Promise.all(Array.from({ length: 70 }, () => verify(right.number, right.key, "192.0.2.199")));
    expect(tally(flood.map((r) => r.status))).toEqual({ 200: 60, 429: 10 });
    const refused = flood.find((r) => r.status === 429);
    if (refused === undefined) throw new Error("no call was refused");
    expect(((await refused.json()) as { code: string }).code).toBe("too_many_attempts");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const health = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
  });
});
