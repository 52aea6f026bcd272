// Issued guarantees as their owners see them: the contractor's company (logged in, or through the
// e-mailed signed link). Another company's guarantee is "not found", never "forbidden".
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { certificateVersions, guarantees } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { type Certificate, type CertificateContent, certificateOf, versionLabel } from "../domain/certificate.ts";
import { Forbidden, Gone, NotFound, Unauthorized } from "../domain/errors.ts";
import { normalizeContractNumber } from "../domain/numbering.ts";
import { openAuthKey } from "../security/auth-keys.ts";
import { readLink } from "../security/links.ts";

type GuaranteeRow = typeof guarantees.$inferSelect;
type VersionRow = typeof certificateVersions.$inferSelect;

export interface GuaranteeView {
  certificate: Certificate;
  versions: { version: number; label: string; issuedAt: string; reason: string }[];
  agencyViewedAt: string | null;
  applicationId: string;
  delivery: "electronic" | "paper";
}

function companyOf(ctx: RequestContext): string {
  const s = ctx.session;
  if (s === null) throw new Unauthorized();
  if (s.companyId === null) throw new Forbidden("受注者のみが利用できます");
  return s.companyId;
}

/**
 * The visible history: 新規 and each change, never corrections (they replace the content of the
 * version they correct) or the cancellation record (the certificate's status says it).
 */
export function viewOf(g: GuaranteeRow, versions: VersionRow[]): GuaranteeView {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  const latest = ordered.at(-1);
  if (latest === undefined) throw new Error(`guarantee ${g.id} has no version`);
  const shown = ordered.filter((v) => v.reason === "new" || v.reason === "change");
  const current = shown.at(-1) ?? latest;
  const numbered = shown.map((v, i) => ({ ...v, visible: i + 1 }));
  const currentVisible = numbered.at(-1)?.visible ?? 1;
  return {
    certificate: certificateOf(
      // Cancelled as of these versions (so a version signed later says what it said then).
      { contractNumber: g.contractNumber, kind: g.kind, status: ordered.some((v) => v.reason === "cancel") ? "cancelled" : "active" },
      { version: currentVisible, issuedAt: current.issuedAt, content: latest.content as unknown as CertificateContent },
    ),
    versions: numbered.map((v) => ({
      version: v.visible,
      label: versionLabel(v.visible),
      issuedAt: v.issuedAt,
      reason: v.reason === "new" ? "新規" : "変更",
    })),
    agencyViewedAt: g.agencyViewedAt,
    applicationId: g.applicationId,
    delivery: g.delivery,
  };
}

async function withVersions(ctx: RequestContext, rows: GuaranteeRow[]): Promise<GuaranteeView[]> {
  if (rows.length === 0) return [];
  const versions = await ctx.db
    .select()
    .from(certificateVersions)
    .where(
      inArray(
        certificateVersions.guaranteeId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(certificateVersions.version));
  return rows.map((g) =>
    viewOf(
      g,
      versions.filter((v) => v.guaranteeId === g.id),
    ),
  );
}

export async function listGuarantees({ ctx }: { ctx: RequestContext }): Promise<GuaranteeView[]> {
  const companyId = companyOf(ctx);
  const rows = await ctx.db
    .select()
    .from(guarantees)
    .where(eq(guarantees.companyId, companyId))
    .orderBy(desc(guarantees.issuedAt), asc(guarantees.contractNumber))
    .limit(500);
  return withVersions(ctx, rows);
}

async function ownGuarantee(ctx: RequestContext, number: string): Promise<GuaranteeRow> {
  const companyId = companyOf(ctx);
  const [row] = await ctx.db
    .select()
    .from(guarantees)
    .where(and(eq(guarantees.contractNumber, normalizeContractNumber(number)), eq(guarantees.companyId, companyId)));
  if (row === undefined) throw new NotFound("該当する保証が見つかりません");
  return row;
}

export async function getGuarantee({ ctx, number }: { ctx: RequestContext; number: string }): Promise<GuaranteeView> {
  const row = await ownGuarantee(ctx, number);
  const [view] = await withVersions(ctx, [row]);
  if (view === undefined) throw new Error("unreachable");
  return view;
}

async function keyOf(ctx: RequestContext, row: GuaranteeRow): Promise<string | null> {
  if (row.delivery !== "electronic" || row.authKeyBox === null) return null;
  return openAuthKey(ctx.env, row.id, row.keyGeneration, row.authKeyBox);
}

export async function getAuthKey({ ctx, number }: { ctx: RequestContext; number: string }) {
  const row = await ownGuarantee(ctx, number);
  const key = await keyOf(ctx, row);
  if (key === null) throw new NotFound("この保証は証書（紙）で発行されたため、認証キーはありません", "no_auth_key");
  return { authKey: key };
}

/** The guarantee and its key in one read of the row (the notice needs both): null for paper. */
export async function getGuaranteeWithKey({ ctx, number }: { ctx: RequestContext; number: string }) {
  const row = await ownGuarantee(ctx, number);
  const [[view], authKey] = await Promise.all([withVersions(ctx, [row]), keyOf(ctx, row)]);
  if (view === undefined) throw new Error("unreachable");
  return { view, authKey };
}

/** The numbers issued for an application, for its views (empty until issued). */
export async function numbersOf(ctx: RequestContext, applicationId: string) {
  return ctx.db
    .select({ contractNumber: guarantees.contractNumber, kind: guarantees.kind, delivery: guarantees.delivery })
    .from(guarantees)
    .where(eq(guarantees.applicationId, applicationId))
    .orderBy(asc(guarantees.position));
}

/** What an e-mailed link opens: that application's guarantees with their keys, for 14 days. */
export async function openLink({ ctx, token }: { ctx: RequestContext; token: string }) {
  const reading = await readLink(ctx.env, token, ctx.now());
  if (!reading.ok) {
    if (reading.reason === "expired") {
      throw new Gone("このリンクの有効期限（発行から14日）が過ぎています。ログインして保証の一覧からご確認ください", "link_expired");
    }
    throw new Unauthorized(
      "このリンクは正しくありません（途中で切れているか、書き換えられています）。メールのリンクをそのまま開くか、ログインしてご確認ください",
      "link_invalid",
    );
  }
  const { applicationId, companyId, purpose, contractNumber } = reading.claims;
  const rows = await ctx.db
    .select()
    .from(guarantees)
    .where(and(eq(guarantees.applicationId, applicationId), eq(guarantees.companyId, companyId)))
    .orderBy(asc(guarantees.position));
  if (rows.length === 0) throw new Unauthorized("このリンクで開ける保証がありません", "link_invalid");
  const views = await withVersions(ctx, rows);
  // The project as the certificates now name it (a change or correction may have renamed it): the
  // guarantee the mail was about, else every distinct name among the application's guarantees.
  const about = views.find((v) => v.certificate.contractNumber === contractNumber);
  const names = [...new Set((about === undefined ? views : [about]).map((v) => v.certificate.projectName))];
  return {
    expiresAt: reading.claims.expiresAt.toISOString(),
    application: { id: applicationId, projectName: names.length === 0 ? null : names.join("、") },
    notice: { purpose: purpose ?? null, contractNumber: about === undefined ? null : about.certificate.contractNumber },
    guarantees: await Promise.all(rows.map(async (row, i) => ({ ...(views[i] as GuaranteeView), authKey: await keyOf(ctx, row) }))),
  };
}
