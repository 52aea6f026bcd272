// Reports through the real Worker under a burst: 40 simultaneous reports from one client address get
// exactly the limit (5) accepted and the rest 429 with Retry-After, in Japanese problem+json, no 500;
// the counter is one database row, so the limit holds across concurrent requests. Other clients are
// not held, and the Worker answers afterwards.
import { createClient } from "@libsql/client";
import { describe, expect, inject, it } from "vitest";
import { tally } from "../http.ts";

const base = inject("baseUrl");
const dbFile = inject("dbFile");

const report = (client: string, i: number) =>
  fetch(`${base}/api/v1/reports`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": client },
    body: JSON.stringify({
      agencyId: "462161",
      message: `同時送信の報告 ${i}`,
      sourceUrl: "https://example.jp/a",
      contact: "burst@example.jp",
    }),
  });

describe("reports under a burst through wrangler dev", () => {
  it("accepts exactly 5 of 40 simultaneous reports from one client, 429 for the rest, no 500", { timeout: 120_000 }, async () => {
    const client = "192.0.2.199";
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => report(client, i)));
    expect(tally(results.map((r) => r.status))).toEqual({ 201: 5, 429: 35 });
    const ids: string[] = [];
    for (const res of results) {
      if (res.status === 201) {
        ids.push(((await res.json()) as { id: string }).id);
        continue;
      }
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = (await res.json()) as { code: string; title: string };
      expect(body.code).toBe("too_many_requests");
      expect(body.title).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    }
    // Exactly the accepted ones are stored.
    const db = createClient({ url: `file:${dbFile}` });
    try {
      const rows = await db.execute("SELECT id FROM reports WHERE message LIKE '同時送信の報告 %'");
      expect(rows.rows.map((r) => String(r["id"])).sort()).toEqual([...ids].sort());
    } finally {
      db.close();
    }
    expect((await report(client, 41)).status).toBe(429);
    expect((await report("192.0.2.200", 42)).status).toBe(201);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
  });
});
