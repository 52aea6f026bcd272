// Verification for agencies (API.md): one pair, or up to 100 in one call. Server to server: no
// cookie, no Origin needed (nothing here acts for a logged-in user).
import { createRoute, z } from "@hono/zod-openapi";
import { statusOf } from "../http/errors.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter, fieldErrors } from "../http/router.ts";
import { BATCH_MAX, type Outcome, verifyPairs } from "../services/verify.ts";
import { CertificateSchema } from "./guarantees.ts";

export const verifyRoutes = createRouter();

verifyRoutes.use("/verify", async (c, next) => {
  await next();
  c.header("cache-control", "no-store");
});
verifyRoutes.use("/verify/*", async (c, next) => {
  await next();
  c.header("cache-control", "no-store");
});

const PairSchema = z
  .object(
    {
      contractNumber: z
        .string({ error: "保証契約番号（contractNumber）を文字列で指定してください" })
        .max(64, { error: "保証契約番号が長すぎます" }),
      authKey: z.string({ error: "認証キー（authKey）を文字列で指定してください" }).max(128, { error: "認証キーが長すぎます" }),
    },
    { error: '照会する組は { "contractNumber": …, "authKey": … } の形の JSON オブジェクトで指定してください' },
  )
  .openapi("VerifyRequest");

const VerificationSchema = z
  .object({
    certificate: CertificateSchema,
    versions: z.array(z.object({ version: z.number().int(), label: z.string(), issuedAt: z.string(), reason: z.string() })),
    jws: z.string().openapi({ description: "証書のコンパクト JWS（ES256。kid は /.well-known/jwks.json）" }),
  })
  .openapi("Verification");

const ItemProblem = z
  .object({
    status: z.number().int(),
    code: z.string(),
    title: z.string(),
    retryAfter: z.number().int().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("VerifyItemProblem");

verifyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/verify",
    summary: "電子証書を照会する（保証契約番号と認証キー）",
    request: { body: { required: true, content: { "application/json": { schema: PairSchema } } } },
    responses: {
      200: { description: "現在の証書、表示される履歴、署名（JWS）", content: { "application/json": { schema: VerificationSchema } } },
      400: problemResponse("認証キー・保証契約番号の形式の誤り（invalid_format。照会の回数に数えません）"),
      404: problemResponse("保証契約番号または認証キーが正しくない（not_found。どちらかは答えません）"),
      422: problemResponse("項目の型の誤り"),
      429: problemResponse("照会の失敗が続いた番号・照会の多すぎるクライアント（too_many_attempts、Retry-After）"),
    },
  }),
  async (c) => {
    const [outcome] = await verifyPairs(c.var.ctx, [c.req.valid("json")], "single");
    if (outcome === undefined) throw new Error("no outcome");
    if (!outcome.ok) throw outcome.error;
    return c.json(outcome.verification, 200);
  },
);

const itemOf = (o: Outcome) =>
  o.ok
    ? o.verification
    : {
        status: statusOf[o.error.kind],
        code: o.error.code,
        title: o.error.message,
        ...(o.error.retryAfter === undefined ? {} : { retryAfter: Math.ceil(o.error.retryAfter) }),
      };

verifyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/verify/batch",
    summary: `まとめて照会する（${BATCH_MAX}組まで。1組ごとに照会1回と数えます）`,
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.object(
              {
                // Each item is judged on its own: a malformed one is its own 422, as the single call would answer.
                items: z
                  .array(z.unknown().openapi({ description: "VerifyRequest（形の誤った組はその組だけ 422）" }), {
                    error: "items は照会する組（contractNumber, authKey）の配列で指定してください",
                  })
                  .min(1, { error: "items に1組以上を指定してください" })
                  .max(BATCH_MAX, { error: `一度に照会できるのは${BATCH_MAX}組までです` }),
              },
              { error: '本文は { "items": [...] } の形の JSON オブジェクトで送ってください' },
            ),
          },
        },
      },
    },
    responses: {
      200: {
        description: "組ごとの結果（順番どおり）: Verification か、単独の照会と同じ status・code の問題オブジェクト",
        content: { "application/json": { schema: z.object({ items: z.array(z.union([VerificationSchema, ItemProblem])) }) } },
      },
      422: problemResponse("items の誤り（空・101組以上・型）"),
    },
  }),
  async (c) => {
    const items = c.req.valid("json").items;
    const read = items.map((item) => PairSchema.safeParse(item));
    const pairs = read.flatMap((r) => (r.success ? [r.data] : []));
    const outcomes = await verifyPairs(c.var.ctx, pairs, "batch");
    let k = 0;
    const answers = read.map((r) =>
      r.success
        ? itemOf(outcomes[k++] as Outcome)
        : { status: 422, code: "validation_failed", title: "入力内容に誤りがあります", errors: fieldErrors(r.error) },
    );
    return c.json({ items: answers }, 200);
  },
);
