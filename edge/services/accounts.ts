// Accounts and sessions: register a contractor, log in and out, read the current user.
import { and, eq, gt } from "drizzle-orm";
import { companies, guarantors, sessions, users } from "../../db/schema/index.ts";
import type { RequestContext, SessionUser } from "../context.ts";
import type { Credentials, Registration } from "../domain/accounts.ts";
import { Conflict, TooMany, Unauthorized } from "../domain/errors.ts";
import { hashPassword, verifyPassword } from "../security/password.ts";
import { randomToken, sha256Hex } from "../security/tokens.ts";
import { appendAudit, sealAudit } from "./audit.ts";
import { clearAttempts, countAttempt, type Limit, secondsOver, uncountAttempt } from "./throttle.ts";

export const SESSION_TTL_MS = 12 * 3600_000;
/**
 * Login attempts allowed per account, and per client address, within 15 minutes. Every attempt is
 * counted before it is judged (so a burst cannot slip past the limit); a success then clears the
 * account's count and takes itself back from the client's, so only failures add up.
 */
export const LOGIN_PER_ACCOUNT: Limit = { max: 10, windowMs: 15 * 60_000 };
export const LOGIN_PER_CLIENT: Limit = { max: 100, windowMs: 15 * 60_000 };

/** A valid argon2id hash of a random password nobody knows, with the current parameters. */
const TIMING_DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$LJXL9SJtEN/a+Lw3GbTouA$hyjU1c1s3FyrfQxxUdjVdjAYKYYX6xFnx9L1UcA5U8M";

async function openSession(ctx: RequestContext, userId: string, level: "full" | "second_factor") {
  const token = randomToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  return {
    token,
    expiresAt,
    insert: ctx.db.insert(sessions).values({
      id: await sha256Hex(token),
      userId,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      level,
    }),
  };
}

export async function registerContractor({ ctx, input }: { ctx: RequestContext; input: Registration }) {
  const now = ctx.now();
  const companyId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const passwordHash = await hashPassword(input.password);
  const session = await openSession(ctx, userId, "full");
  try {
    await ctx.db.batch([
      ctx.db.insert(companies).values({ id: companyId, ...input.company, status: "pending", createdAt: now.toISOString() }),
      ctx.db
        .insert(users)
        .values({ id: userId, email: input.email, passwordHash, role: "contractor", companyId, createdAt: now.toISOString() }),
      session.insert,
      appendAudit(ctx.db, {
        at: now,
        actor: userId,
        action: "contractor.registered",
        subject: companyId,
        detail: { company: input.company.name },
      }),
    ]);
  } catch (error) {
    if (String((error as { cause?: unknown }).cause ?? error).includes("UNIQUE constraint failed: users.email")) {
      throw new Conflict("このメールアドレスは既に登録されています。ログインしてください", "email_taken");
    }
    throw error;
  }
  ctx.after(() => sealAudit(ctx.db));
  return { userId, companyId, token: session.token, expiresAt: session.expiresAt };
}

export async function login({ ctx, input }: { ctx: RequestContext; input: Credentials }) {
  const now = ctx.now();
  const accountKey = `login:account:${await sha256Hex(input.email)}`;
  const clientKey = `login:client:${ctx.clientIp}`;
  const [[account], [client]] = await ctx.db.batch([
    countAttempt(ctx, accountKey, LOGIN_PER_ACCOUNT),
    countAttempt(ctx, clientKey, LOGIN_PER_CLIENT),
  ]);
  const wait = Math.max(secondsOver(ctx, account, LOGIN_PER_ACCOUNT), secondsOver(ctx, client, LOGIN_PER_CLIENT));
  if (wait > 0) {
    await appendAudit(ctx.db, { at: now, actor: "anonymous", action: "login.throttled", detail: { client: ctx.clientIp } });
    ctx.after(() => sealAudit(ctx.db));
    throw new TooMany(wait, "ログインの失敗が続いたため、しばらくログインできません。時間をおいてお試しください", "too_many_attempts");
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  // An unknown e-mail costs the same hash as a known one, so timing does not tell which exist.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? TIMING_DUMMY_HASH);
  if (user === undefined || !ok) {
    await appendAudit(ctx.db, {
      at: now,
      actor: "anonymous",
      action: "login.failed",
      subject: user?.id ?? null,
      detail: { client: ctx.clientIp },
    });
    ctx.after(() => sealAudit(ctx.db));
    throw new Unauthorized("メールアドレスまたはパスワードが正しくありません", "invalid_credentials");
  }
  const level = user.role === "staff" && (user.totpSecret !== null || user.totpRequired) ? "second_factor" : "full";
  const session = await openSession(ctx, user.id, level);
  await ctx.db.batch([
    session.insert,
    clearAttempts(ctx, accountKey),
    uncountAttempt(ctx, clientKey),
    appendAudit(ctx.db, { at: now, actor: user.id, action: "login.succeeded", subject: user.id, detail: { level } }),
  ]);
  ctx.after(() => sealAudit(ctx.db));
  // Staff created with --require-totp who have not enrolled go straight to enrolment.
  const enrolment = level === "second_factor" && user.totpSecret === null;
  return { token: session.token, expiresAt: session.expiresAt, level, enrolment };
}

/** The live session for a cookie token, or null (unknown, expired or logged out). */
export async function sessionFor(ctx: RequestContext, token: string): Promise<SessionUser | null> {
  if (!/^[\w-]{43}$/.test(token)) return null;
  const id = await sha256Hex(token);
  const [row] = await ctx.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, ctx.now().toISOString())));
  if (row === undefined) return null;
  const { session, user } = row;
  return {
    sessionId: session.id,
    userId: user.id,
    email: user.email,
    role: user.role,
    companyId: user.companyId,
    guarantorId: user.guarantorId,
    branchId: user.branchId,
    level: session.level,
    expiresAt: session.expiresAt,
  };
}

export async function logout({ ctx }: { ctx: RequestContext }) {
  const session = ctx.session;
  if (session === null) return;
  await ctx.db.batch([
    ctx.db.delete(sessions).where(eq(sessions.id, session.sessionId)),
    appendAudit(ctx.db, { at: ctx.now(), actor: session.userId, action: "logout", subject: session.userId }),
  ]);
  ctx.after(() => sealAudit(ctx.db));
}

export async function currentUser({ ctx }: { ctx: RequestContext }) {
  const session = ctx.session;
  if (session === null) throw new Unauthorized();
  if (session.level !== "full") {
    // Where the page should send them: to enter a code, or to enrol first.
    const [user] = await ctx.db.select({ totpSecret: users.totpSecret }).from(users).where(eq(users.id, session.userId));
    throw new Unauthorized(
      user?.totpSecret === null ? "二要素認証（認証アプリ）の登録を完了してください" : "二要素認証の確認コードを入力してください",
      "second_factor_required",
    );
  }
  const base = { id: session.userId, email: session.email, role: session.role };
  if (session.companyId !== null) {
    const [company] = await ctx.db.select().from(companies).where(eq(companies.id, session.companyId));
    if (company !== undefined) return { ...base, company: { id: company.id, name: company.name, status: company.status } };
  }
  if (session.guarantorId !== null) {
    const [guarantor] = await ctx.db.select().from(guarantors).where(eq(guarantors.id, session.guarantorId));
    if (guarantor !== undefined) return { ...base, guarantor: { id: guarantor.id, name: guarantor.name } };
  }
  return base;
}
