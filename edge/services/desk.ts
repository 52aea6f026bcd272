// The surety desk's view of applications: only its own guarantor's, and never a contractor's
// unsent drafts. Another guarantor's application is "not found", so ids do not leak across.
import { and, asc, eq, ne } from "drizzle-orm";
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
  // Names are stored as typed (「（その2）」, "(その２)", …): the text search compares NFKC forms on
  // both sides, in the Worker, over the queue the other filters leave (SQLite has no NFKC).
  const needle = fold(q ?? "");
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
      ),
    )
    .orderBy(asc(applications.submittedAt), asc(applications.id))
    .limit(needle === "" ? 500 : 5000);
  const found =
    needle === ""
      ? rows
      : rows
          .filter((r) => {
            const project = (r.application.body["project"] as { name?: unknown } | undefined)?.name;
            return fold(r.companyName).includes(needle) || (typeof project === "string" && fold(project).includes(needle));
          })
          .slice(0, 500);
  return found.map((r) => ({ ...applicationSummary(ctx, r.application), company: { id: r.application.companyId, name: r.companyName } }));
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

/** NFKC, lower case, no spaces: 「（その２） 工事」 and "(その2)工事" read alike. */
function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}
