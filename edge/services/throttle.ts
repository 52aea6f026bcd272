// Exact fixed-window counters in the database (see db/schema/throttles.ts): one statement
// increments and returns, so concurrent requests in any isolate see one count.
import { eq, sql } from "drizzle-orm";
import { throttles } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";

export interface Limit {
  /** Attempts allowed within the window. */
  max: number;
  windowMs: number;
}

/** Seconds until the window of a counter that went over its limit ends (0: not over). */
export function secondsOver(ctx: RequestContext, counted: { count: number; windowStart: number } | undefined, limit: Limit): number {
  if (counted === undefined || counted.count <= limit.max) return 0;
  return Math.max(1, Math.ceil((counted.windowStart + limit.windowMs - ctx.now().getTime()) / 1000));
}

/**
 * Count one more attempt against `key` in its current window, before the attempt is judged: each
 * concurrent attempt gets its own number, so no burst can slip more than `max` past the check.
 */
export function countAttempt(ctx: RequestContext, key: string, limit: Limit) {
  const now = ctx.now().getTime();
  const expired = now - limit.windowMs;
  return ctx.db
    .insert(throttles)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        count: sql`case when ${throttles.windowStart} <= ${expired} then 1 else ${throttles.count} + 1 end`,
        windowStart: sql`case when ${throttles.windowStart} <= ${expired} then ${now} else ${throttles.windowStart} end`,
      },
    })
    .returning({ count: throttles.count, windowStart: throttles.windowStart });
}

export function clearAttempts(ctx: RequestContext, key: string) {
  return ctx.db.delete(throttles).where(eq(throttles.key, key));
}

/** Take back one counted attempt that turned out fine (so successes never add up to a lock). */
export function uncountAttempt(ctx: RequestContext, key: string) {
  return ctx.db
    .update(throttles)
    .set({ count: sql`max(${throttles.count} - 1, 0)` })
    .where(eq(throttles.key, key));
}
