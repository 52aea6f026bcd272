import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { guarantees } from "./guarantees.ts";

/**
 * The certificate's versions, append-only: version 1 (新規) at issue, one more per change (変更N)
 * or cancellation. `content` is the certificate's data as issued (edge/domain/certificate.ts);
 * `jws` is its signature, made once at issue (issue 7). Nothing here is updated in place; a
 * correction is a new row with reason "correction" that supersedes the content of `corrects`.
 */
export const certificateVersions = sqliteTable(
  "certificate_versions",
  {
    guaranteeId: text("guarantee_id")
      .notNull()
      .references(() => guarantees.id),
    version: integer("version").notNull(),
    reason: text("reason", { enum: ["new", "change", "correction", "cancel"] }).notNull(),
    content: text("content", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** 電子保証発行日時: when this version was published. */
    issuedAt: text("issued_at").notNull(),
    createdBy: text("created_by").notNull(),
    jws: text("jws"),
    /** The signing key of `jws` (signing_keys.kid): the JWKS keeps it while this version lives. */
    kid: text("kid"),
  },
  // The primary key also serves "the versions of one guarantee, in order".
  (t) => [primaryKey({ columns: [t.guaranteeId, t.version] })],
);
