import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A contractor (受注者) company. It may apply only once a guarantor's staff approved it. */
export const companies = sqliteTable(
  "companies",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    representative: text("representative").notNull(),
    status: text("status", { enum: ["pending", "approved"] })
      .notNull()
      .default("pending"),
    createdAt: text("created_at").notNull(),
    approvedAt: text("approved_at"),
    approvedBy: text("approved_by"),
  },
  // The desk lists companies waiting for approval.
  (t) => [index("companies_status_idx").on(t.status)],
);
