import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Reports of a correction or an addition to an agency's facts, sent by anyone from the guide
 * (POST /api/v1/reports). Append-only (migration 0009's triggers): a report's content is never
 * changed or deleted; only `handled_at` may be set, once, by the operator's CLI (`reports done`).
 * No public route reads this table.
 */
export const reports = sqliteTable(
  "reports",
  {
    /** The 受付番号 people are shown: 10 symbols of an unambiguous alphabet, random. */
    id: text("id").primaryKey(),
    /** An agency id of the catalogue (content/) at the time of the report; not a foreign key: content is not in the database. */
    agencyId: text("agency_id").notNull(),
    /** What changed, cleaned of control and invisible characters, 1–2000 characters. */
    message: text("message").notNull(),
    sourceUrl: text("source_url"),
    /**
     * The reporter's e-mail or phone, sealed with AES-256-GCM under DATA_ENCRYPTION_KEY and bound to
     * `report-contact:<id>` (edge/security/secret-box.ts); only the operator's CLI opens it.
     */
    contactBox: text("contact_box"),
    receivedAt: text("received_at").notNull(),
    /** Set once by `npm run cli -- reports done ID`; null while open. */
    handledAt: text("handled_at"),
  },
  // The operator's list: open reports, newest first.
  (t) => [index("reports_open_idx").on(t.handledAt, t.receivedAt)],
);
