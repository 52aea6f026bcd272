import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { branches } from "./branches.ts";
import { companies } from "./companies.ts";
import { guarantors } from "./guarantors.ts";

/**
 * A person who logs in: a contractor's clerk (company set) or a guarantor's staff (guarantor set,
 * optionally a branch). The password is an argon2id PHC string, never the password itself.
 */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Lower-cased and trimmed; unique across roles. */
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["contractor", "staff"] }).notNull(),
    companyId: text("company_id").references(() => companies.id),
    guarantorId: text("guarantor_id").references(() => guarantors.id),
    branchId: text("branch_id").references(() => branches.id),
    /**
     * Staff only: the active TOTP secret, sealed with DATA_ENCRYPTION_KEY (edge/security/secret-box.ts,
     * `v1.<iv>.<ciphertext>`, bound to this user's id); null until enrolled.
     */
    totpSecret: text("totp_secret"),
    /**
     * A secret offered by enrolment but not yet confirmed with a code (sealed the same way). Kept apart
     * so starting a new enrolment never replaces the active secret; cleared when confirmed.
     */
    totpPendingSecret: text("totp_pending_secret"),
    /** When the pending secret was made: enrolment must be confirmed within a few minutes. */
    totpPendingAt: text("totp_pending_at"),
    /** Staff created with --require-totp must enrol before anything else. */
    totpRequired: integer("totp_required", { mode: "boolean" }).notNull().default(false),
    /** The last accepted TOTP time step: a code is accepted once (no replay). */
    totpLastStep: integer("totp_last_step"),
    createdAt: text("created_at").notNull(),
  },
  // Login looks a user up by e-mail; uniqueness is what makes registration race-free.
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);
