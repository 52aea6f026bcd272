// The contractor's applications: create and edit drafts, submit, read. A contractor reaches only
// its own company's applications; any other id is "not found" (never "forbidden"), so ids leak nothing.
import { and, desc, eq, sql } from "drizzle-orm";
import { applications, branches, companies } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { ruleOf } from "../domain/agency.ts";
import {
  ApplicationDraft,
  compactDraft,
  fieldErrorsOf,
  mergeDraft,
  statusLabels,
  submittable,
  type Warning,
} from "../domain/application.ts";
import { todayInJapan } from "../domain/era.ts";
import { Conflict, type FieldError, Forbidden, Invalid, NotFound, Unauthorized } from "../domain/errors.ts";
import { labels } from "../domain/terms.ts";
import { appendAuditIfChanged, sealAudit } from "./audit.ts";
import { catalogue } from "./catalogue.ts";
import { numbersOf } from "./guarantees.ts";

type Row = typeof applications.$inferSelect;
/** Concurrent edits of one draft retry this often before giving up with a 409. */
const ATTEMPTS = 8;

function contractor(ctx: RequestContext) {
  const session = ctx.session;
  if (session === null) throw new Unauthorized();
  if (session.companyId === null) throw new Forbidden("受注者のみが利用できます");
  return { userId: session.userId, companyId: session.companyId };
}

/** Only an approved company may apply (API.md: it waits for staff approval first). */
async function approvedCompany(ctx: RequestContext) {
  const who = contractor(ctx);
  const [company] = await ctx.db.select({ status: companies.status }).from(companies).where(eq(companies.id, who.companyId));
  if (company?.status !== "approved") {
    throw new Forbidden("会社の登録は保証会社の承認待ちです。承認されると保証の申込みができます", "company_not_approved");
  }
  return who;
}

async function own(ctx: RequestContext, id: string): Promise<Row> {
  const { companyId } = contractor(ctx);
  const [row] = await ctx.db
    .select()
    .from(applications)
    .where(and(eq(applications.id, id), eq(applications.companyId, companyId)));
  if (row === undefined) throw new NotFound("該当する申込みが見つかりません");
  return row;
}

const agencyOf = (ctx: RequestContext, id: string | undefined) =>
  id === undefined ? undefined : catalogue(todayInJapan(ctx.now())).byId.get(id);

/** The agency and branch a draft names must exist; the branch gives the guarantor. */
async function references(ctx: RequestContext, body: ReturnType<typeof compactDraft>) {
  const errors: FieldError[] = [];
  // Blank counts as not chosen yet (an empty select of a form).
  const given = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);
  const agencyId = given(body.project?.agencyId);
  const branchId = given(body.branchId);
  const agency = agencyOf(ctx, agencyId);
  if (agencyId !== undefined && agency === undefined) {
    errors.push({ field: "project.agencyId", message: "該当する発注者が見つかりません。一覧から選んでください" });
  }
  let guarantorId: string | null = null;
  if (branchId !== undefined) {
    const [branch] = await ctx.db.select({ guarantorId: branches.guarantorId }).from(branches).where(eq(branches.id, branchId));
    if (branch === undefined) errors.push({ field: "branchId", message: "該当する支店が見つかりません。一覧から選んでください" });
    else guarantorId = branch.guarantorId;
  }
  return {
    errors,
    agency,
    columns: { agencyId: agency?.id ?? null, branchId: guarantorId === null ? null : (branchId ?? null), guarantorId },
  };
}

export async function createApplication({
  ctx,
  input,
  idempotencyKey,
}: {
  ctx: RequestContext;
  input: ApplicationDraft;
  idempotencyKey?: string | undefined;
}) {
  const who = await approvedCompany(ctx);
  const body = compactDraft(input);
  const refs = await references(ctx, body);
  if (refs.errors.length > 0) throw new Invalid(refs.errors);
  const now = ctx.now().toISOString();
  const id = crypto.randomUUID();
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(applications)
      .values({
        id,
        companyId: who.companyId,
        createdBy: who.userId,
        status: "draft",
        body,
        ...refs.columns,
        createdAt: now,
        updatedAt: now,
        createKey: idempotencyKey ?? null,
      })
      .onConflictDoNothing({ target: [applications.companyId, applications.createKey] })
      .returning(),
    appendAuditIfChanged(ctx.db, {
      at: ctx.now(),
      actor: who.userId,
      action: "application.created",
      subject: id,
      detail: { company: who.companyId },
    }),
  ]);
  let row = inserted[0];
  if (row === undefined && idempotencyKey !== undefined) {
    // The same create retried: answer with the draft the first call made.
    [row] = await ctx.db
      .select()
      .from(applications)
      .where(and(eq(applications.companyId, who.companyId), eq(applications.createKey, idempotencyKey)));
  }
  if (row === undefined) throw new Error("application insert returned no row");
  ctx.after(() => sealAudit(ctx.db));
  return row;
}

/** Merge a partial application into a draft (JSON merge patch: arrays replace, null clears). */
export async function updateApplication({
  ctx,
  id,
  patch,
  expectedVersion,
}: {
  ctx: RequestContext;
  id: string;
  patch: ApplicationDraft;
  expectedVersion?: number | undefined;
}) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await own(ctx, id);
    if (current.status !== "draft") throw new Conflict("送信済みの申込みは変更できません", "not_draft");
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new Conflict("この申込みは別の画面で更新されています。最新の内容を読み込んでから編集してください", "version_mismatch");
    }
    const merged = ApplicationDraft.safeParse(mergeDraft(current.body, patch));
    if (!merged.success) throw new Invalid(fieldErrorsOf(merged.error));
    const body = compactDraft(merged.data);
    const refs = await references(ctx, body);
    if (refs.errors.length > 0) throw new Invalid(refs.errors);
    const [updated] = await ctx.db
      .update(applications)
      .set({ body, ...refs.columns, updatedAt: ctx.now().toISOString(), version: sql`${applications.version} + 1` })
      .where(and(eq(applications.id, id), eq(applications.status, "draft"), eq(applications.version, current.version)))
      .returning();
    if (updated !== undefined) return updated;
  }
  throw new Conflict("同時に更新が続いたため保存できませんでした。もう一度お試しください", "version_conflict");
}

