// The certificate's life after issue (staff of its guarantor only): changes (変更N), corrections
// (replace the content, no history entry), cancellation, and key rotation. Every step is one
// atomic batch conditional on the version (or key generation) it was computed from, so two
// concurrent steps never both apply; the contractor is e-mailed through the outbox in the same
// batch; each new version is signed once, right after.
import { and, asc, eq, sql } from "drizzle-orm";
import { applications, auditLog, certificateVersions, guarantees, outbox, users } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { type CertificateContent, japanInstant, nextContent, UNCHANGED_MESSAGE, type VersionRequest } from "../domain/certificate.ts";
import { Conflict, Invalid, NotFound } from "../domain/errors.ts";
import { normalizeContractNumber } from "../domain/numbering.ts";
import type { WorkType } from "../domain/terms.ts";
import { deliver } from "../mail/outbox.ts";
import { newAuthKey } from "../security/auth-keys.ts";
import { LINK_LIFETIME_DAYS } from "../security/links.ts";
import { sealAudit } from "./audit.ts";
import { signUnsigned } from "./certificates.ts";
import { viewOf } from "./guarantees.ts";
import { staffOf } from "./issue.ts";

type GuaranteeRow = typeof guarantees.$inferSelect;

async function staffGuarantee(ctx: RequestContext, number: string) {
  const staff = staffOf(ctx);
  const [row] = await ctx.db
    .select({ guarantee: guarantees, body: applications.body, createdBy: applications.createdBy })
    .from(guarantees)
    .innerJoin(applications, eq(applications.id, guarantees.applicationId))
    .where(and(eq(guarantees.contractNumber, normalizeContractNumber(number)), eq(guarantees.guarantorId, staff.guarantorId)));
  if (row === undefined) throw new NotFound("該当する保証が見つかりません");
  const versions = await ctx.db
    .select()
    .from(certificateVersions)
    .where(eq(certificateVersions.guaranteeId, row.guarantee.id))
    .orderBy(asc(certificateVersions.version));
  return { staff, ...row, versions };
}

const reasonLabels = { new: "新規", change: "変更", correction: "訂正", cancel: "解約" } as const;

/** The desk's view: the certificate, its visible history, and every row (corrections too). */
export async function staffGuaranteeView({ ctx, number }: { ctx: RequestContext; number: string }) {
  const { guarantee, versions } = await staffGuarantee(ctx, number);
  return {
    ...viewOf(guarantee, versions),
    keyGeneration: guarantee.keyGeneration,
    records: versions.map((v) => ({
      version: v.version,
      reason: v.reason,
      reasonLabel: reasonLabels[v.reason],
      issuedAt: v.issuedAt,
      signed: v.jws !== null,
    })),
  };
}

async function recipientOf(ctx: RequestContext, body: Record<string, unknown>, createdBy: string) {
  const notify = typeof body["notifyEmail"] === "string" && body["notifyEmail"] !== "" ? body["notifyEmail"] : undefined;
  if (notify !== undefined) return notify;
  const [creator] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, createdBy));
  return creator?.email ?? null;
}

/**
 * The outbox row for the contractor, written only if the statement just before it in the batch
 * changed a row (SQLite's changes()): a step that lost a race sends no mail.
 */
function mailIfChanged(ctx: RequestContext, template: string, to: string | null, g: GuaranteeRow, extra: Record<string, unknown>) {
  if (to === null) return { id: null, statement: null };
  const now = ctx.now();
  const id = crypto.randomUUID();
  const data = {
    applicationId: g.applicationId,
    companyId: g.companyId,
    contractNumber: g.contractNumber,
    linkIssuedAt: now.getTime(),
    linkExpiresAt: now.getTime() + LINK_LIFETIME_DAYS * 86_400_000,
    ...extra,
  };
  return {
    id,
    statement: ctx.db.run(sql`insert into ${outbox} (id, template, "to", data, origin, status, attempts, next_attempt_at, created_at)
      select ${id}, ${template}, ${to}, ${JSON.stringify(data)}, ${ctx.origin}, 'queued', 0, ${now.getTime()}, ${now.toISOString()}
      where changes() > 0`),
  };
}

