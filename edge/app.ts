// Composition only: middleware, then one router per resource.
import { z } from "zod";
import { parseEnv, requestId, securityHeaders } from "./http/middleware.ts";
import { AppError, problem } from "./http/problem.ts";
import { createRouter } from "./http/router.ts";
import { publicRoutes } from "./routes/public.ts";

// Zod's own messages (wrong type, missing field …) in Japanese, for every schema.
z.config(z.locales.ja());

export const app = createRouter().basePath("/api/v1");

app.use("*", requestId, securityHeaders, parseEnv);
app.route("/", publicRoutes);

app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "電子保証プラットフォーム API",
    version: "1.0.0",
    description: "発注者の導入状況、電子保証の対象判定、保証事業会社の一覧など。",
  },
});

app.notFound((c) => problem(c, 404, { title: "該当する API がありません", code: "not_found" }));

app.onError((error, c) => {
  if (error instanceof AppError) {
    return problem(c, error.status, {
      title: error.title,
      code: error.code,
      ...(error.errors === undefined ? {} : { errors: error.errors }),
    });
  }
  if (error instanceof SyntaxError) return problem(c, 400, { title: "リクエストの形式が正しくありません", code: "malformed_request" });
  console.error(`unexpected error (request ${c.get("requestId")})`, error);
  return problem(c, 500, { title: "サーバー内部でエラーが発生しました", code: "internal_error" });
});

export type App = typeof app;
