import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Append-only history of every state change (registration, approval, login failures, …). An entry
 * is written in the same batch as the change it records; its `hash` chains it to the one before
 * (SHA-256 of the previous hash and the entry), computed right after by the sealer
 * (edge/services/audit.ts), so no write holds SQLite's lock while hashing. An edited, removed or
 * reordered sealed entry breaks the chain: `npm run cli -- audit verify` names the first one.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    /** A user id, or "anonymous" / "system". */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    /** What the action was about: a user, company, application or guarantee id. */
    subject: text("subject"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Null until sealed. */
    hash: text("hash"),
  },
  // The sealer reads the unsealed tail.
  (t) => [index("audit_log_unsealed_idx").on(t.hash, t.seq)],
);
