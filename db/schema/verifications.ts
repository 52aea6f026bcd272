import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { guarantees } from "./guarantees.ts";

/**
 * Every successful verification (an agency viewed a certificate): when, which version, from which
 * client. Append-only; the contractor sees the first as 「発注者が閲覧しました」.
 */
export const verifications = sqliteTable(
  "verifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    guaranteeId: text("guarantee_id")
      .notNull()
      .references(() => guarantees.id),
    version: integer("version").notNull(),
    at: text("at").notNull(),
    /** The client's address as Cloudflare reports it. */
    client: text("client").notNull(),
    /** "single" or "batch" (agency systems). */
    via: text("via", { enum: ["single", "batch", "page"] }).notNull(),
  },
  // The guarantee's viewing history, newest first.
  (t) => [index("verifications_guarantee_idx").on(t.guaranteeId, t.at)],
);
