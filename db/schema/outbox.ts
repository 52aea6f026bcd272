import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The transactional outbox: an e-mail is queued in the same batch as the change it announces, and
 * sent afterwards (right after the request, then by the Cron handler with backoff) through Resend,
 * with the row's id as the idempotency key, so a retry never sends twice.
 *
 * No bearer secret is stored: a signed link is described by `links` (what it opens, until when) and
 * signed when the mail is rendered, so a copy of this table opens nothing.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    /** The template (edge/mail/templates.ts), e.g. "guarantee.issued". */
    template: text("template").notNull(),
    to: text("to").notNull(),
    /** The template's data (no secrets). */
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The site's origin the links point to. */
    origin: text("origin").notNull(),
    status: text("status", { enum: ["queued", "sent", "failed"] })
      .notNull()
      .default("queued"),
    attempts: integer("attempts").notNull().default(0),
    /** Epoch ms: not before. A sender claims a row by moving this forward (a lease). */
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    providerId: text("provider_id"),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
  },
  // The sender reads what is due; the dev list reads newest first.
  (t) => [index("outbox_due_idx").on(t.status, t.nextAttemptAt), index("outbox_created_idx").on(t.createdAt)],
);
