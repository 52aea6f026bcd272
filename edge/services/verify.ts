// Verification (API.md POST /api/v1/verify and /verify/batch): an agency gives a 保証契約番号 and
// its 認証キー and sees the current certificate, its visible history and its JWS.
//
// - A key that fails its format or check symbol, or a number of no guarantor's format, is a 400
//   before any lookup: no attempt is counted.
// - A failed attempt on a number is counted atomically and judged by its own count: of concurrent
//   attempts each failure gets its own number, so no burst gets more than 10 failures judged per
//   number per hour; after 10, every attempt is 429, the right key included. Successes count
//   nothing, so an agency system verifying one number often is never locked out.
// - An unknown number and a wrong key take the same path (the same batch, the same comparison)
//   and get the same 404: no oracle.
// - One client is allowed 60 calls a minute (a batch is one call): Workers' Rate Limiting binding
//   where the Worker has one (VERIFY_RATE_LIMITER; approximate, no database write), an exact
//   database counter otherwise.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
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

/** Workers' Rate Limiting binding (approximate, per location), when the Worker has one. */
export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** The client's call counted: by the Rate Limiting binding when bound, else by an exact database counter. */
async function clientAllowed(ctx: RequestContext, limiter: RateLimiter | undefined): Promise<number> {
  if (limiter !== undefined) {
    const { success } = await limiter.limit({ key: clientKey(ctx) });
    return success ? 0 : CLIENT_LIMIT.windowMs / 1000;
  }
  const [counted] = await countAttempt(ctx, clientKey(ctx), CLIENT_LIMIT);
  return secondsOver(ctx, counted, CLIENT_LIMIT);
}

const lockedError = (wait: number) =>
  new TooMany(wait, "この保証契約番号は照会の失敗が続いたため、しばらく照会できません（1時間に10回まで）", "too_many_attempts");

/**
 * Judge pairs. The answer for a right key takes one read-only round trip: each pair's guarantee
 * (matched on number AND key digest, so an unknown number and a wrong key both find nothing), its
 * failure count and its versions; the viewing is recorded after the answer. A pair that found
 * nothing takes a second round trip that counts the failure atomically (INSERT … ON CONFLICT DO
 * UPDATE … RETURNING) and answers from that count: of concurrent failures each gets its own number,
 * so exactly 10 are judged per number and hour, and every attempt after them is 429, the right
 * key included (it reads the count of 10). Successes count nothing, so an agency system that
 * verifies one number often is never locked out.
 */
export async function verifyPairs(
  ctx: RequestContext,
  pairs: Pair[],
  via: "single" | "batch" | "page",
  limiter?: RateLimiter,
): Promise<Outcome[]> {
  const parsed = await Promise.all(pairs.map(parsePair));
  const valid = parsed.flatMap((p, i) => ("number" in p ? [{ i, ...p }] : []));
  const outcomes: Outcome[] = parsed.map((p) => ({ ok: false, error: "number" in p ? NOT_FOUND() : p }));
  if (valid.length === 0) return outcomes;

  const clientWait = await clientAllowed(ctx, limiter);
  if (clientWait > 0) {
    for (const v of valid) {
      outcomes[v.i] = {
        ok: false,
        error: new TooMany(clientWait, "照会が多すぎます（1分間に60回まで）。しばらくしてからお試しください", "too_many_attempts"),
      };
    }
    return outcomes;
  }

  const now = ctx.now().getTime();
  const expired = now - NUMBER_LIMIT.windowMs;
  const numbers = [...new Set(valid.map((v) => v.number))];
  const [matched, counts, versions] = await ctx.db.batch([
    ctx.db
      .select()
      .from(guarantees)
      .where(
        and(
          inArray(guarantees.contractNumber, numbers),
          eq(guarantees.delivery, "electronic"),
          inArray(
            guarantees.authKeyHash,
            valid.map((v) => v.hash),
          ),
        ),
      ),
    ctx.db
      .select()
      .from(throttles)
      .where(
        inArray(
          throttles.key,
          numbers.map((n) => numberKey(n)),
        ),
      ),
    ctx.db
      .select({ version: certificateVersions })
      .from(certificateVersions)
      .innerJoin(guarantees, eq(guarantees.id, certificateVersions.guaranteeId))
      .where(
        and(
          inArray(guarantees.contractNumber, numbers),
          inArray(
            guarantees.authKeyHash,
            valid.map((v) => v.hash),
          ),
        ),
      )
      .orderBy(asc(certificateVersions.version)),
  ]);
  const failures: typeof valid = [];
  const found: { i: number; row: typeof guarantees.$inferSelect }[] = [];
  for (const v of valid) {
    const row = matched.find((g) => g.contractNumber === v.number && g.authKeyHash !== null && sameDigest(g.authKeyHash, v.hash));
    if (row === undefined) {
      failures.push(v);
      continue;
    }
    const counted = counts.find((c) => c.key === numberKey(v.number));
    const live = counted !== undefined && counted.windowStart > expired ? counted : undefined;
    if ((live?.count ?? 0) >= NUMBER_LIMIT.max) {
      outcomes[v.i] = {
        ok: false,
        error: lockedError(Math.max(1, Math.ceil(((live?.windowStart ?? now) + NUMBER_LIMIT.windowMs - now) / 1000))),
      };
      continue;
    }
    found.push({ i: v.i, row });
  }

  if (failures.length > 0) {
    const [first, ...rest] = failures.map((f) => countAttempt(ctx, numberKey(f.number), NUMBER_LIMIT));
    if (first === undefined) throw new Error("unreachable");
    const counted = (await ctx.db.batch([first, ...rest])) as { count: number; windowStart: number }[][];
    failures.forEach((f, k) => {
      const wait = secondsOver(ctx, counted[k]?.[0], NUMBER_LIMIT);
      outcomes[f.i] = { ok: false, error: wait > 0 ? lockedError(wait) : NOT_FOUND() };
    });
  }
  if (found.length === 0) return outcomes;

  const rows = [...new Map(found.map((f) => [f.row.id, f.row])).values()];
  const all = versions.map((v) => v.version);
  const unsigned = all.some((v) => v.jws === null) ? await signUnsigned(ctx, rows, all) : new Map<string, string>();
  for (const f of found) {
    const mine = all.filter((v) => v.guaranteeId === f.row.id);
    const view = viewOf(f.row, mine);
    const latest = mine.at(-1);
    const jws = latest?.jws ?? unsigned.get(`${f.row.id}:${latest?.version}`);
    if (jws === undefined) throw new Error(`guarantee ${f.row.id}: no signature for version ${latest?.version}`);
    outcomes[f.i] = { ok: true, verification: { certificate: view.certificate, versions: view.versions, jws } };
  }
  // The viewing is recorded after the answer (when, which version, which client).
  const at = ctx.now().toISOString();
  ctx.after(async () => {
    const ids = rows.map((r) => r.id);
    await ctx.db.batch([
      ctx.db
        .insert(verifications)
        .values(found.map((f) => ({ guaranteeId: f.row.id, version: f.row.currentVersion, at, client: ctx.clientIp, via }))),
      ctx.db
        .update(guarantees)
        .set({ agencyViewedAt: at })
        .where(and(inArray(guarantees.id, ids), isNull(guarantees.agencyViewedAt))),
    ]);
  });
  return outcomes;
}
