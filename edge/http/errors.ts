// The one error edge under /api and /.well-known: whatever layer failed (a domain verb, Hono's
// body parsing, the router), the client gets problem+json in Japanese with the right status.
import type { Context, ErrorHandler, Hono, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type ErrorKind } from "../domain/errors.ts";
import type { AppEnv } from "../env.ts";
import { problem } from "./problem.ts";

export const statusOf: Record<ErrorKind, ContentfulStatusCode> = {
  not_found: 404,
  invalid: 422,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  too_many: 429,
  unavailable: 503,
  gone: 410,
  malformed: 400,
};

/** Hono's own HTTPExceptions (body parsing, media type, size) in the platform's words. */
const httpProblems: Partial<Record<number, { title: string; code: string }>> = {
  400: { title: "リクエストの形式が正しくありません（JSON を解釈できません）", code: "malformed_request" },
  401: { title: "認証が必要です", code: "unauthorized" },
  403: { title: "この操作は許可されていません", code: "forbidden" },
  404: { title: "該当する API がありません", code: "not_found" },
  405: { title: "このメソッドは使えません", code: "method_not_allowed" },
  413: { title: "リクエストの本文が大きすぎます", code: "payload_too_large" },
  415: { title: "本文は JSON（Content-Type: application/json）で送ってください", code: "unsupported_media_type" },
};

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof DomainError) {
    const headers: Record<string, string> = error.retryAfter === undefined ? {} : { "retry-after": String(Math.ceil(error.retryAfter)) };
    return problem(
      c,
      statusOf[error.kind],
      { title: error.message, code: error.code, ...(error.errors === undefined ? {} : { errors: error.errors }) },
      headers,
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const known = httpProblems[error.status] ?? { title: "リクエストを処理できません", code: "bad_request" };
    return problem(c, error.status as ContentfulStatusCode, known);
  }
  console.error(`unexpected error (request ${c.get("requestId")})`, error);
  return problem(c, 500, { title: "サーバー内部でエラーが発生しました", code: "internal_error" });
};

/** `/api/v1/agencies/:id` → a RegExp for the concrete paths it serves. */
function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) => {
      if (part === "*") return ".*";
      if (part.startsWith(":")) return "[^/]+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  // Strict like Hono's router: /api/v1/health/ is not /api/v1/health (so it is a 404, not a 405).
  return new RegExp(`^${source}$`);
}

/** The methods the app serves at a path (HEAD wherever GET), for 405's Allow header. */
export function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL" || !patternOf(route.path).test(path)) continue;
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
  }
  return [...methods].sort();
}

/** A known path with another method is 405 with Allow (OPTIONS answers 204 with it); else 404. */
export function notFound(app: Hono<AppEnv>): NotFoundHandler<AppEnv> {
  return (c: Context<AppEnv>) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length === 0) return problem(c, 404, { title: "該当する API がありません", code: "not_found" });
    const allow = [...allowed, "OPTIONS"].join(", ");
    if (c.req.method === "OPTIONS") return c.body(null, 204, { allow });
    return problem(
      c,
      405,
      { title: `このメソッド（${c.req.method}）は使えません。使えるのは ${allowed.join("・")} です`, code: "method_not_allowed" },
      { allow },
    );
  };
}
