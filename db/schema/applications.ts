import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { branches } from "./branches.ts";
import { companies } from "./companies.ts";
import { guarantors } from "./guarantors.ts";
import { users } from "./users.ts";

/**
 * A contractor's guarantee application (保証申込). `body` is the application as the contractor
 * wrote it (edge/domain/application.ts: a draft may be partial); agency, branch and guarantor are
 * copied out of it on every save so the lists and the desk's queue can filter without JSON.
 */
export const applications = sqliteTable(
  "applications",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: ["draft", "submitted", "issued", "rejected"] })
      .notNull()
      .default("draft"),
    body: text("body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** An agency id of content/ (not a table: the catalogue is built from the content files). */
    agencyId: text("agency_id"),
    branchId: text("branch_id").references(() => branches.id),
    /** The branch's guarantor: whose staff see the application. */
    guarantorId: text("guarantor_id").references(() => guarantors.id),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    submittedAt: text("submitted_at"),
    rejectionReason: text("rejection_reason"),
    /** When and by whom the desk decided (issued or rejected). */
    decidedAt: text("decided_at"),
    decidedBy: text("decided_by"),
    /** A random token set by the issuing write; every other statement of that batch requires it. */
    issueToken: text("issue_token"),
    /** What the submit warned about (electronic delivery left open by the sources), for the desk. */
    warnings: text("warnings", { mode: "json" }).$type<unknown[]>(),
    /** The Idempotency-Key of the create call: a retried create finds the draft it made. */
    createKey: text("create_key"),
    /** The Idempotency-Key of the submit call, if the client sent one. */
    submitKey: text("submit_key"),
    /** Bumped by every write: updates are conditional on it (optimistic concurrency, no lost edits). */
    version: integer("version").notNull().default(1),
  },
  (t) => [
    // The contractor's list: one company's applications, newest first.
    index("applications_company_updated_idx").on(t.companyId, t.updatedAt),
    // The desk's queue: one guarantor's applications by status, in order of submission.
    index("applications_queue_idx").on(t.guarantorId, t.status, t.submittedAt),
    // Makes a retried create race-free; NULL keys (no header) never collide in SQLite.
    uniqueIndex("applications_create_key_idx").on(t.companyId, t.createKey),
  ],
);
