// Verification (API.md POST /api/v1/verify and /verify/batch): an agency gives a 保証契約番号 and
// its 認証キー and sees the current certificate, its visible history and its JWS.
//
// - A key that fails its format or check symbol, or a number of no guarantor's format, is a 400
//   before any lookup: no attempt is counted.
// - A failed attempt on a number is counted in the same statement that judges it (the increment is
//   conditional on the pair not matching), inside one db.batch with the lookup: of concurrent
//   attempts each failure gets its own count, so no burst gets more than 10 failures judged per
//   number per hour; after 10, every attempt is 429, the right key included. Successes count
//   nothing, so an agency system verifying one number often is never locked out.
// - An unknown number and a wrong key take the same path (the same batch, the same comparison)
//   and get the same 404: no oracle.
// - One client is allowed 60 calls a minute (a batch is one call), counted in the same batch.
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { certificateVersions, guarantees, throttles, verifications } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { keyReadingMessages, readKey } from "../domain/auth-key.ts";
import { type DomainError, type FieldError, Malformed, NotFound, TooMany } from "../domain/errors.ts";
import { isContractNumber, normalizeContractNumber } from "../domain/numbering.ts";
import { authKeyHash } from "../security/auth-keys.ts";
import { signUnsigned } from "./certificates.ts";
import { type GuaranteeView, viewOf } from "./guarantees.ts";
import { countAttempt, type Limit, secondsOver } from "./throttle.ts";

export const NUMBER_LIMIT: Limit = { max: 10, windowMs: 3_600_000 };
export const CLIENT_LIMIT: Limit = { max: 60, windowMs: 60_000 };
export const BATCH_MAX = 100;

export interface Pair {
  contractNumber: string;
  authKey: string;
}

export interface Verification {
  certificate: GuaranteeView["certificate"];
  versions: GuaranteeView["versions"];
  jws: string;
}

export type Outcome = { ok: true; verification: Verification } | { ok: false; error: DomainError };

const NOT_FOUND = () => new NotFound("保証契約番号または認証キーが正しくありません。お知らせに記載のとおりか確かめてください", "not_found");

/** Constant-time comparison of two equal-length hex digests. */
function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** What the format alone tells: the canonical number and the key's digest, or the 400. */
async function parsePair(pair: Pair): Promise<{ number: string; hash: string } | DomainError> {
  const errors: FieldError[] = [];
  const number = normalizeContractNumber(pair.contractNumber);
  if (!isContractNumber(number)) {
    errors.push({
      field: "contractNumber",
      message: "保証契約番号は10桁の数字（例: 2070004426）または 00000-000000 の形式で入力してください",
    });
  }
  const reading = readKey(pair.authKey);
  if (!reading.ok) errors.push({ field: "authKey", message: keyReadingMessages[reading.reason] });
  if (errors.length > 0 || !reading.ok) {
    return new Malformed(errors, "保証契約番号または認証キーの形式が正しくありません（照会の回数には数えません）");
  }
  return { number, hash: await authKeyHash(reading.key) };
}

const numberKey = (n: string) => `verify:number:${n}`;
const clientKey = (ctx: RequestContext) => `verify:client:${ctx.clientIp}`;

/**
 * Judge pairs: one round trip counts the client's call and every pair's attempt and looks every
 * number up; a second records the successes and reads their versions.
 */
