// Cron Triggers through the real Worker: wrangler dev --test-scheduled runs scheduled() on demand,
// and each run leaves its record in the database.
import { createClient } from "@libsql/client";
import { describe, expect, inject, it } from "vitest";

const base = inject("baseUrl");

describe("scheduled()", () => {
  it("runs the jobs and records the run", async () => {
    const db = createClient({ url: `file:${inject("dbFile")}` });
    try {
      const before = Number((await db.execute("select count(*) as n from scheduled_runs")).rows[0]?.["n"]);
      const res = await fetch(`${base}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("17 * * * *")}`);
      expect(res.status).toBe(200);
      const rows = (await db.execute("select cron, outcome, detail from scheduled_runs order by started_at desc")).rows;
      expect(rows.length).toBe(before + 1);
      expect(rows[0]).toMatchObject({ cron: "17 * * * *", outcome: "ok" });
      expect(JSON.parse(String(rows[0]?.["detail"]))).toHaveProperty("prune-runs");
    } finally {
      db.close();
    }
  });
});
