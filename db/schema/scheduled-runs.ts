import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One row per Cron Trigger run: which schedule, when it was due, how it ended. The operator's
 * evidence that mail retries and expiry sweeps really run; old rows are pruned by the run itself.
 */
export const scheduledRuns = sqliteTable(
  "scheduled_runs",
  {
    id: text("id").primaryKey(),
    cron: text("cron").notNull(),
    scheduledAt: text("scheduled_at").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at").notNull(),
    outcome: text("outcome", { enum: ["ok", "failed"] }).notNull(),
    /** Per job: what it did, or its error message. */
    detail: text("detail", { mode: "json" }).$type<Record<string, string>>().notNull(),
    durationMs: integer("duration_ms").notNull(),
  },
  // "When did it last run?" and pruning both read by start time.
  (t) => [index("scheduled_runs_started_idx").on(t.startedAt)],
);
