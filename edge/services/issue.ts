// The desk's decision on a submitted application: issue its guarantees, or reject it.
//
// Issuing is ONE db.batch() (one round trip, run as one transaction), never an interactive
// transaction held across round trips (against Turso every round trip would hold the write lock):
//   1. the application moves submitted → issued and takes a random issue token;
//   2. the guarantor's counter moves forward by the number of guarantees;
//   3. each guarantee is inserted with its number formatted by SQLite's printf from the counter;
//   4. each gets certificate version 1 (新規) with its 電子保証発行日時;
//   5. the outbox row (電子保証発行完了のお知らせ) and the audit entry.
// Statements 2–5 run only where the application carries this call's token (an EXISTS guard), so
// of concurrent or repeated issues exactly one writes, and the others answer what it wrote. Keys
// are made before the batch (random, hashed, sealed); the unique indexes on the contract number and
// on (application, position) make a duplicate impossible even if this reasoning were wrong.
import { and, asc, eq, sql } from "drizzle-orm";
import {
  applications,
  auditLog,
  branches,
  certificateVersions,
  companies,
  counters,
  guarantees,
  guarantors,
  outbox,
  users,
} from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { SubmittedApplication } from "../domain/application.ts";
import { type CertificateContent, japanInstant } from "../domain/certificate.ts";
import { Conflict, Forbidden, Invalid, NotFound } from "../domain/errors.ts";
import { numberFormats } from "../domain/numbering.ts";
import type { GuarantorId } from "../domain/terms.ts";
import { deliver } from "../mail/outbox.ts";
import { newAuthKey } from "../security/auth-keys.ts";
import { LINK_LIFETIME_DAYS } from "../security/links.ts";
import { randomToken } from "../security/tokens.ts";
import { sealAudit } from "./audit.ts";
import { signIssued } from "./certificates.ts";

/** The logged-in staff member and their guarantor (the desk's verbs act for that guarantor only). */
export function staffOf(ctx: RequestContext) {
  const s = ctx.session;
  if (s?.role !== "staff" || s.guarantorId === null) throw new Forbidden("保証会社の担当者のみが利用できます");
  return { userId: s.userId, guarantorId: s.guarantorId };
}

async function ownApplication(ctx: RequestContext, id: string, guarantorId: string) {
  const [row] = await ctx.db
    .select({ application: applications, company: companies })
    .from(applications)
    .innerJoin(companies, eq(companies.id, applications.companyId))
    .where(and(eq(applications.id, id), eq(applications.guarantorId, guarantorId)));
  // Drafts are not the desk's to see: as unknown as another guarantor's.
  if (row === undefined || row.application.status === "draft") throw new NotFound("該当する申込みが見つかりません");
  return row;
}

async function issuedGuarantees(ctx: RequestContext, applicationId: string) {
  return ctx.db
    .select({ contractNumber: guarantees.contractNumber, kind: guarantees.kind, delivery: guarantees.delivery })
    .from(guarantees)
    .where(eq(guarantees.applicationId, applicationId))
    .orderBy(asc(guarantees.position));
}

export interface IssueResult {
  guarantees: { contractNumber: string; kind: string; delivery: "electronic" | "paper" }[];
}

