import type { MiddlewareHandler } from "hono";
import { type AppEnv, Bindings } from "../env.ts";
import { problem } from "./problem.ts";

/** A request id for logs and problem bodies; honours an upstream cf-ray. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
  await next();
  c.header("x-request-id", c.get("requestId"));
};

/** Parse the bindings once per request; a wrong environment must not serve half an app. */
export const parseEnv: MiddlewareHandler<AppEnv> = async (c, next) => {
  const parsed = Bindings.safeParse(c.env ?? {});
  if (!parsed.success) {
    console.error(
      "bad environment",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    );
    return problem(c, 500, { title: "サーバーの設定に誤りがあります", code: "bad_environment" });
  }
  c.set("config", parsed.data);
  return next();
};

/** Security headers for API answers (pages get theirs from public/_headers). */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "no-referrer");
  c.header("x-frame-options", "DENY");
  c.header("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
  c.header("cross-origin-resource-policy", "same-origin");
};
