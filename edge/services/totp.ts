// The staff second factor: enrol (a pending secret and its QR code), confirm (the first code makes
// it active), verify (a code lifts a "second_factor" session to "full"). Secrets are sealed with
// DATA_ENCRYPTION_KEY (edge/security/secret-box.ts). A code is accepted once: the accepted time step
// is claimed by one conditional UPDATE, so the same or an older step is refused even when the same
// code arrives twice at once.
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { sessions, users } from "../../db/schema/index.ts";
import type { RequestContext, SessionUser } from "../context.ts";
import { Conflict, Forbidden, TooMany, Unauthorized } from "../domain/errors.ts";
import { sealingKey } from "../security/data-keys.ts";
import { open, SecretBoxError, seal } from "../security/secret-box.ts";
import { base32Secret, keyUri, matchingStep, newTotpSecret, qrSvg } from "../security/totp.ts";
import { appendAudit, sealAudit } from "./audit.ts";
import { clearAttempts, countAttempt, type Limit, secondsOver } from "./throttle.ts";

/** Codes tried per account (enrolment and verification together) within 15 minutes. */
export const TOTP_PER_ACCOUNT: Limit = { max: 5, windowMs: 15 * 60_000 };
/** How long an offered secret waits for its first code. */
export const ENROLMENT_TTL_MS = 15 * 60_000;

type User = typeof users.$inferSelect;

/** The additional data a user's TOTP box is bound to: it opens for that user and purpose only. */
export const totpBoxContext = (userId: string) => `totp:${userId}`;

const dataKey = (ctx: RequestContext) => sealingKey(ctx.env, "sealing or opening TOTP secrets");

async function openSecret(ctx: RequestContext, user: User, box: string): Promise<Uint8Array> {
  try {
    return await open(await dataKey(ctx), box, totpBoxContext(user.id));
  } catch (error) {
    if (error instanceof SecretBoxError) {
      throw new Error(`the TOTP secret of user ${user.id} does not open: was DATA_ENCRYPTION_KEY changed, or the row copied?`);
    }
    throw error;
  }
}

function staffSession(ctx: RequestContext): SessionUser {
  const session = ctx.session;
  if (session === null) throw new Unauthorized();
  if (session.role !== "staff") throw new Forbidden("二要素認証は保証会社の担当者のみが利用できます");
  return session;
}

async function userOf(ctx: RequestContext, session: SessionUser): Promise<User> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, session.userId));
  if (user === undefined) throw new Unauthorized();
  return user;
}

/** A full session may (re-)enrol; a password-only one only to make its required first enrolment. */
function checkMayEnrol(session: SessionUser, user: User): void {
  if (session.level === "full") return;
  if (user.totpRequired && user.totpSecret === null) return;
  throw new Unauthorized("先に認証アプリの確認コードを入力してください", "second_factor_required");
}

/** Count this code attempt before judging it (like login): over the limit, 429 even for a right code. */
async function countCodeAttempt(ctx: RequestContext, user: User): Promise<string> {
  const key = `totp:account:${user.id}`;
  const [counted] = await countAttempt(ctx, key, TOTP_PER_ACCOUNT);
  const wait = secondsOver(ctx, counted, TOTP_PER_ACCOUNT);
  if (wait > 0) {
    await appendAudit(ctx.db, {
      at: ctx.now(),
      actor: user.id,
      action: "totp.throttled",
      subject: user.id,
      detail: { client: ctx.clientIp },
    });
    ctx.after(() => sealAudit(ctx.db));
    throw new TooMany(wait, "確認コードの誤りが続いたため、しばらく入力できません。時間をおいてお試しください", "too_many_attempts");
  }
  return key;
}

async function refuse(ctx: RequestContext, user: User, stage: "confirm" | "verify", reason: "wrong_code" | "replayed"): Promise<never> {
  await appendAudit(ctx.db, {
    at: ctx.now(),
    actor: user.id,
    action: "totp.failed",
    subject: user.id,
    detail: { stage, reason, client: ctx.clientIp },
  });
  ctx.after(() => sealAudit(ctx.db));
  if (reason === "replayed") {
    throw new Unauthorized("この確認コードは既に使われています。認証アプリに次のコードが表示されてから入力してください", "totp_code_used");
  }
  throw new Unauthorized("確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください", "invalid_totp_code");
}

/** The session's own row becomes "full", with the attempt count cleared and the audit entry. */
function upgradeSession(ctx: RequestContext, session: SessionUser, throttleKey: string, audit: Parameters<typeof appendAudit>[1]) {
  return ctx.db.batch([
    ctx.db
      .update(sessions)
      .set({ level: "full" })
      .where(and(eq(sessions.id, session.sessionId), eq(sessions.userId, session.userId))),
    clearAttempts(ctx, throttleKey),
    appendAudit(ctx.db, audit),
  ]);
}

