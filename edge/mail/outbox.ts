// The transactional outbox (db/schema/outbox.ts): mail is queued in the same atomic write as the
// change it announces and delivered afterwards, once: right after the request (ctx.after), and by
// the Cron handler for whatever is still due, with backoff. A sender claims a row by moving its
// next_attempt_at forward in one conditional UPDATE (a lease), so two senders never send one row at
// the same time; Resend's idempotency key (the row id) covers a crash between sending and marking.
import { and, asc, desc, eq, lte, sql } from "drizzle-orm";
import { outbox } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { renderMail } from "./templates.ts";
import { type Transport, transportFor } from "./transport.ts";

type Row = typeof outbox.$inferSelect;

/** Minutes to wait after the nth failed attempt; after the last, the row is marked failed. */
export const BACKOFF_MINUTES = [1, 5, 30, 120, 720, 1440] as const;
/** A claimed row is left alone this long, so a sender that died mid-send is retried later. */
const LEASE_MS = 5 * 60_000;

/** Send one row if it is due and nobody else holds it. */
export async function deliver(ctx: RequestContext, id: string, transport: Transport | null = transportFor(ctx.env)) {
  if (transport === null) return "no_transport" as const;
  const now = ctx.now().getTime();
  const [claimed] = await ctx.db
    .update(outbox)
    .set({ nextAttemptAt: now + LEASE_MS, attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), eq(outbox.status, "queued"), lte(outbox.nextAttemptAt, now)))
    .returning();
  if (claimed === undefined) return "not_due" as const;
  let result: Awaited<ReturnType<Transport["send"]>>;
  try {
    result = await transport.send(await renderMail(ctx, claimed), claimed.id);
  } catch (error) {
    result = { ok: false, error: error instanceof Error ? error.message : String(error), retry: true };
  }
  if (result.ok) {
    await ctx.db
      .update(outbox)
      .set({ status: "sent", sentAt: ctx.now().toISOString(), providerId: result.providerId, lastError: null })
      .where(eq(outbox.id, id));
    return "sent" as const;
  }
  const wait = BACKOFF_MINUTES[claimed.attempts - 1];
  const giveUp = !result.retry || wait === undefined;
  await ctx.db
    .update(outbox)
    .set({
      status: giveUp ? "failed" : "queued",
      lastError: result.error,
      nextAttemptAt: giveUp ? now : now + (wait ?? 0) * 60_000,
    })
    .where(eq(outbox.id, id));
  if (giveUp) console.error(`mail ${id} failed for good after ${claimed.attempts} attempt(s): ${result.error}`);
  return giveUp ? ("failed" as const) : ("retry" as const);
}

/** The Cron handler's part: every due row, oldest first, up to `limit`. */
export async function deliverDue(ctx: RequestContext, limit = 50) {
  const transport = transportFor(ctx.env);
  if (transport === null) return { sent: 0, retried: 0, failed: 0, transport: null };
  const due = await ctx.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, "queued"), lte(outbox.nextAttemptAt, ctx.now().getTime())))
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(limit);
  const tally = { sent: 0, retried: 0, failed: 0, transport: transport.name };
  for (const { id } of due) {
    const outcome = await deliver(ctx, id, transport);
    if (outcome === "sent") tally.sent++;
    else if (outcome === "retry") tally.retried++;
    else if (outcome === "failed") tally.failed++;
  }
  return tally;
}

/** Outside production: the mail as it was (or will be) sent, newest first. */
export async function listOutbox(ctx: RequestContext, limit = 100) {
  const rows = await ctx.db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(limit);
  return Promise.all(
    rows.map(async (row: Row) => {
      const mail = await renderMail(ctx, row).catch((error: unknown) => ({
        to: row.to,
        subject: "（表示できません）",
        text: error instanceof Error ? error.message : String(error),
        links: [] as string[],
      }));
      return {
        id: row.id,
        template: row.template,
        to: row.to,
        subject: mail.subject,
        text: mail.text,
        links: mail.links,
        status: row.status,
        attempts: row.attempts,
        lastError: row.lastError,
        createdAt: row.createdAt,
        sentAt: row.sentAt,
      };
    }),
  );
}
