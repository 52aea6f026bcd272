// Reports of a correction or an addition to an agency's facts (POST /api/v1/reports): anyone may
// send one, without an account. The agency must be one of the catalogue's; the contact is sealed
// at rest; each client address may send REPORT_LIMIT.max reports per window, counted exactly in the
// database in the same batch (one transaction) that stores the report, so no burst slips past it.
import { sql } from "drizzle-orm";
import type { RequestContext } from "../context.ts";
import { todayInJapan } from "../domain/era.ts";
import { DomainError, TooMany } from "../domain/errors.ts";
import { REPORT_MESSAGES, type ReportInput } from "../domain/report.ts";
import { sealingKey } from "../security/data-keys.ts";
import { seal } from "../security/secret-box.ts";
import { catalogue } from "./catalogue.ts";
import { type Limit, secondsOver } from "./throttle.ts";

export const REPORT_LIMIT: Limit = { max: 5, windowMs: 10 * 60_000 };

/** Crockford's base 32: no I, L, O, U, so a 受付番号 read aloud or retyped stays one. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const REPORT_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{10}$/;

export function newReportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return [...bytes].map((b) => ALPHABET[b & 31]).join("");
}

/** The secret box's context for a report's contact: a box copied to another report does not open. */
export const contactContext = (id: string) => `report-contact:${id}`;

export const unknownAgency = () =>
  new DomainError("not_found", "agency_not_found", REPORT_MESSAGES.agencyUnknown, {
    errors: [{ field: "agencyId", message: REPORT_MESSAGES.agencyUnknown }],
  });

const tooMany = (wait: number) =>
  new TooMany(
    wait,
    `送信が多すぎます（${REPORT_LIMIT.windowMs / 60_000}分間に${REPORT_LIMIT.max}件まで）。しばらくしてからお試しください`,
    "too_many_requests",
  );

export async function createReport(ctx: RequestContext, input: ReportInput): Promise<{ id: string; receivedAt: string }> {
  const now = ctx.now();
  if (!catalogue(todayInJapan(now)).byId.has(input.agencyId)) throw unknownAgency();
  const id = newReportId();
  const receivedAt = now.toISOString();
  const contactBox =
    input.contact === undefined
      ? null
      : await seal(await sealingKey(ctx.env, "sealing a report's contact"), new TextEncoder().encode(input.contact), contactContext(id));
  const at = now.getTime();
  const expired = at - REPORT_LIMIT.windowMs;
  const key = `report:client:${ctx.clientIp}`;
  const [counted, stored] = await ctx.db.batch([
    ctx.db.all<{ count: number; window_start: number }>(sql`
      insert into throttles ("key", window_start, "count") values (${key}, ${at}, 1)
      on conflict ("key") do update set
        "count" = case when window_start <= ${expired} then 1 else "count" + 1 end,
        window_start = case when window_start <= ${expired} then ${at} else window_start end
      returning "count", window_start`),
    ctx.db.run(sql`
      insert into reports (id, agency_id, message, source_url, contact_box, received_at)
      select ${id}, ${input.agencyId}, ${input.message}, ${input.sourceUrl ?? null}, ${contactBox}, ${receivedAt}
      where (select "count" from throttles where "key" = ${key}) <= ${REPORT_LIMIT.max}`),
  ] as const);
  const row = (counted as unknown as { count: number; window_start: number }[])[0];
  const wait = secondsOver(ctx, row && { count: row.count, windowStart: row.window_start }, REPORT_LIMIT);
  if (wait > 0 || (stored as unknown as { rowsAffected: number }).rowsAffected !== 1) throw tooMany(Math.max(wait, 1));
  return { id, receivedAt };
}
