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
// - One client is allowed 60 calls a minute (a batch is one call), counted exactly in the database.
// - Everything takes one round trip: a single batch (one transaction) counts the client's call,
//   counts each failed pair against its number, records each successful viewing and reads what
//   the answer needs (see verifyPairs).
import { inArray, sql } from "drizzle-orm";
import { type certificateVersions, guarantees, throttles } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import { keyReadingMessages, readKey } from "../domain/auth-key.ts";
import { type DomainError, type FieldError, Malformed, NotFound, TooMany } from "../domain/errors.ts";
import { isContractNumber, normalizeContractNumber } from "../domain/numbering.ts";
import { authKeyHash } from "../security/auth-keys.ts";
import { signUnsigned } from "./certificates.ts";
import { type GuaranteeView, viewOf } from "./guarantees.ts";
import { type Limit, secondsOver } from "./throttle.ts";

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

type GuaranteeRow = typeof guarantees.$inferSelect;
type VersionRow = typeof certificateVersions.$inferSelect;
/** A matched guarantee with one of its versions, as the verification batch reads them. */
interface JoinedRow {
  id: string;
  contract_number: string;
  kind: GuaranteeRow["kind"];
  application_id: string;
  agency_viewed_at: string | null;
  auth_key_hash: string | null;
  version: number;
  reason: VersionRow["reason"];
  content: string;
  issued_at: string;
  jws: string | null;
}

/** Sign what was left unsigned, reading the guarantees' full rows (a second round trip, rare). */
async function signLeftovers(ctx: RequestContext, ids: string[]): Promise<Map<string, string>> {
  return signUnsigned(ctx, await ctx.db.select().from(guarantees).where(inArray(guarantees.id, ids)));
}

const numberKey = (n: string) => `verify:number:${n}`;
const clientKey = (ctx: RequestContext) => `verify:client:${ctx.clientIp}`;

const lockedError = (wait: number) =>
  new TooMany(wait, "この保証契約番号は照会の失敗が続いたため、しばらく照会できません（1時間に10回まで）", "too_many_attempts");

const clientError = (wait: number) =>
  new TooMany(wait, "照会が多すぎます（1分間に60回まで）。しばらくしてからお試しください", "too_many_attempts");

/**
 * Judge pairs in one round trip: one batch (a single transaction that writes first, so it queues
 * for the write lock instead of failing on a stale read) that
 * 1. counts the client's call (INSERT … ON CONFLICT DO UPDATE … RETURNING);
 * 2. for each pair whose guarantee does not match number AND key digest (an unknown number and a
 *    wrong key alike), counts a failure against the number and returns that count: of concurrent
 *    failures each gets its own number, so exactly 10 are judged per number and hour;
 * 3. for each pair that matches, on a number not locked, records the viewing (when, which version,
 *    which client; a trigger sets the guarantee's first viewing, migration 0008); a match that
 *    recorded nothing is the right key on a locked number;
 * 4. reads the matched guarantees with their versions.
 * Only a right key on a locked number takes a second round trip, for its Retry-After.
 * Steps 2 and 3 write only while the client is within its limit, and step 3 only while the number
 * has fewer than 10 failures this hour: a locked number answers 429 to the right key too, and an
 * answer of 429 or 404 records no viewing. Successes count nothing against the number, so an agency
 * system that verifies one number often is never locked out.
 */
