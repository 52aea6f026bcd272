import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Named sequences, e.g. "contract-number:wjcs": each guarantor's 保証契約番号 sequence. Bumped
 * with INSERT … ON CONFLICT DO UPDATE SET value = value + n inside the same batch that uses the
 * numbers, so concurrent issues never share one and a failed issue takes none.
 */
export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});
