import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { guarantors } from "./guarantors.ts";

/**
 * The guarantors' certificate-signing keys (ES256). The private key is a JWK sealed with AES-256-GCM
 * under DATA_ENCRYPTION_KEY (edge/security/secret-box.ts), never in clear; the public JWK is
 * published at /.well-known/jwks.json while the key is active and, once retired, for as long as a
 * live certificate version is signed with it.
 */
export const signingKeys = sqliteTable(
  "signing_keys",
  {
    /** RFC 7638 thumbprint of the public key. */
    kid: text("kid").primaryKey(),
    guarantorId: text("guarantor_id")
      .notNull()
      .references(() => guarantors.id),
    alg: text("alg", { enum: ["ES256"] }).notNull(),
    publicJwk: text("public_jwk", { mode: "json" }).$type<Record<string, string>>().notNull(),
    privateBox: text("private_box").notNull(),
    status: text("status", { enum: ["active", "retired"] }).notNull(),
    createdAt: text("created_at").notNull(),
    retiredAt: text("retired_at"),
  },
  (t) => [
    // One active key per guarantor: concurrent first issues race to insert, one wins.
    uniqueIndex("signing_keys_active_idx").on(t.guarantorId).where(sql`status = 'active'`),
    index("signing_keys_guarantor_idx").on(t.guarantorId, t.status),
  ],
);