export async function addVersion({ ctx, number, request }: { ctx: RequestContext; number: string; request: VersionRequest }) {
  const { staff, guarantee: g, body, createdBy, versions } = await staffGuarantee(ctx, number);
  if (versions.some((v) => v.reason === "cancel")) throw new Conflict("解約済みの保証は変更できません", "cancelled");
  const latest = versions.at(-1);
  if (latest === undefined) throw new Error(`guarantee ${g.id} has no version`);
  const work = (body["project"] as { workType?: WorkType } | undefined)?.workType;
  const next = nextContent(latest.content as unknown as CertificateContent, request, g.kind, work);
  if (!next.ok) {
    if (next.unchanged) throw new Invalid(next.errors, UNCHANGED_MESSAGE, "unchanged");
    throw new Invalid(next.errors, "変更の内容に誤りがあります");
  }
  const version = latest.version + 1;
  const issuedAt = japanInstant(ctx.now());
  const to = await recipientOf(ctx, body, createdBy);
  const mail = mailIfChanged(ctx, "guarantee.version", to, g, { reason: request.reason, version });
  const [moved] = await ctx.db.batch([
    ctx.db
      .update(guarantees)
      .set({ currentVersion: version, ...(request.reason === "cancel" ? { status: "cancelled" as const } : {}) })
      .where(and(eq(guarantees.id, g.id), eq(guarantees.currentVersion, latest.version)))
      .returning({ id: guarantees.id }),
    ctx.db.run(sql`insert into ${certificateVersions} (guarantee_id, version, reason, content, issued_at, created_by)
      select ${g.id}, ${version}, ${request.reason}, ${JSON.stringify(next.content)}, ${issuedAt}, ${staff.userId}
      where changes() > 0`),
    ctx.db.run(sql`insert into ${auditLog} (at, actor, action, subject, detail)
      select ${ctx.now().toISOString()}, ${staff.userId}, ${`guarantee.${request.reason}`}, ${g.contractNumber},
        ${JSON.stringify({ version, changes: request.changes, note: request.note ?? null })}
      where changes() > 0`),
    ...(mail.statement === null ? [] : [mail.statement]),
  ]);
  if (moved.length === 0)
    throw new Conflict("この保証は別の担当者が先に更新しました。最新の内容を確かめてからやり直してください", "version_conflict");
  const [fresh] = await ctx.db.select().from(guarantees).where(eq(guarantees.id, g.id));
  const all = await ctx.db
    .select()
    .from(certificateVersions)
    .where(eq(certificateVersions.guaranteeId, g.id))
    .orderBy(asc(certificateVersions.version));
  if (fresh === undefined) throw new Error("unreachable");
  try {
    await signUnsigned(ctx, [fresh], all);
  } catch (error) {
    console.error(`signing version ${version} of ${g.contractNumber} failed; it will be signed on first use`, error);
  }
  ctx.after(async () => {
    await sealAudit(ctx.db);
    if (mail.id !== null) await deliver(ctx, mail.id);
  });
  // This step's certificate: a version that another request added since must not answer for it.
  return viewOf(
    fresh,
    all.filter((v) => v.version <= version),
  ).certificate;
}

/** A new authentication key: the old one stops at once; the contractor is e-mailed. */
export async function rotateKey({ ctx, number }: { ctx: RequestContext; number: string }) {
  const { staff, guarantee: g, body, createdBy } = await staffGuarantee(ctx, number);
  if (g.delivery !== "electronic") throw new Conflict("証書（紙）の保証には認証キーがありません", "no_auth_key");
  if (g.status === "cancelled") throw new Conflict("解約済みの保証の認証キーは再発行できません", "cancelled");
  const generation = g.keyGeneration + 1;
  const key = await newAuthKey(ctx.env, g.id, generation);
  const to = await recipientOf(ctx, body, createdBy);
  const mail = mailIfChanged(ctx, "guarantee.key_rotated", to, g, { generation });
  const [moved] = await ctx.db.batch([
    ctx.db
      .update(guarantees)
      .set({ authKeyHash: key.hash, authKeyBox: key.box, keyGeneration: generation })
      .where(and(eq(guarantees.id, g.id), eq(guarantees.keyGeneration, g.keyGeneration)))
      .returning({ id: guarantees.id }),
    ctx.db.run(sql`insert into ${auditLog} (at, actor, action, subject, detail)
      select ${ctx.now().toISOString()}, ${staff.userId}, 'guarantee.key_rotated', ${g.contractNumber},
        ${JSON.stringify({ generation })} where changes() > 0`),
    ...(mail.statement === null ? [] : [mail.statement]),
  ]);
  if (moved.length === 0) throw new Conflict("認証キーは別の担当者が先に再発行しました", "key_conflict");
  ctx.after(async () => {
    await sealAudit(ctx.db);
    if (mail.id !== null) await deliver(ctx, mail.id);
  });
  return { contractNumber: g.contractNumber, keyGeneration: generation };
}
