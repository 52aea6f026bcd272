// The real Worker (wrangler dev on workerd, loopback libSQL server) under bursts of simultaneous
// requests. A database client shared across requests in one isolate made half of a 50-request
// burst fail as "hung" and every later database call hang (issue 5); this must never come back.
import { describe, expect, inject, it } from "vitest";

const base = inject("baseUrl");
const BURST = 200;

async function burst(path: string, count = BURST): Promise<{ statuses: Map<number | string, number>; bodies: string[] }> {
  const results = await Promise.all(
    Array.from({ length: count }, () =>
      fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) }).then(
        async (res) => ({ status: res.status as number | string, body: await res.text() }),
        (error: unknown) => ({ status: `error: ${error instanceof Error ? error.message : String(error)}`, body: "" }),
      ),
    ),
  );
  const statuses = new Map<number | string, number>();
  for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  return { statuses, bodies: results.map((r) => r.body) };
}

// Every route that reads the database.
const databaseRoutes = ["/api/v1/health", "/api/v1/guarantors", "/.well-known/jwks.json"];

describe(`bursts of ${BURST} simultaneous requests through wrangler dev`, () => {
  it.each(databaseRoutes)("%s answers every request, then still answers normally", async (path) => {
    const single = await fetch(`${base}${path}`);
    expect(single.status).toBe(200);
    const expected = await single.text();
    const { statuses, bodies } = await burst(path);
    expect(Object.fromEntries(statuses)).toEqual({ 200: BURST });
    expect(new Set(bodies)).toEqual(new Set([expected]));
    // The server is not left wedged: a later request is answered, quickly.
    const after = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: "ok" });
  });

  it("survives mixed bursts across routes, twice in a row", async () => {
    for (let round = 0; round < 2; round++) {
      const all = await Promise.all(databaseRoutes.map((path) => burst(path, 100)));
      for (const { statuses } of all) expect(Object.fromEntries(statuses)).toEqual({ 200: 100 });
    }
  });
});
