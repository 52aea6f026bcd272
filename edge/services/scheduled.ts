// Work that Cron Triggers run (wrangler.jsonc `triggers.crons`): each job is a verb over the
// request context; every run is recorded, so the operator can see that it ran and how it ended.
import { lt, lte } from "drizzle-orm";
import { scheduledRuns, sessions, throttles } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { deliverDue } from "../mail/outbox.ts";
import { sealAudit } from "./audit.ts";

export interface ScheduledJob {
  name: string;
  run(input: { ctx: RequestContext }): Promise<string>;
}

const KEEP_RUNS_DAYS = 90;

/** Run records older than KEEP_RUNS_DAYS go; later jobs (mail retries, expiry sweeps) join this list. */
export const pruneRuns: ScheduledJob = {
  name: "prune-runs",
  async run({ ctx }) {
    const cutoff = new Date(ctx.now().getTime() - KEEP_RUNS_DAYS * 86_400_000).toISOString();
    const deleted = await ctx.db.delete(scheduledRuns).where(lt(scheduledRuns.startedAt, cutoff)).returning({ id: scheduledRuns.id });
    return `${deleted.length} 件の古い実行記録を削除`;
  },
};

/** Chains audit entries a request could not seal after answering (e.g. the isolate was evicted). */
export const sealAuditLog: ScheduledJob = {
  name: "seal-audit",
  async run({ ctx }) {
    return `${await sealAudit(ctx.db)} 件の監査ログを連鎖`;
  },
};

/** Expired sessions and throttle windows long past serve no one: delete them. */
export const sweepExpired: ScheduledJob = {
  name: "sweep-expired",
  async run({ ctx }) {
    const now = ctx.now();
    const [gone, windows] = await ctx.db.batch([
      ctx.db.delete(sessions).where(lte(sessions.expiresAt, now.toISOString())).returning({ id: sessions.id }),
      // Every limit's window is at most a day; a row untouched for a day is over.
      ctx.db
        .delete(throttles)
        .where(lt(throttles.windowStart, now.getTime() - 86_400_000))
        .returning({ key: throttles.key }),
    ]);
    return `期限切れのセッション ${gone.length} 件、試行回数の記録 ${windows.length} 件を削除`;
  },
};

/** Mail still due in the outbox (a request's own attempt failed, or the isolate went first). */
export const sendMail: ScheduledJob = {
  name: "send-mail",
  async run({ ctx }) {
    const r = await deliverDue(ctx);
    if (r.transport === null) return "送信設定なし（RESEND_API_KEY 未設定）: メールは送信待ちのまま";
    return `送信 ${r.sent} 件、再試行待ち ${r.retried} 件、失敗 ${r.failed} 件`;
  },
};

export const scheduledJobs: readonly ScheduledJob[] = [pruneRuns, sealAuditLog, sweepExpired, sendMail];

/** Runs every job (one failing does not stop the others) and records the run. */
export async function runScheduledJobs(input: {
  ctx: RequestContext;
  cron: string;
  scheduledTime: number;
  jobs?: readonly ScheduledJob[];
}): Promise<{ outcome: "ok" | "failed"; detail: Record<string, string> }> {
  const { ctx, cron, scheduledTime, jobs = scheduledJobs } = input;
  const started = ctx.now();
  const detail: Record<string, string> = {};
  let outcome: "ok" | "failed" = "ok";
  for (const job of jobs) {
    try {
      detail[job.name] = await job.run({ ctx });
    } catch (error) {
      outcome = "failed";
      detail[job.name] = `失敗: ${error instanceof Error ? error.message : String(error)}`;
      console.error(`scheduled job ${job.name} failed (run ${ctx.requestId})`, error);
    }
  }
  const finished = ctx.now();
  await ctx.db.insert(scheduledRuns).values({
    id: ctx.requestId,
    cron,
    scheduledAt: new Date(scheduledTime).toISOString(),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    outcome,
    detail,
    durationMs: finished.getTime() - started.getTime(),
  });
  return { outcome, detail };
}