export async function totpStatus({ ctx }: { ctx: RequestContext }) {
  const session = staffSession(ctx);
  const user = await userOf(ctx, session);
  const pendingAt = user.totpPendingAt === null ? null : Date.parse(user.totpPendingAt);
  return {
    level: session.level,
    enrolled: user.totpSecret !== null,
    required: user.totpRequired,
    pending: user.totpPendingSecret !== null && pendingAt !== null && pendingAt + ENROLMENT_TTL_MS > ctx.now().getTime(),
  };
}

/** Offer a new secret (kept pending: an active one stays until the new one is confirmed). */
export async function startEnrolment({ ctx }: { ctx: RequestContext }) {
  const session = staffSession(ctx);
  const user = await userOf(ctx, session);
  checkMayEnrol(session, user);
  const now = ctx.now();
  const secret = newTotpSecret();
  const box = await seal(await dataKey(ctx), secret, totpBoxContext(user.id));
  await ctx.db.batch([
    ctx.db.update(users).set({ totpPendingSecret: box, totpPendingAt: now.toISOString() }).where(eq(users.id, user.id)),
    appendAudit(ctx.db, {
      at: now,
      actor: user.id,
      action: "totp.enrolment_started",
      subject: user.id,
      detail: { replacing: user.totpSecret !== null },
    }),
  ]);
  ctx.after(() => sealAudit(ctx.db));
  const otpauthUri = keyUri(secret, user.email);
  return { otpauthUri, qrSvg: qrSvg(otpauthUri), secret: base32Secret(secret) };
}

/** The first code from the app makes the pending secret the active one and the session full. */
export async function confirmEnrolment({ ctx, code }: { ctx: RequestContext; code: string }) {
  const session = staffSession(ctx);
  const user = await userOf(ctx, session);
  checkMayEnrol(session, user);
  const throttleKey = await countCodeAttempt(ctx, user);
  const now = ctx.now();
  const box = user.totpPendingSecret;
  if (box === null || user.totpPendingAt === null || Date.parse(user.totpPendingAt) + ENROLMENT_TTL_MS <= now.getTime()) {
    throw new Conflict("二要素認証の登録が始まっていないか、期限（15分）が切れました。最初からやり直してください", "enrolment_not_started");
  }
  const step = matchingStep(await openSecret(ctx, user, box), code, now);
  if (step === null) return refuse(ctx, user, "confirm", "wrong_code");
  // Only the request that still finds this very pending box activates it.
  const claimed = await ctx.db
    .update(users)
    .set({ totpSecret: box, totpPendingSecret: null, totpPendingAt: null, totpLastStep: step })
    .where(and(eq(users.id, user.id), eq(users.totpPendingSecret, box)))
    .returning({ id: users.id });
  if (claimed.length === 0) return refuse(ctx, user, "confirm", "replayed");
  await upgradeSession(ctx, session, throttleKey, {
    at: now,
    actor: user.id,
    action: "totp.enrolled",
    subject: user.id,
    detail: { replaced: user.totpSecret !== null },
  });
  ctx.after(() => sealAudit(ctx.db));
  return { level: "full" as const };
}

/** The code after the password: a "second_factor" session becomes "full". */
export async function verifySecondFactor({ ctx, code }: { ctx: RequestContext; code: string }) {
  const session = staffSession(ctx);
  // A double-submitted form: the first one already did it, and no code is spent.
  if (session.level === "full") return { level: "full" as const };
  const user = await userOf(ctx, session);
  const box = user.totpSecret;
  if (box === null) throw new Conflict("先に二要素認証（認証アプリ）の登録を済ませてください", "totp_enrolment_required");
  const throttleKey = await countCodeAttempt(ctx, user);
  const now = ctx.now();
  const step = matchingStep(await openSecret(ctx, user, box), code, now);
  if (step === null) return refuse(ctx, user, "verify", "wrong_code");
  // The replay guard: one statement claims the step, so of two requests with one code only one
  // finds it newer than the last accepted step. Bound to the same secret, in case of a re-enrolment.
  const claimed = await ctx.db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, user.id), eq(users.totpSecret, box), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  if (claimed.length === 0) return refuse(ctx, user, "verify", "replayed");
  await upgradeSession(ctx, session, throttleKey, { at: now, actor: user.id, action: "totp.verified", subject: user.id });
  ctx.after(() => sealAudit(ctx.db));
  return { level: "full" as const };
}
