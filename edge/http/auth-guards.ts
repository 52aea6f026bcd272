// Who may call a route: read after loadSession has put the session on the context.
import type { MiddlewareHandler } from "hono";
import { Forbidden, Unauthorized } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";

/** A fully logged-in user of `role` (staff past their second factor), else 401 / 403. */
export function requireRole(role: "contractor" | "staff"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = c.var.ctx.session;
    if (session === null) throw new Unauthorized();
    if (session.level !== "full") throw new Unauthorized("二要素認証の確認コードを入力してください", "second_factor_required");
    if (session.role !== role) throw new Forbidden(role === "staff" ? "保証会社の担当者のみが利用できます" : "受注者のみが利用できます");
    await next();
  };
}
