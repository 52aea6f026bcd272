import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users.ts";

/**
 * Server-side sessions. The cookie holds a random token; only its SHA-256 is stored (the id), so a
 * copy of the database cannot be replayed as a cookie. Logout deletes the row; expiry is checked on
 * every request and swept by the Cron job.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    /** "full", or "second_factor" for staff who passed the password but not yet the TOTP code. */
    level: text("level", { enum: ["full", "second_factor"] }).notNull(),
  },
  // Logout everywhere and the expiry sweep read by user and by expiry.
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);
