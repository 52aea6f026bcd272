// 「情報の訂正・追加を知らせる」: anyone may tell the operator that an agency's facts changed
// (POST /api/v1/reports). No account. A browser page of another site may not post here (its Origin
// is refused, as every state-changing call of the site is); API clients without Origin may.
import { createRoute, z } from "@hono/zod-openapi";
import { Forbidden, Invalid } from "../domain/errors.ts";
import { cleanReport, REPORT_AGENCY_ID_MAX, REPORT_CONTACT_MAX, REPORT_MESSAGE_MAX, REPORT_URL_MAX } from "../domain/report.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { createReport, REPORT_LIMIT } from "../services/reports.ts";

export const reportRoutes = createRouter();

const FIELDS = ["agencyId", "message", "sourceUrl", "contact"] as const;

reportRoutes.use("/reports", async (c, next) => {
  if (c.req.method === "POST") {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const crossSite =
      origin !== undefined && origin !== "null"
        ? origin !== new URL(c.req.url).origin
        : site !== undefined && site !== "same-origin" && site !== "none";
    if (crossSite) throw new Forbidden("このサイト以外からの送信は受け付けられません（Origin が一致しません）", "cross_origin");
  }
  await next();
  c.header("cache-control", "no-store");
});

const text = (label: string, name: string) => z.string({ error: `${label}（${name}）は文字列で指定してください` });

export const ReportRequest = z
  .strictObject(
    {
      agencyId: text("発注者の ID", "agencyId").openapi({
        description: `発注者の ID（GET /api/v1/agencies の id。${REPORT_AGENCY_ID_MAX}文字以内）`,
        example: "462161",
      }),
      message: text("訂正・追加の内容", "message").openapi({
        description: `何が変わったか（1〜${REPORT_MESSAGE_MAX}文字。制御文字・見えない文字は取り除きます）`,
        example: "令和7年4月1日以降に入札公告する工事から電子保証を導入したと市のホームページに掲載されています。",
      }),
      sourceUrl: text("出典の URL", "sourceUrl")
        .nullable()
        .optional()
        .openapi({
          description: `根拠のページ（http:// または https://、${REPORT_URL_MAX}文字以内。任意）`,
          example: "https://www.city.example.jp/news/1.html",
        }),
      contact: text("連絡先", "contact")
        .nullable()
        .optional()
        .openapi({
          description: `確認のための連絡先（メールアドレスまたは電話番号、${REPORT_CONTACT_MAX}文字以内。任意）。暗号化して保存し、どの API も返しません`,
        }),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `使えない項目があります: ${issue.keys.join("、")}（使えるのは ${FIELDS.join("、")}）`
          : '本文は { "agencyId": …, "message": … } の形の JSON オブジェクトで送ってください',
    },
  )
  .openapi("ReportRequest");

const ReportReceipt = z
  .object({
    id: z.string().openapi({ description: "受付番号（10文字）", example: "7K3M9XDQ2H" }),
    receivedAt: z.string().openapi({ description: "受け付けた時刻（ISO 8601）" }),
  })
  .openapi("ReportReceipt");

reportRoutes.openapi(
  createRoute({
    method: "post",
    path: "/reports",
    summary: "発注者の情報の訂正・追加を知らせる（アカウント不要）",
    description: `運営者が確認して出典を調べます。同じクライアントから${REPORT_LIMIT.windowMs / 60_000}分間に${REPORT_LIMIT.max}件まで。ほかのサイトのページからの送信（Origin が異なるもの）は受け付けません。`,
    request: { body: { required: true, content: { "application/json": { schema: ReportRequest } } } },
    responses: {
      201: { description: "受け付けました", content: { "application/json": { schema: ReportReceipt } } },
      400: problemResponse("JSON として読めない本文"),
      403: problemResponse("ほかのサイトからの送信（cross_origin）"),
      404: problemResponse("該当する発注者がない（agency_not_found）"),
      413: problemResponse("本文が大きすぎる"),
      415: problemResponse("JSON 以外の本文"),
      422: problemResponse("項目の誤り（型・長さ・URL の形式・使えない項目）"),
      429: problemResponse(
        `送信が多すぎる（too_many_requests、Retry-After。${REPORT_LIMIT.windowMs / 60_000}分間に${REPORT_LIMIT.max}件まで）`,
      ),
    },
  }),
  async (c) => {
    const cleaned = cleanReport(c.req.valid("json"));
    if (!cleaned.ok) throw new Invalid(cleaned.errors);
    return c.json(await createReport(c.var.ctx, cleaned.report), 201);
  },
);
