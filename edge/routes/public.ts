// Public, read-only calls of API.md: health, agencies, eligibility, guarantors.
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { AgencySchema, ruleOf } from "../domain/agency.ts";
import { checkEligibility, nextStep } from "../domain/eligibility.ts";
import { todayInJapan } from "../domain/era.ts";
import { Invalid, NotFound } from "../domain/errors.ts";
import { calendarDate, oneOf, textError } from "../domain/fields.ts";
import { adoptionStatuses, guaranteeKinds, issuers, workTypes } from "../domain/vocabulary.ts";
import type { AppEnv } from "../env.ts";
import { problemResponse } from "../http/openapi.ts";
import { intQuery } from "../http/params.ts";
import { createRouter } from "../http/router.ts";
import { catalogue, searchAgencies } from "../services/catalogue.ts";
import { listGuarantors } from "../services/guarantors.ts";
import { checkHealth } from "../services/health.ts";

const agencyDate = (label: string) => calendarDate(label).optional();

export const publicRoutes = createRouter();

/** Public facts change at most daily: let browsers and agencies' systems keep an answer 5 minutes. */
const cacheable: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status === 200) c.header("cache-control", "public, max-age=300");
};
for (const path of ["/agencies", "/agencies/*", "/eligibility", "/guarantors"]) publicRoutes.use(path, cacheable);
publicRoutes.use("/health", async (c, next) => {
  await next();
  c.header("cache-control", "no-store");
});

publicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/health",
    summary: "稼働確認（データベースが応答すれば 200）",
    responses: {
      200: { description: "ok", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } },
      503: problemResponse("データベースが応答しません"),
    },
  }),
  async (c) => c.json(await checkHealth({ ctx: c.var.ctx }), 200),
);

publicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/agencies",
    summary: "発注者の検索（漢字・ひらがな・カタカナ・半角カナ・ローマ字）",
    request: {
      query: z.object({
        q: z
          .string({ error: textError("検索語（q）", "検索語（q）は文字列で指定してください") })
          .max(100, { error: "検索語（q）は100文字以内で入力してください" })
          .optional(),
        limit: intQuery("件数（limit）", 1, 2000).optional().default(20),
        prefecture: intQuery("都道府県コード（prefecture）", 1, 47).optional(),
        status: oneOf("導入状況（status）", adoptionStatuses).optional(),
      }),
    },
    responses: {
      200: {
        description:
          "一致した発注者（名称の完全一致が先頭。地方整備局などの機関名・略称・ブランド名は本体の発注者に一致）。一致がないときは、読みや字の近い発注者（もしかして、最大10件）",
        content: { "application/json": { schema: z.object({ items: z.array(AgencySchema) }) } },
      },
      422: problemResponse("検索条件の誤り"),
    },
  }),
  (c) => {
    const { q, limit, prefecture, status } = c.req.valid("query");
    const today = todayInJapan(c.var.ctx.now());
    const filtered = (prefecture ?? status) !== undefined;
    const base = q !== undefined && q.trim() !== "" ? searchAgencies(q, filtered ? 100_000 : limit, today) : catalogue(today).agencies;
    const items = base
      .filter(
        (a) => (prefecture === undefined || a.prefectureCode === prefecture) && (status === undefined || a.adoption.status === status),
      )
      .slice(0, limit);
    return c.json({ items }, 200);
  },
);

publicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/agencies/{id}",
    summary: "発注者1件（導入状況と規則の全体、出典つき）",
    request: { params: z.object({ id: z.string().max(64, { error: "発注者の ID が長すぎます" }) }) },
    responses: {
      200: { description: "発注者", content: { "application/json": { schema: AgencySchema } } },
      404: problemResponse("該当する発注者がありません"),
    },
  }),
  (c) => {
    const agency = catalogue(todayInJapan(c.var.ctx.now())).byId.get(c.req.valid("param").id);
    if (agency === undefined) throw new NotFound("該当する発注者が見つかりません");
    return c.json(agency, 200);
  },
);

const EligibilityQuery = z.object({
  agency: z
    .string({ error: textError("発注者（agency）", "発注者（agency）を指定してください") })
    .min(1, { error: "発注者（agency）を指定してください" })
    .max(64, { error: "発注者（agency）の ID が長すぎます" }),
  guarantee: oneOf("保証の種類（guarantee）", guaranteeKinds),
  work: oneOf("工事の種類（work）", workTypes),
  issuer: oneOf("発行者（issuer）", issuers).default("surety"),
  bidAnnouncedOn: agencyDate("入札公告日（bidAnnouncedOn）"),
  contractedOn: agencyDate("契約締結日（contractedOn）"),
  originalContractedOn: agencyDate("当初契約日（originalContractedOn）"),
});

publicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/eligibility",
    summary: "電子保証の対象かどうかの判定（理由つき）",
    request: { query: EligibilityQuery },
    responses: {
      200: {
        description: "判定",
        content: {
          "application/json": {
            schema: z.object({
              eligible: z.boolean().openapi({ description: "verdict が eligible のときだけ true" }),
              verdict: z.enum(["eligible", "ineligible", "uncertain"]).openapi({
                description:
                  "対象（eligible）・対象外（ineligible）・要確認（uncertain: 発注者の情報がない、導入月だけが分かりその月の日付、基準日が資料になく結論が変わる、資料にない業務・保証の種類、開始日のない導入）",
              }),
              reasons: z.array(z.object({ code: z.string(), message: z.string() })),
            }),
          },
        },
      },
      404: problemResponse("発注者が見つかりません"),
      422: problemResponse("入力の誤り・判定に必要な日付の不足"),
    },
  }),
  (c) => {
    const input = c.req.valid("query");
    const agency = catalogue(todayInJapan(c.var.ctx.now())).byId.get(input.agency);
    if (agency === undefined) throw new NotFound("該当する発注者が見つかりません");
    const result = checkEligibility(ruleOf(agency), input);
    if (result.kind === "invalid") throw new Invalid(result.errors);
    const rule = ruleOf(agency);
    return c.json(
      { eligible: result.verdict === "eligible", verdict: result.verdict, reasons: [...result.reasons, nextStep(rule, result.verdict)] },
      200,
    );
  },
);

const BranchSchema = z.object({
  id: z.string(),
  name: z.string(),
  tel: z.string().nullable(),
  fax: z.string().nullable(),
  email: z.string().nullable().openapi({ description: "資料に記載のある支店のメールアドレス（記載がなければ null）" }),
  postalCode: z.string().nullable(),
  address: z.string().nullable(),
});

publicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/guarantors",
    summary: "保証事業会社と支店",
    responses: {
      200: {
        description: "保証事業会社",
        content: {
          "application/json": {
            schema: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  name: z.string(),
                  shortName: z.string(),
                  portal: z.string(),
                  url: z.string().nullable(),
                  branches: z.array(BranchSchema),
                }),
              ),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    return c.json({ items: await listGuarantors({ ctx: c.var.ctx }) }, 200);
  },
);
