// Composition only: middleware, then one router per resource, then the one error edge.
import { z } from "zod";
import type { Clock } from "./context.ts";
import { notFound, onError } from "./http/errors.ts";
import { limitBody, requestContext, requestId, securityHeaders } from "./http/middleware.ts";
import { createRouter } from "./http/router.ts";
import { applicationRoutes } from "./routes/applications.ts";
import { authRoutes } from "./routes/auth.ts";
import { devRoutes } from "./routes/dev.ts";
import { documentRoutes } from "./routes/documents.ts";
import { guaranteeRoutes } from "./routes/guarantees.ts";
import { publicRoutes } from "./routes/public.ts";
import { reportRoutes } from "./routes/reports.ts";
import { staffRoutes } from "./routes/staff.ts";
import { verifyRoutes } from "./routes/verify.ts";
import { wellKnownRoutes } from "./routes/well-known.ts";

// Zod's own messages (wrong type, missing field …) in Japanese, for every schema.
z.config(z.locales.ja());

type Router = ReturnType<typeof createRouter>;

/**
 * The Hono app behind /api/* and /.well-known/*. Tests pass a fixed clock, and may mount extra
 * routers under /api/v1 to exercise the error edge with routes of their own.
 */
export function createApp(options: { clock?: Clock; extraRoutes?: Router[] } = {}) {
  const app = createRouter();
  app.use("*", requestId, securityHeaders, limitBody, requestContext(options.clock));
  app.route("/api/v1", publicRoutes);
  app.route("/api/v1", authRoutes);
  app.route("/api/v1", staffRoutes);
  app.route("/api/v1", applicationRoutes);
  app.route("/api/v1", documentRoutes); // before guaranteeRoutes: see edge/routes/documents.ts
  app.route("/api/v1", guaranteeRoutes);
  app.route("/api/v1", devRoutes);
  app.route("/api/v1", verifyRoutes);
  app.route("/api/v1", reportRoutes);
  for (const extra of options.extraRoutes ?? []) app.route("/api/v1", extra);
  app.route("/.well-known", wellKnownRoutes);

  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "電子保証プラットフォーム API",
      version: "1.0.0",
      description:
        "発注者の導入状況、電子保証の対象判定、保証事業会社の一覧、証書の署名鍵など。エラーはすべて application/problem+json（日本語）。",
    },
  });
  app.notFound(notFound(app));
  app.onError(onError);
  return app;
}

export const app = createApp();
export type App = typeof app;