export interface SubmitResult {
  id: string;
  status: "submitted";
  statusLabel: string;
  submittedAt: string;
  warnings: Warning[];
}

const submitted = (row: Row): SubmitResult => ({
  id: row.id,
  status: "submitted",
  statusLabel: statusLabels.submitted,
  submittedAt: row.submittedAt ?? row.updatedAt,
  warnings: (row.warnings ?? []) as Warning[],
});

/**
 * Submit a draft. The state change is one conditional UPDATE … WHERE status = 'draft' AND
 * version = (the version validated) with its audit entry in the same batch: of any number of
 * concurrent or retried submits exactly one changes the row, and every one answers its result.
 */
export async function submitApplication({
  ctx,
  id,
  idempotencyKey,
}: {
  ctx: RequestContext;
  id: string;
  idempotencyKey?: string | undefined;
}) {
  const who = await approvedCompany(ctx);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await own(ctx, id);
    if (current.status === "submitted") return submitted(current);
    if (current.status !== "draft") throw new Conflict("この申込みは手続きが終わっているため送信できません", "not_draft");
    const draft = ApplicationDraft.safeParse(current.body);
    if (!draft.success) throw new Invalid(fieldErrorsOf(draft.error));
    const body = compactDraft(draft.data);
    const refs = await references(ctx, body);
    const outcome = submittable(draft.data, refs.agency === undefined ? undefined : ruleOf(refs.agency));
    const errors = [...(outcome.ok ? [] : outcome.errors), ...refs.errors.filter((e) => e.field === "branchId")];
    if (errors.length > 0) throw new Invalid(errors, "申込みの内容に誤りがあります。表示された項目を直してから送信してください");
    const now = ctx.now();
    const [changed] = await ctx.db.batch([
      ctx.db
        .update(applications)
        .set({
          status: "submitted",
          submittedAt: now.toISOString(),
          updatedAt: now.toISOString(),
          warnings: outcome.warnings,
          submitKey: idempotencyKey ?? null,
          ...refs.columns,
          version: sql`${applications.version} + 1`,
        })
        .where(and(eq(applications.id, id), eq(applications.status, "draft"), eq(applications.version, current.version)))
        .returning(),
      appendAuditIfChanged(ctx.db, {
        at: now,
        actor: who.userId,
        action: "application.submitted",
        subject: id,
        detail: { company: who.companyId, guarantor: refs.columns.guarantorId, warnings: outcome.warnings.length },
      }),
    ]);
    const row = changed[0];
    if (row !== undefined) {
      ctx.after(() => sealAudit(ctx.db));
      return submitted(row);
    }
    // Another submit won (the next read answers its result), or a PATCH came between (validate again).
  }
  throw new Conflict("同時に更新が続いたため送信できませんでした。もう一度お試しください", "version_conflict");
}

export async function getApplication({ ctx, id }: { ctx: RequestContext; id: string }) {
  return own(ctx, id);
}

export async function listApplications({ ctx }: { ctx: RequestContext }) {
  const { companyId } = contractor(ctx);
  return ctx.db
    .select()
    .from(applications)
    .where(eq(applications.companyId, companyId))
    .orderBy(desc(applications.updatedAt), desc(applications.id))
    .limit(500);
}

// ---- what the API shows -------------------------------------------------------------------------

export type IssuedNumbers = Awaited<ReturnType<typeof numbersOf>>;

/** The view with, once issued, the numbers of its guarantees. */
export async function applicationDetail(ctx: RequestContext, row: Row) {
  return applicationView(ctx, row, row.status === "issued" ? await numbersOf(ctx, row.id) : []);
}

export function applicationView(ctx: RequestContext, row: Row, issued: IssuedNumbers = []) {
  const body = compactDraft(ApplicationDraft.parse(row.body));
  const agency = agencyOf(ctx, row.agencyId ?? undefined);
  return {
    id: row.id,
    status: row.status,
    statusLabel: statusLabels[row.status],
    version: row.version,
    application: body,
    agency: agency === undefined ? null : { id: agency.id, name: agency.name },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    submittedAt: row.submittedAt,
    rejectionReason: row.rejectionReason,
    decidedAt: row.decidedAt,
    warnings: (row.warnings ?? []) as Warning[],
    guarantees: issued.map((g) => ({ contractNumber: g.contractNumber, kind: g.kind, delivery: g.delivery })),
  };
}

export function applicationSummary(ctx: RequestContext, row: Row) {
  const view = applicationView(ctx, row);
  return {
    id: view.id,
    status: view.status,
    statusLabel: view.statusLabel,
    projectName: view.application.project?.name ?? null,
    agency: view.agency,
    contractPrice: view.application.project?.contractPrice ?? null,
    guarantees: (view.application.guarantees ?? []).map((g) => ({
      kind: g.kind ?? null,
      kindLabel: g.kind === undefined ? null : labels.guarantee[g.kind],
      amount: g.amount ?? null,
      delivery: g.delivery ?? null,
    })),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
    submittedAt: view.submittedAt,
    rejectionReason: view.rejectionReason,
  };
}
