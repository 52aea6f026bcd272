import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Fixed-window counters for guessable things (logins per account and per client; later verify
 * attempts per number). Incremented atomically with INSERT … ON CONFLICT DO UPDATE … RETURNING, so
 * the count is exact across concurrent requests and isolates (a per-isolate map would not be).
 */
export const throttles = sqliteTable("throttles", {
  /** e.g. "login:account:<email hash>", "login:client:<ip>". */
  key: text("key").primaryKey(),
  /** Start of the current window, epoch ms. */
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});