export async function issueApplication({ ctx, id }: { ctx: RequestContext; id: string }): Promise<IssueResult> {
  const staff = staffOf(ctx);
  const { application: app, company } = await ownApplication(ctx, id, staff.guarantorId);
  if (app.status === "issued") return { guarantees: await issuedGuarantees(ctx, id) };
  if (app.status !== "submitted") throw new Conflict("不承認にした申込みは発行できません", "not_submitted");

  // The submitted body passed every rule at submit; read it as such (a corrupted row is a 500, not an issue).
  const parsed = SubmittedApplication.safeParse(app.body);
  if (!parsed.success) throw new Error(`application ${id}: its submitted body no longer parses`);
  const body = parsed.data;
  if (app.branchId === null) throw new Error(`application ${id}: no branch`);
  const [place] = await ctx.db
    .select({ branch: branches, guarantor: guarantors })
    .from(branches)
    .innerJoin(guarantors, eq(guarantors.id, branches.guarantorId))
    .where(eq(branches.id, app.branchId));
  if (place === undefined) throw new Error(`application ${id}: branch ${app.branchId} not found`);
  const format = numberFormats[place.guarantor.id as GuarantorId];
  if (format === undefined) throw new Error(`guarantor ${place.guarantor.id}: no number format`);
  const [creator] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, app.createdBy));
  const to = body.notifyEmail ?? creator?.email;
  if (to === undefined) throw new Invalid([{ field: "notifyEmail", message: "通知先のメールアドレスがありません" }]);

  const now = ctx.now();
  const issuedAt = japanInstant(now);
  const token = randomToken(16);
  const counter = `contract-number:${place.guarantor.id}`;
  const n = body.guarantees.length;
  const guard = sql`exists (select 1 from ${applications} where ${applications.id} = ${id} and ${applications.issueToken} = ${token})`;
  const items = await Promise.all(
    body.guarantees.map(async (g, position) => {
      const guaranteeId = crypto.randomUUID();
      const key = g.delivery === "electronic" ? await newAuthKey(ctx.env, guaranteeId, 1) : null;
      const content: CertificateContent = {
        contractor: { name: company.name, address: company.address },
        beneficiary: body.project.beneficiary,
        projectName: body.project.name,
        contractPrice: body.project.contractPrice,
        amount: g.amount,
        periodFrom: body.project.periodFrom,
        periodTo: body.project.periodTo,
        guaranteeUntil: body.project.periodTo,
        depositBank: g.kind === "advance" ? (g.depositBank ?? null) : null,
        guarantor: {
          id: place.guarantor.id,
          name: place.guarantor.name,
          branch: place.branch.name,
          tel: place.branch.tel,
          fax: place.branch.fax,
        },
      };
      return { guaranteeId, position, g, key, content };
    }),
  );
  const printfArgs = sql.raw(format.args.join(", "));
  const outboxId = crypto.randomUUID();
  const linkExpiresAt = now.getTime() + LINK_LIFETIME_DAYS * 86_400_000;

  await ctx.db.batch([
    ctx.db
      .update(applications)
      .set({
        status: "issued",
        issueToken: token,
        decidedAt: now.toISOString(),
        decidedBy: staff.userId,
        updatedAt: now.toISOString(),
        version: sql`${applications.version} + 1`,
      })
      .where(and(eq(applications.id, id), eq(applications.status, "submitted"), eq(applications.version, app.version))),
    ctx.db.run(sql`insert into ${counters} (name, value) select ${counter}, ${n} where ${guard}
      on conflict (name) do update set value = value + excluded.value`),
    ...items.flatMap(({ guaranteeId, position, g, key, content }) => [
      ctx.db.run(sql`insert into ${guarantees}
          (id, contract_number, seq, guarantor_id, branch_id, application_id, position, company_id, agency_id,
           kind, delivery, status, current_version, auth_key_hash, auth_key_box, key_generation, issued_at, issued_by)
        select ${guaranteeId}, printf(${format.printf}, ${printfArgs}), n, ${place.guarantor.id}, ${place.branch.id}, ${id},
           ${position}, ${app.companyId}, ${app.agencyId}, ${g.kind}, ${g.delivery}, 'active', 1,
           ${key?.hash ?? null}, ${key?.box ?? null}, 1, ${issuedAt}, ${staff.userId}
        from (select value - ${n - 1 - position} as n from ${counters} where name = ${counter})
        where ${guard}`),
      ctx.db.run(sql`insert into ${certificateVersions} (guarantee_id, version, reason, content, issued_at, created_by)
        select ${guaranteeId}, 1, 'new', ${JSON.stringify(content)}, ${issuedAt}, ${staff.userId} where ${guard}`),
    ]),
    ctx.db.run(sql`insert into ${outbox} (id, template, "to", data, origin, status, attempts, next_attempt_at, created_at)
      select ${outboxId}, 'guarantee.issued', ${to},
        ${JSON.stringify({ applicationId: id, companyId: app.companyId, linkIssuedAt: now.getTime(), linkExpiresAt })},
        ${ctx.origin}, 'queued', 0, ${now.getTime()}, ${now.toISOString()} where ${guard}`),
    ctx.db.run(sql`insert into ${auditLog} (at, actor, action, subject, detail)
      select ${now.toISOString()}, ${staff.userId}, 'application.issued', ${id},
        ${JSON.stringify({ company: app.companyId, guarantor: staff.guarantorId, guarantees: n, outbox: outboxId })} where ${guard}`),
  ]);

  const issued = await issuedGuarantees(ctx, id);
  if (issued.length === 0) {
    // Lost a race: another issue or a rejection came first. Say which.
    const [now2] = await ctx.db.select({ status: applications.status }).from(applications).where(eq(applications.id, id));
    if (now2?.status !== "issued") throw new Conflict("この申込みは別の担当者が先に処理しました", "not_submitted");
  }
  await signIssued(ctx, id);
  ctx.after(async () => {
    await sealAudit(ctx.db);
    await deliver(ctx, outboxId);
  });
  return { guarantees: issued };
}

export async function rejectApplication({ ctx, id, reason }: { ctx: RequestContext; id: string; reason: string }) {
  const staff = staffOf(ctx);
  const { application: app } = await ownApplication(ctx, id, staff.guarantorId);
  if (app.status === "rejected") {
    if (app.rejectionReason === reason) return { id, status: "rejected" as const, rejectionReason: reason };
    throw new Conflict("この申込みはすでに不承認です", "already_rejected");
  }
  if (app.status !== "submitted") throw new Conflict("発行済みの申込みは不承認にできません", "not_submitted");
  const now = ctx.now();
  const [changed] = await ctx.db.batch([
    ctx.db
      .update(applications)
      .set({
        status: "rejected",
        rejectionReason: reason,
        decidedAt: now.toISOString(),
        decidedBy: staff.userId,
        updatedAt: now.toISOString(),
        version: sql`${applications.version} + 1`,
      })
      .where(and(eq(applications.id, id), eq(applications.status, "submitted")))
      .returning({ id: applications.id }),
    ctx.db.run(sql`insert into ${auditLog} (at, actor, action, subject, detail)
      select ${now.toISOString()}, ${staff.userId}, 'application.rejected', ${id},
        ${JSON.stringify({ company: app.companyId, guarantor: staff.guarantorId })} where changes() > 0`),
  ]);
  if (changed[0] === undefined) {
    const again = await ownApplication(ctx, id, staff.guarantorId);
    if (again.application.status === "rejected" && again.application.rejectionReason === reason) {
      return { id, status: "rejected" as const, rejectionReason: reason };
    }
    throw new Conflict("この申込みは別の担当者が先に処理しました", "not_submitted");
  }
  ctx.after(() => sealAudit(ctx.db));
  return { id, status: "rejected" as const, rejectionReason: reason };
}
