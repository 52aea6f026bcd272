// The session cookie and the checks every cookie-authenticated call makes.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { Forbidden } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";
import { sessionFor } from "../services/accounts.ts";

/** `__Host-` (Secure, Path=/, no Domain) wherever the site is served over HTTPS. */
const cookieName = (c: Context<AppEnv>) => (isSecure(c) ? "__Host-session" : "session");
const isSecure = (c: Context<AppEnv>) => new URL(c.req.url).protocol === "https:";

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  setCookie(c, cookieName(c), token, {
    httpOnly: true,
    secure: isSecure(c),
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, cookieName(c), { path: "/", secure: isSecure(c) });
}

/** Reads the session cookie into ctx.session (null when absent, unknown or expired). */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, cookieName(c));
  if (token !== undefined) c.var.ctx.session = await sessionFor(c.var.ctx, token);
  c.header("cache-control", "no-store");
  await next();
};

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every state-changing call with a cookie session must come from this site: its Origin must be
 * ours (or, without Origin, Sec-Fetch-Site must say same-origin). hono/csrf checks only form
 * bodies; this covers JSON too, so a cross-site fetch can never act with a user's cookie.
 */
export const sameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!SAFE.has(c.req.method)) {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const ok = origin !== undefined ? origin === new URL(c.req.url).origin : site === "same-origin";
    if (!ok) throw new Forbidden("このサイト以外からの操作は受け付けられません（Origin が一致しません）", "cross_origin");
  }
  await next();
};