export async function verifyPairs(ctx: RequestContext, pairs: Pair[], via: "single" | "batch" | "page"): Promise<Outcome[]> {
  const parsed = await Promise.all(pairs.map(parsePair));
  const valid = parsed.flatMap((p, i) => ("number" in p ? [{ i, ...p }] : []));
  // Every valid pair's outcome is set below; the placeholder is the parse error or nothing.
  const outcomes = parsed.map((p) => ({ ok: false, error: p })) as Outcome[];
  if (valid.length === 0) return outcomes;

  const now = ctx.now().getTime();
  const expired = now - NUMBER_LIMIT.windowMs;
  const at = ctx.now().toISOString();
  const client = clientKey(ctx);
  const list = (values: string[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  // Plain SQL with parameters: the query builder costs this hot path more CPU than the database.
  const clientWithin = sql`(select "count" from throttles where "key" = ${client}) <= ${CLIENT_LIMIT.max}`;
  const countFailure = (v: { number: string; hash: string }) =>
    ctx.db.all<{ count: number; window_start: number }>(sql`
      insert into throttles ("key", window_start, "count")
      select ${numberKey(v.number)}, ${now}, 1
      where not exists (select 1 from guarantees where contract_number = ${v.number} and delivery = 'electronic' and auth_key_hash = ${v.hash})
        and ${clientWithin}
      on conflict ("key") do update set
        "count" = case when window_start <= ${expired} then 1 else "count" + 1 end,
        window_start = case when window_start <= ${expired} then ${now} else window_start end
      returning "count", window_start`);
  const recordViewing = (v: { number: string; hash: string }) =>
    ctx.db.run(sql`
      insert into verifications (guarantee_id, version, at, client, via)
      select id, current_version, ${at}, ${ctx.clientIp}, ${via}
      from guarantees where contract_number = ${v.number} and delivery = 'electronic' and auth_key_hash = ${v.hash}
        and not exists (select 1 from throttles where "key" = ${numberKey(v.number)} and window_start > ${expired} and "count" >= ${NUMBER_LIMIT.max})
        and ${clientWithin}`);

  const [clientCounted, ...results] = await ctx.db.batch([
    ctx.db.all<{ count: number; window_start: number }>(sql`
      insert into throttles ("key", window_start, "count") values (${client}, ${now}, 1)
      on conflict ("key") do update set
        "count" = case when window_start <= ${now - CLIENT_LIMIT.windowMs} then 1 else "count" + 1 end,
        window_start = case when window_start <= ${now - CLIENT_LIMIT.windowMs} then ${now} else window_start end
      returning "count", window_start`),
    ...valid.map(countFailure),
    ...valid.map(recordViewing),
    ctx.db.all<JoinedRow>(sql`
      select g.id, g.contract_number, g.kind, g.application_id, g.agency_viewed_at, g.auth_key_hash,
             v.version, v.reason, v.content, v.issued_at, v.jws
      from guarantees g join certificate_versions v on v.guarantee_id = g.id
      where g.contract_number in (${list([...new Set(valid.map((v) => v.number))])}) and g.delivery = 'electronic'
        and g.auth_key_hash in (${list(valid.map((v) => v.hash))})
      order by v.version`),
  ] as const);
  const failed = results.slice(0, valid.length) as unknown as { count: number; window_start: number }[][];
  const recorded = results.slice(valid.length, 2 * valid.length) as unknown as { rowsAffected: number }[];
  const joined = results[2 * valid.length] as unknown as JoinedRow[];

  const clientRow = (clientCounted as unknown as { count: number; window_start: number }[])[0];
  const clientWait = secondsOver(ctx, clientRow && { count: clientRow.count, windowStart: clientRow.window_start }, CLIENT_LIMIT);
  if (clientWait > 0) {
    for (const v of valid) outcomes[v.i] = { ok: false, error: clientError(clientWait) };
    return outcomes;
  }

  const found: { i: number; id: string }[] = [];
  const locked: { i: number; number: string }[] = [];
  valid.forEach((v, k) => {
    const failure = failed[k]?.[0];
    const row = joined.find((g) => g.contract_number === v.number && g.auth_key_hash !== null && sameDigest(g.auth_key_hash, v.hash));
    if (failure !== undefined || row === undefined) {
      const wait = secondsOver(ctx, failure && { count: failure.count, windowStart: failure.window_start }, NUMBER_LIMIT);
      outcomes[v.i] = { ok: false, error: wait > 0 ? lockedError(wait) : NOT_FOUND() };
    } else if (recorded[k]?.rowsAffected === 1) {
      found.push({ i: v.i, id: row.id });
    } else {
      // The right key on a locked number: no viewing was recorded.
      locked.push({ i: v.i, number: v.number });
    }
  });
  if (locked.length > 0) {
    // Rare: a second round trip for the lock's end, to say when to try again.
    const counts = await ctx.db
      .select()
      .from(throttles)
      .where(
        inArray(
          throttles.key,
          locked.map((l) => numberKey(l.number)),
        ),
      );
    for (const l of locked) {
      const start = counts.find((c) => c.key === numberKey(l.number))?.windowStart ?? now;
      outcomes[l.i] = { ok: false, error: lockedError(Math.max(1, Math.ceil((start + NUMBER_LIMIT.windowMs - now) / 1000))) };
    }
  }
  if (found.length === 0) return outcomes;

  const rows = new Map<string, { guarantee: GuaranteeRow; versions: VersionRow[] }>();
  for (const j of joined) {
    const entry = rows.get(j.id) ?? {
      guarantee: {
        id: j.id,
        contractNumber: j.contract_number,
        kind: j.kind,
        delivery: "electronic",
        applicationId: j.application_id,
        agencyViewedAt: j.agency_viewed_at,
      } as GuaranteeRow,
      versions: [],
    };
    entry.versions.push({
      guaranteeId: j.id,
      version: j.version,
      reason: j.reason,
      content: JSON.parse(j.content) as Record<string, unknown>,
      issuedAt: j.issued_at,
      jws: j.jws,
    } as VersionRow);
    rows.set(j.id, entry);
  }
  // A version left unsigned (made before signing existed) is signed now, once, with the full rows.
  const unsigned = joined.some((j) => j.jws === null) ? await signLeftovers(ctx, [...rows.keys()]) : new Map<string, string>();
  for (const f of found) {
    const entry = rows.get(f.id);
    if (entry === undefined) throw new Error(`guarantee ${f.id}: no versions`);
    const view = viewOf(entry.guarantee, entry.versions);
    const latest = entry.versions.at(-1);
    const jws = latest?.jws ?? unsigned.get(`${f.id}:${latest?.version}`);
    if (jws === undefined) throw new Error(`guarantee ${f.id}: no signature for version ${latest?.version}`);
    outcomes[f.i] = { ok: true, verification: { certificate: view.certificate, versions: view.versions, jws } };
  }
  return outcomes;
}
