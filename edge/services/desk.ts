// The surety desk's view of applications: only its own guarantor's, and never a contractor's
// unsent drafts. Another guarantor's application is "not found", so ids do not leak across.
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { applications, companies } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { Forbidden, NotFound } from "../domain/errors.ts";
import { applicationDetail, applicationSummary } from "./applications.ts";

type Status = "submitted" | "issued" | "rejected";

function guarantorOf(ctx: RequestContext): string {
  const id = ctx.session?.guarantorId ?? null;
  if (ctx.session?.role !== "staff" || id === null) throw new Forbidden("保証会社の担当者のみが利用できます");
  return id;
}

export async function listQueue({
  ctx,
  status,
  branchId,
  agencyId,
  q,
}: {
  ctx: RequestContext;
  status?: Status | undefined;
  branchId?: string | undefined;
  agencyId?: string | undefined;
  /** Text found in the company's name or the project's name (case-insensitive for ASCII). */
  q?: string | undefined;
}) {
  const text = q?.normalize("NFKC").trim();
  const like = text === undefined || text === "" ? undefined : `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const guarantorId = guarantorOf(ctx);
  const rows = await ctx.db
    .select({ application: applications, companyName: companies.name })
    .from(applications)
    .innerJoin(companies, eq(companies.id, applications.companyId))
    .where(
      and(
        eq(applications.guarantorId, guarantorId),
        status === undefined ? ne(applications.status, "draft") : eq(applications.status, status),
        branchId === undefined ? undefined : eq(applications.branchId, branchId),
        agencyId === undefined ? undefined : eq(applications.agencyId, agencyId),
        like === undefined
          ? undefined
          : sql`(${companies.name} like ${like} escape '\\' or json_extract(${applications.body}, '$.project.name') like ${like} escape '\\')`,
      ),
    )
    .orderBy(asc(applications.submittedAt), asc(applications.id))
    .limit(500);
  return rows.map((r) => ({ ...applicationSummary(ctx, r.application), company: { id: r.application.companyId, name: r.companyName } }));
}

export async function queueItem({ ctx, id }: { ctx: RequestContext; id: string }) {
  const guarantorId = guarantorOf(ctx);
  const [row] = await ctx.db
    .select({ application: applications, company: companies })
    .from(applications)
    .innerJoin(companies, eq(companies.id, applications.companyId))
    .where(and(eq(applications.id, id), eq(applications.guarantorId, guarantorId), ne(applications.status, "draft")));
  if (row === undefined) throw new NotFound("該当する申込みが見つかりません");
  const { company } = row;
  return {
    ...(await applicationDetail(ctx, row.application)),
    company: {
      id: company.id,
      name: company.name,
      address: company.address,
      representative: company.representative,
      status: company.status,
    },
  };
}
