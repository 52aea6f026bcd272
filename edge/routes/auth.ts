// Accounts of API.md: register, login, logout, me (cookie sessions).
import { createRoute, z } from "@hono/zod-openapi";
import { Credentials, Registration } from "../domain/accounts.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { clearSessionCookie, loadSession, sameOrigin, setSessionCookie } from "../http/session.ts";
import { currentUser, login, logout, registerContractor } from "../services/accounts.ts";
import { totpRoutes } from "./totp.ts";

export const authRoutes = createRouter();
authRoutes.use("/auth/*", loadSession, sameOrigin);
authRoutes.use("/me", loadSession);

const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

const Me = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(["contractor", "staff"]),
    company: z.object({ id: z.string(), name: z.string(), status: z.enum(["pending", "approved"]) }).optional(),
    guarantor: z.object({ id: z.string(), name: z.string() }).optional(),
  })
  .openapi("Me");

authRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/register",
    summary: "受注者の登録（会社は保証会社の承認後に申込みができます）",
    request: { body: json(Registration) },
    responses: {
      201: {
        description: "登録しました（ログイン済みのセッションを返します）",
        content: {
          "application/json": { schema: z.object({ id: z.string(), company: z.object({ id: z.string(), status: z.literal("pending") }) }) },
        },
      },
      403: problemResponse("このサイト以外からの操作"),
      409: problemResponse("登録済みのメールアドレス"),
      422: problemResponse("入力の誤り"),
    },
  }),
  async (c) => {
    const result = await registerContractor({ ctx: c.var.ctx, input: c.req.valid("json") });
    setSessionCookie(c, result.token, result.expiresAt);
    return c.json({ id: result.userId, company: { id: result.companyId, status: "pending" as const } }, 201);
  },
);

authRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/login",
    summary: "ログイン（セッション cookie を発行）",
    request: { body: json(Credentials) },
    responses: {
      200: {
        description:
          "ログインしました。secondFactor が true なら確認コード（/auth/totp/verify）が、enrolment も true なら先に二要素認証の登録（/auth/totp/enrol）が必要です",
        content: { "application/json": { schema: z.object({ secondFactor: z.boolean(), enrolment: z.boolean() }) } },
      },
      401: problemResponse("メールアドレスまたはパスワードの誤り（invalid_credentials）"),
      403: problemResponse("このサイト以外からの操作"),
      429: problemResponse("失敗が続いたため一時的にログインできません（Retry-After）"),
    },
  }),
  async (c) => {
    const result = await login({ ctx: c.var.ctx, input: c.req.valid("json") });
    setSessionCookie(c, result.token, result.expiresAt);
    return c.json({ secondFactor: result.level === "second_factor", enrolment: result.enrolment }, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/logout",
    summary: "ログアウト（サーバー側のセッションを終了）",
    responses: { 204: { description: "ログアウトしました" }, 403: problemResponse("このサイト以外からの操作") },
  }),
  async (c) => {
    await logout({ ctx: c.var.ctx });
    clearSessionCookie(c);
    return c.body(null, 204);
  },
);

authRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me",
    summary: "ログイン中の利用者",
    responses: {
      200: { description: "利用者", content: { "application/json": { schema: Me } } },
      401: problemResponse("未ログイン（unauthorized）、または二要素認証が済んでいない（second_factor_required）"),
    },
  }),
  async (c) => c.json(await currentUser({ ctx: c.var.ctx }), 200),
);

// The second factor under /auth/totp/*: mounted here so the /auth/* middleware above (the session,
// the same-origin check) runs for it exactly once.
authRoutes.route("/", totpRoutes);
