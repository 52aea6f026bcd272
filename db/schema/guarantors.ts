import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The surety companies (保証事業会社). Loaded from content/guarantors.json by the seed. */
export const guarantors = sqliteTable("guarantors", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  shortName: text("short_name").notNull(),
  portal: text("portal").notNull(),
  url: text("url"),
  address: text("address"),
});
