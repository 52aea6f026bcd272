// Scheduled jobs and the injectable clock, on this file's own database.
import { describe, expect, it } from "vitest";
import { scheduledRuns, sessions, throttles, users } from "../../db/schema/index.ts";
import { createContext } from "../../edge/context.ts";
import { Bindings } from "../../edge/env.ts";
import { appendAudit, verifyAudit } from "../../edge/services/audit.ts";
import { runScheduledJobs, type ScheduledJob, sealAuditLog, sweepExpired } from "../../edge/services/scheduled.ts";
import { makeScheduledRun } from "./factories.ts";
import { fixedClock, json, useTestDatabase } from "./helpers.ts";

const { call, db, env } = useTestDatabase();
const contextAt = (iso: string) =>
  createContext({ env: Bindings.parse(env()), requestId: `test-${crypto.randomUUID()}`, clock: fixedClock(iso) });

describe("runScheduledJobs", () => {
  it("prunes run records older than 90 days and records its own run", async () => {
    const old = await makeScheduledRun(db(), { startedAt: "2026-08-01T00:00:00.000Z" });
    const recent = await makeScheduledRun(db(), { startedAt: "2026-11-01T00:00:00.000Z" });
    const ctx = contextAt("2026-12-01T00:00:00.000Z");
    const result = await runScheduledJobs({ ctx, cron: "17 * * * *", scheduledTime: Date.parse("2026-12-01T00:00:00Z") });
    expect(result).toEqual({
      outcome: "ok",
      detail: {
        "prune-runs": "1 件の古い実行記録を削除",
        "seal-audit": "0 件の監査ログを連鎖",
        "sweep-expired": "期限切れのセッション 0 件、試行回数の記録 0 件を削除",
        "send-mail": "送信設定なし（RESEND_API_KEY 未設定）: メールは送信待ちのまま",
      },
    });
    const ids = (await db().select({ id: scheduledRuns.id }).from(scheduledRuns)).map((r) => r.id);
    expect(ids).not.toContain(old.id);
    expect(ids).toContain(recent.id);
    expect(ids).toContain(ctx.requestId);
  });
  it("runs every job even when one fails, and records the failure", async () => {
    const failing: ScheduledJob = {
      name: "broken",
      run: async () => {
        throw new Error("メール送信先に接続できません");
      },
    };
    const fine: ScheduledJob = { name: "fine", run: async () => "完了" };
    const ctx = contextAt("2026-12-01T01:00:00.000Z");
    const result = await runScheduledJobs({ ctx, cron: "17 * * * *", scheduledTime: 0, jobs: [failing, fine] });
    expect(result).toEqual({ outcome: "failed", detail: { broken: "失敗: メール送信先に接続できません", fine: "完了" } });
    const rows = await db().select().from(scheduledRuns);
    expect(rows.find((r) => r.id === ctx.requestId)).toMatchObject({ outcome: "failed", detail: result.detail });
  });
});

describe("the expiry sweep", () => {
  it("deletes expired sessions and old throttle windows, and nothing live", async () => {
    const userId = crypto.randomUUID();
    await db()
      .insert(users)
      .values({ id: userId, email: `${userId}@example.jp`, passwordHash: "x", role: "contractor", createdAt: "2026-11-30T00:00:00Z" });
    await db()
      .insert(sessions)
      .values([
        { id: "expired", userId, createdAt: "2026-11-30T00:00:00Z", expiresAt: "2026-11-30T12:00:00.000Z", level: "full" },
        { id: "live", userId, createdAt: "2026-12-01T00:00:00Z", expiresAt: "2026-12-01T12:00:00.000Z", level: "full" },
      ]);
    await db()
      .insert(throttles)
      .values([
        { key: "old", windowStart: Date.parse("2026-11-29T00:00:00Z"), count: 3 },
        { key: "recent", windowStart: Date.parse("2026-12-01T00:50:00Z"), count: 3 },
      ]);
    const result = await runScheduledJobs({
      ctx: contextAt("2026-12-01T01:00:00.000Z"),
      cron: "17 * * * *",
      scheduledTime: 0,
      jobs: [sweepExpired],
    });
    expect(result.detail).toEqual({ "sweep-expired": "期限切れのセッション 1 件、試行回数の記録 1 件を削除" });
    expect((await db().select().from(sessions)).map((r) => r.id)).toEqual(["live"]);
    expect((await db().select().from(throttles)).map((r) => r.key)).toEqual(["recent"]);
  });
});

describe("the audit backstop", () => {
  it("chains audit entries left unsealed", async () => {
    const ctx = contextAt("2026-12-01T02:00:00.000Z");
    await appendAudit(db(), { at: ctx.now(), actor: "system", action: "staff.created", subject: "x" });
    await appendAudit(db(), { at: ctx.now(), actor: "system", action: "staff.created", subject: "y" });
    expect((await verifyAudit(db())).unsealed).toBe(2);
    const result = await runScheduledJobs({ ctx, cron: "17 * * * *", scheduledTime: 0, jobs: [sealAuditLog] });
    expect(result.detail).toEqual({ "seal-audit": "2 件の監査ログを連鎖" });
    expect(await verifyAudit(db())).toMatchObject({ unsealed: 0, firstBroken: null });
  });
});

describe("the clock", () => {
  const tosu = async () => {
    const { items } = await json<{ items: { id: string; name: string }[] }>(
      await call(`/api/v1/agencies?q=${encodeURIComponent("鳥栖市")}&limit=1`),
    );
    expect(items[0]?.name).toBe("鳥栖市");
    return items[0]?.id ?? "";
  };
  it("decides statuses from the request's now: 鳥栖市 is scheduled before 2026-03-01 and adopted from it", async () => {
    const id = await tosu();
    const before = await json<{ adoption: { status: string } }>(
      await call(`/api/v1/agencies/${id}`, {}, { clock: fixedClock("2026-02-28T14:59:59Z") }), // 23:59:59 in Japan
    );
    expect(before.adoption.status).toBe("scheduled");
    const on = await json<{ adoption: { status: string } }>(
      await call(`/api/v1/agencies/${id}`, {}, { clock: fixedClock("2026-02-28T15:00:00Z") }), // 00:00 on 3/1 in Japan
    );
    expect(on.adoption.status).toBe("adopted");
  });
});
