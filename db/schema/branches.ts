import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { guarantors } from "./guarantors.ts";

/** A guarantor's branch (支店): where applications are sent and certificates are handled. */
export const branches = sqliteTable(
  "branches",
  {
    id: text("id").primaryKey(),
    guarantorId: text("guarantor_id")
      .notNull()
      .references(() => guarantors.id),
    name: text("name").notNull(),
    tel: text("tel"),
    fax: text("fax"),
    postalCode: text("postal_code"),
    address: text("address"),
    email: text("email"),
  },
  // Listing a guarantor's branches is the common read (GET /guarantors, the application form).
  (t) => [index("branches_guarantor_idx").on(t.guarantorId)],
);
