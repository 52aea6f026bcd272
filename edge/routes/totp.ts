// The staff second factor (TOTP): status, enrol, confirm, verify. Mounted inside authRoutes, whose
// /auth/* middleware loads the session and refuses cross-origin state changes.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { confirmEnrolment, startEnrolment, totpStatus, verifySecondFactor } from "../services/totp.ts";

export const totpRoutes = createRouter();

/** Six digits, as typed: full-width digits, spaces and hyphens ("123 456") are forgiven. */
const TotpCode = z
  .string({ error: "確認コードを入力してください" })
  .transform((code) => code.normalize("NFKC").replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, { error: "確認コードは認証アプリに表示される6桁の数字で入力してください" }));
const CodeBody = z.object({ code: TotpCode });

const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const Upgraded = z.object({ level: z.literal("full") }).openapi("SecondFactorPassed");
const upgraded = {
  description: "確認しました（セッションは完全にログインした状態になりました）",
  content: { "application/json": { schema: Upgraded } },
};
const refusals = {
  401: problemResponse("未ログイン、確認コードの誤り（invalid_totp_code）、使用済みのコード（totp_code_used）"),
  403: problemResponse("保証会社の担当者以外、またはこのサイト以外からの操作"),
  422: problemResponse("確認コードの形式の誤り"),
  429: problemResponse("確認コードの誤りが続いたため一時的に入力できません（Retry-After）"),
};

totpRoutes.openapi(
  createRoute({
    method: "get",
    path: "/auth/totp",
    summary: "二要素認証の状態（担当者のみ。確認コードの入力前でも読めます）",
    responses: {
      200: {
        description: "状態",
        content: {
          "application/json": {
            schema: z.object({
              level: z.enum(["full", "second_factor"]),
              enrolled: z.boolean(),
              required: z.boolean(),
              pending: z.boolean(),
            }),
          },
        },
      },
      401: problemResponse("未ログイン"),
      403: problemResponse("保証会社の担当者以外"),
    },
  }),
  async (c) => c.json(await totpStatus({ ctx: c.var.ctx }), 200),
);

totpRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/totp/enrol",
    summary: "二要素認証の登録を始める（QR コードと手入力用の秘密鍵。確認コードで確定するまで今の設定は変わりません）",
    responses: {
      200: {
        description: "認証アプリに登録する内容（15分以内に /auth/totp/confirm で確定）",
        content: {
          "application/json": {
            schema: z
              .object({
                otpauthUri: z.string().openapi({ description: "otpauth://totp/… (SHA1, 6桁, 30秒)" }),
                qrSvg: z.string().openapi({ description: "otpauthUri の QR コード（SVG 文字列、ページに埋め込む）" }),
                secret: z.string().openapi({ description: "手入力用の秘密鍵（Base32）" }),
              })
              .openapi("TotpEnrolment"),
          },
        },
      },
      401: problemResponse("未ログイン、または確認コードの入力前（second_factor_required）"),
      403: problemResponse("保証会社の担当者以外、またはこのサイト以外からの操作"),
    },
  }),
  async (c) => c.json(await startEnrolment({ ctx: c.var.ctx }), 200),
);

totpRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/totp/confirm",
    summary: "二要素認証の登録を確定する（認証アプリの最初の確認コード）",
    request: { body: json(CodeBody) },
    responses: { 200: upgraded, ...refusals, 409: problemResponse("登録が始まっていないか期限切れ（enrolment_not_started）") },
  }),
  async (c) => c.json(await confirmEnrolment({ ctx: c.var.ctx, code: c.req.valid("json").code }), 200),
);

totpRoutes.openapi(
  createRoute({
    method: "post",
    path: "/auth/totp/verify",
    summary: "ログインの二要素目（認証アプリの確認コード。同じコードは一度だけ有効）",
    request: { body: json(CodeBody) },
    responses: { 200: upgraded, ...refusals, 409: problemResponse("二要素認証が未登録（totp_enrolment_required）") },
  }),
  async (c) => c.json(await verifySecondFactor({ ctx: c.var.ctx, code: c.req.valid("json").code }), 200),
);
