import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { applications } from "./applications.ts";
import { branches } from "./branches.ts";
import { companies } from "./companies.ts";
import { guarantors } from "./guarantors.ts";

/**
 * An issued guarantee (保証契約): one per guarantee requested in an application, numbered from its
 * guarantor's sequence. Its content lives in certificate_versions (append-only); this row holds what
 * identifies it, its state, and the authentication key, never in plain text:
 * - `authKeyHash`: SHA-256 of the canonical key, what verification compares (the key has 75 random
 *   bits, so no salt or slow hash is needed against guessing from a stolen hash);
 * - `authKeyBox`: the key sealed with AES-256-GCM under DATA_ENCRYPTION_KEY (a Worker secret), bound
 *   to the contract number, so the contractor can display it again; a database copy alone reveals none.
 * Paper guarantees (delivery "paper") have no key.
 */
export const guarantees = sqliteTable(
  "guarantees",
  {
    id: text("id").primaryKey(),
    contractNumber: text("contract_number").notNull(),
    /** The guarantor's sequence value the number was made from. */
    seq: integer("seq").notNull(),
    guarantorId: text("guarantor_id")
      .notNull()
      .references(() => guarantors.id),
    branchId: text("branch_id")
      .notNull()
      .references(() => branches.id),
    applicationId: text("application_id")
      .notNull()
      .references(() => applications.id),
    /** Its place in the application's list of guarantees. */
    position: integer("position").notNull(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    agencyId: text("agency_id"),
    kind: text("kind", { enum: ["advance", "intermediate", "contract", "bid_bond"] }).notNull(),
    delivery: text("delivery", { enum: ["electronic", "paper"] }).notNull(),
    status: text("status", { enum: ["active", "cancelled"] })
      .notNull()
      .default("active"),
    currentVersion: integer("current_version").notNull().default(1),
    authKeyHash: text("auth_key_hash"),
    authKeyBox: text("auth_key_box"),
    /** Bumped by each key rotation (the box's context names it, so an old box cannot be replayed). */
    keyGeneration: integer("key_generation").notNull().default(1),
    issuedAt: text("issued_at").notNull(),
    issuedBy: text("issued_by").notNull(),
    /** The first time an agency viewed it through verification (issue 7). */
    agencyViewedAt: text("agency_viewed_at"),
  },
  (t) => [
    // One number, once, across all guarantors (formats differ, but make sure).
    uniqueIndex("guarantees_number_idx").on(t.contractNumber),
    // One guarantee per requested item: a repeated or concurrent issue cannot double it.
    uniqueIndex("guarantees_application_position_idx").on(t.applicationId, t.position),
    // The contractor's list of its guarantees, newest first.
    index("guarantees_company_idx").on(t.companyId, t.issuedAt),
    // Verification looks a key up by number, then compares the hash; rotation and lists by guarantor.
    index("guarantees_guarantor_idx").on(t.guarantorId, t.issuedAt),
  ],
);