export async function verifyPairs(ctx: RequestContext, pairs: Pair[], via: "single" | "batch" | "page"): Promise<Outcome[]> {
  const parsed = await Promise.all(pairs.map(parsePair));
  const valid = parsed.flatMap((p, i) => ("number" in p ? [{ i, ...p }] : []));
  const outcomes: Outcome[] = parsed.map((p) => ({ ok: false, error: "number" in p ? NOT_FOUND() : p }));
  if (valid.length === 0) return outcomes;

  // One round trip, one transaction (its first statement writes, so it holds the write lock and
  // concurrent batches run one after another): count the client's call; count a FAILED attempt on
  // each number (the increment happens only where no electronic guarantee has that number and key,
  // so successes never count and concurrent right keys never lock); read each number's count and
  // guarantee as they stand after this batch's own increment.
  const now = ctx.now().getTime();
  const expired = now - NUMBER_LIMIT.windowMs;
  const statements = [
    countAttempt(ctx, clientKey(ctx), CLIENT_LIMIT),
    ...valid.flatMap((v) => [
      ctx.db.run(sql`insert into ${throttles} (key, window_start, count)
          select ${numberKey(v.number)}, ${now}, 1
          where not exists (select 1 from ${guarantees} where ${guarantees.contractNumber} = ${v.number}
            and ${guarantees.delivery} = 'electronic' and ${guarantees.authKeyHash} = ${v.hash})
        on conflict (key) do update set
          count = case when window_start <= ${expired} then 1 else count + 1 end,
          window_start = case when window_start <= ${expired} then ${now} else window_start end`),
      ctx.db
        .select({ count: throttles.count, windowStart: throttles.windowStart })
        .from(throttles)
        .where(eq(throttles.key, numberKey(v.number))),
      ctx.db
        .select()
        .from(guarantees)
        .where(and(eq(guarantees.contractNumber, v.number), eq(guarantees.delivery, "electronic"))),
    ]),
  ] as const;
  const results = (await ctx.db.batch(statements as unknown as [(typeof statements)[0]])) as unknown[];
  const clientCount = (results[0] as { count: number; windowStart: number }[])[0];
  const clientWait = secondsOver(ctx, clientCount, CLIENT_LIMIT);

  const found: { i: number; number: string; row: typeof guarantees.$inferSelect }[] = [];
  valid.forEach((v, k) => {
    const counted = (results[2 + 3 * k] as { count: number; windowStart: number }[])[0];
    const row = (results[3 + 3 * k] as (typeof guarantees.$inferSelect)[])[0];
    if (clientWait > 0) {
      outcomes[v.i] = {
        ok: false,
        error: new TooMany(clientWait, "照会が多すぎます（1分間に60回まで）。しばらくしてからお試しください", "too_many_attempts"),
      };
      return;
    }
    // Unknown number or wrong key: the same comparison, the same answer.
    const match = row !== undefined && row.authKeyHash !== null && sameDigest(row.authKeyHash, v.hash);
    const live = counted !== undefined && counted.windowStart > expired ? counted : undefined;
    // A failure was just counted: over 10 is locked. A success counted nothing: 10 failures lock it.
    const over = match ? (live?.count ?? 0) >= NUMBER_LIMIT.max : (live?.count ?? 0) > NUMBER_LIMIT.max;
    if (over) {
      const wait = Math.max(1, Math.ceil(((live?.windowStart ?? now) + NUMBER_LIMIT.windowMs - now) / 1000));
      outcomes[v.i] = {
        ok: false,
        error: new TooMany(
          wait,
          "この保証契約番号は照会の失敗が続いたため、しばらく照会できません（1時間に10回まで）",
          "too_many_attempts",
        ),
      };
      return;
    }
    if (match) found.push({ i: v.i, number: v.number, row });
  });
  if (found.length === 0) return outcomes;

  const at = ctx.now().toISOString();
  const ids = [...new Set(found.map((f) => f.row.id))];
  const [versions] = await ctx.db.batch([
    ctx.db
      .select()
      .from(certificateVersions)
      .where(inArray(certificateVersions.guaranteeId, ids))
      .orderBy(asc(certificateVersions.version)),
    ...found.map((f) =>
      ctx.db.insert(verifications).values({ guaranteeId: f.row.id, version: f.row.currentVersion, at, client: ctx.clientIp, via }),
    ),
    ctx.db
      .update(guarantees)
      .set({ agencyViewedAt: at })
      .where(and(inArray(guarantees.id, ids), isNull(guarantees.agencyViewedAt))),
  ]);
  const rows = [...new Map(found.map((f) => [f.row.id, f.row])).values()];
  const unsigned = versions.some((v) => v.jws === null) ? await signUnsigned(ctx, rows, versions) : new Map<string, string>();
  for (const f of found) {
    const mine = versions.filter((v) => v.guaranteeId === f.row.id);
    const view = viewOf(f.row, mine);
    const latest = mine.at(-1);
    const jws = latest?.jws ?? unsigned.get(`${f.row.id}:${latest?.version}`);
    if (jws === undefined) throw new Error(`guarantee ${f.row.id}: no signature for version ${latest?.version}`);
    outcomes[f.i] = { ok: true, verification: { certificate: view.certificate, versions: view.versions, jws } };
  }
  return outcomes;
}
