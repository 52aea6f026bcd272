import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type Clock, createContext } from "../context.ts";
import { type AppEnv, Bindings } from "../env.ts";
import { problem } from "./problem.ts";

/** JSON bodies larger than this are refused before anything reads them. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A request id for logs and problem bodies; honours an upstream cf-ray. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const upstream = c.req.header("cf-ray");
  c.set("requestId", upstream !== undefined && /^[\w-]{1,64}$/.test(upstream) ? upstream : crypto.randomUUID());
  await next();
  c.header("x-request-id", c.get("requestId"));
};

/**
 * Parse the bindings and build this request's context (database handle, clock). A wrong
 * environment must not serve half an app.
 */
export function requestContext(clock?: Clock): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const parsed = Bindings.safeParse(c.env ?? {});
    if (!parsed.success) {
      console.error(
        "bad environment",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      );
      return problem(c, 500, { title: "サーバーの設定に誤りがあります", code: "bad_environment" });
    }
    const clientIp = c.req.header("cf-connecting-ip") ?? "unknown";
    const ctx = createContext({
      env: parsed.data,
      requestId: c.get("requestId"),
      clientIp,
      origin: new URL(c.req.url).origin,
      ...(clock === undefined ? {} : { clock }),
    });
    c.set("ctx", ctx);
    await next();
    let executionCtx: { waitUntil(p: Promise<unknown>): void } | undefined;
    try {
      executionCtx = c.executionCtx;
    } catch {
      executionCtx = undefined; // app.request() in tests: no execution context
    }
    if (executionCtx === undefined) await ctx.settle();
    else executionCtx.waitUntil(ctx.settle());
    return undefined;
  };
}

export const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) =>
    problem(c, 413, { title: `リクエストの本文が大きすぎます（上限 ${MAX_BODY_BYTES / 1024} KB）`, code: "payload_too_large" }),
});

/** Security headers for API answers (pages get theirs from public/_headers and edge/worker.ts). */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "no-referrer");
  c.header("x-frame-options", "DENY");
  c.header("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
  c.header("cross-origin-resource-policy", "same-origin");
  // HSTS only where the platform is served over HTTPS for real: never on http://localhost.
  if (c.get("ctx")?.env.APP_ENV === "production") c.header("strict-transport-security", "max-age=31536000; includeSubDomains");
};
