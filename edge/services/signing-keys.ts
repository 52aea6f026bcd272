// The guarantors' certificate-signing keys: made on first use (one active key per guarantor,
// concurrent first uses race on a unique index and all use the winner), rotated by the operator,
// published at /.well-known/jwks.json while active or while a live certificate version uses them.
import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { certificateVersions, guarantees, signingKeys } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { newSigningKey } from "../security/certificate-signing.ts";

export interface PublicJwk {
  kty: string;
  kid: string;
  alg: string;
  use: string;
  crv: string;
  x: string;
  y: string;
}

type KeyRow = typeof signingKeys.$inferSelect;

/** The guarantor's active key, made now if it has none. */
export async function activeSigningKey(ctx: RequestContext, guarantorId: string): Promise<KeyRow> {
  const find = async () =>
    (
      await ctx.db
        .select()
        .from(signingKeys)
        .where(and(eq(signingKeys.guarantorId, guarantorId), eq(signingKeys.status, "active")))
    )[0];
  const existing = await find();
  if (existing !== undefined) return existing;
  const made = await newSigningKey(ctx.env);
  await ctx.db
    .insert(signingKeys)
    .values({ ...made, guarantorId, alg: "ES256", status: "active", createdAt: ctx.now().toISOString() })
    .onConflictDoNothing();
  const winner = await find();
  if (winner === undefined) throw new Error(`no active signing key for ${guarantorId} after insert`);
  return winner;
}

/** Retire the active key (the next signature makes a new one); old signatures stay checkable. */
export async function rotateSigningKey(ctx: RequestContext, guarantorId: string): Promise<{ retired: string | null; active: string }> {
  const [retired] = await ctx.db
    .update(signingKeys)
    .set({ status: "retired", retiredAt: ctx.now().toISOString() })
    .where(and(eq(signingKeys.guarantorId, guarantorId), eq(signingKeys.status, "active")))
    .returning({ kid: signingKeys.kid });
  const active = await activeSigningKey(ctx, guarantorId);
  return { retired: retired?.kid ?? null, active: active.kid };
}

/**
 * Active keys, and retired keys that still sign a version of a guarantee that is not cancelled.
 * A retired key no live certificate uses drops out of the set.
 */
export async function publicSigningKeys({ ctx }: { ctx: RequestContext }): Promise<PublicJwk[]> {
  const inUse = ctx.db
    .selectDistinct({ kid: certificateVersions.kid })
    .from(certificateVersions)
    .innerJoin(guarantees, eq(guarantees.id, certificateVersions.guaranteeId))
    .where(and(isNotNull(certificateVersions.kid), eq(guarantees.status, "active")));
  const rows = await ctx.db
    .select({ publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(or(eq(signingKeys.status, "active"), inArray(signingKeys.kid, sql`${inUse}`)))
    .orderBy(signingKeys.createdAt);
  return rows.map((r) => r.publicJwk as unknown as PublicJwk);
}
