// Contractor companies as the surety desk sees them: the queue of registrations and approval.
import { and, desc, eq } from "drizzle-orm";
import { companies } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { NotFound, Unauthorized } from "../domain/errors.ts";
import { appendAuditIfChanged, sealAudit } from "./audit.ts";

export async function listCompanies({ ctx, status }: { ctx: RequestContext; status?: "pending" | "approved" | undefined }) {
  return ctx.db
    .select()
    .from(companies)
    .where(status === undefined ? undefined : eq(companies.status, status))
    .orderBy(desc(companies.createdAt))
    .limit(500);
}

/**
 * Approve a registered company so it can apply. One batch: the conditional update and its audit
 * entry; approving an approved company changes nothing and answers its state.
 */
export async function approveCompany({ ctx, companyId }: { ctx: RequestContext; companyId: string }) {
  const staff = ctx.session;
  if (staff === null) throw new Unauthorized();
  const now = ctx.now();
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(companies)
      .set({ status: "approved", approvedAt: now.toISOString(), approvedBy: staff.userId })
      .where(and(eq(companies.id, companyId), eq(companies.status, "pending")))
      .returning(),
    appendAuditIfChanged(ctx.db, {
      at: now,
      actor: staff.userId,
      action: "company.approved",
      subject: companyId,
      detail: { guarantor: staff.guarantorId },
    }),
  ]);
  const company = updated[0] ?? (await ctx.db.select().from(companies).where(eq(companies.id, companyId)))[0];
  if (company === undefined) throw new NotFound("該当する会社が見つかりません");
  ctx.after(() => sealAudit(ctx.db));
  return company;
}
