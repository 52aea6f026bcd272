// Certificates as published: each version's JWS is made once, right after the version is written
// (at issue, at a change), under the guarantor's active key; a version that missed it (the signing
// step failed) is signed on first use, once (the update only fills an empty jws).
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { certificateVersions, guarantees } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { signPayload } from "../security/certificate-signing.ts";
import { viewOf } from "./guarantees.ts";
import { activeSigningKey } from "./signing-keys.ts";

type GuaranteeRow = typeof guarantees.$inferSelect;
type VersionRow = typeof certificateVersions.$inferSelect;

/** The certificate as of version `upTo` (what that version's JWS signs). */
export function certificateAt(g: GuaranteeRow, versions: VersionRow[], upTo: number) {
  return viewOf(
    g,
    versions.filter((v) => v.version <= upTo),
  ).certificate;
}

/** Sign every unsigned version of these guarantees; returns the JWS per "guaranteeId:version". */
export async function signUnsigned(ctx: RequestContext, rows: GuaranteeRow[], versions?: VersionRow[]): Promise<Map<string, string>> {
  const signed = new Map<string, string>();
  if (rows.length === 0) return signed;
  const all =
    versions ??
    (await ctx.db
      .select()
      .from(certificateVersions)
      .where(
        inArray(
          certificateVersions.guaranteeId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(certificateVersions.version)));
  const updates = [];
  for (const g of rows) {
    const mine = all.filter((v) => v.guaranteeId === g.id);
    for (const v of mine) {
      if (v.jws !== null) continue;
      const key = await activeSigningKey(ctx, g.guarantorId);
      const jws = await signPayload(ctx.env, key, certificateAt(g, mine, v.version));
      signed.set(`${g.id}:${v.version}`, jws);
      updates.push(
        ctx.db
          .update(certificateVersions)
          .set({ jws, kid: key.kid })
          .where(
            and(eq(certificateVersions.guaranteeId, g.id), eq(certificateVersions.version, v.version), isNull(certificateVersions.jws)),
          ),
      );
    }
  }
  const [first, ...rest] = updates;
  if (first !== undefined) await ctx.db.batch([first, ...rest]);
  return signed;
}

/** Sign what an issue just wrote; a failure leaves the versions to be signed on first use. */
export async function signIssued(ctx: RequestContext, applicationId: string): Promise<void> {
  try {
    const rows = await ctx.db.select().from(guarantees).where(eq(guarantees.applicationId, applicationId));
    await signUnsigned(ctx, rows);
  } catch (error) {
    console.error(`signing the certificates of application ${applicationId} failed; they will be signed on first use`, error);
  }
}
