// Public, read-only calls of API.md: health, agencies, eligibility, guarantors.
import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { connect } from "../../db/client.ts";
import { AgencySchema, ruleOf } from "../domain/agency.ts";
import { checkEligibility } from "../domain/eligibility.ts";
import { GuaranteeKind, Issuer, WorkType } from "../domain/vocabulary.ts";
import type { AppEnv } from "../env.ts";
import { AppError, Invalid, NotFound } from "../http/problem.ts";
import { createRouter } from "../http/router.ts";
import { catalogue, searchAgencies } from "../services/catalogue.ts";
import { listGuarantors } from "../services/guarantors.ts";

const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi("Problem");
const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });
const isoDate = z.iso.date({ error: "日付は YYYY-MM-DD 形式で入力してください" });

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
  async (c) => {
    const { db } = connect({ url: c.var.config.DATABASE_URL, authToken: c.var.config.DATABASE_AUTH_TOKEN });
    try {
      await db.run(sql`select 1`);
    } catch (error) {
      console.error("health: database unavailable", error);
      throw new AppError(503, "database_unavailable", "データベースに接続できません");
    }
    return c.json({ status: "ok" as const }, 200);
  },
);

publicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/agencies",
    summary: "発注者の検索（漢字・ひらがな・カタカナ・半角カナ・ローマ字）",
    request: {
      query: z.object({
        q: z.string().max(100, { error: "検索語は100文字以内で入力してください" }).optional(),
        limit: z.coerce.number({ error: "件数は数値で指定してください" }).int().min(1).max(2000).default(20),
        prefecture: z.coerce.number().int().min(1).max(47).optional(),
        status: z.enum(["adopted", "scheduled", "none", "unknown"]).optional(),
      }),
    },
    responses: {
      200: {
        description: "一致した発注者（名称の完全一致が先頭）",
        content: { "application/json": { schema: z.object({ items: z.array(AgencySchema) }) } },
      },
      422: problemResponse("検索条件の誤り"),
    },
  }),
  (c) => {
    const { q, limit, prefecture, status } = c.req.valid("query");
    const filtered = (prefecture ?? status) !== undefined;
    const base = q !== undefined && q.trim() !== "" ? searchAgencies(q, filtered ? 100_000 : limit) : catalogue().agencies;
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
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: {
      200: { description: "発注者", content: { "application/json": { schema: AgencySchema } } },
      404: problemResponse("該当する発注者がありません"),
    },
  }),
  (c) => {
    const agency = catalogue().byId.get(c.req.valid("param").id);
    if (agency === undefined) throw new NotFound("該当する発注者が見つかりません");
    return c.json(agency, 200);
  },
);

const EligibilityQuery = z.object({
  agency: z.string({ error: "発注者（agency）を指定してください" }).min(1, { error: "発注者（agency）を指定してください" }),
  guarantee: GuaranteeKind,
  work: WorkType,
  issuer: Issuer.default("surety"),
  bidAnnouncedOn: isoDate.optional(),
  contractedOn: isoDate.optional(),
  originalContractedOn: isoDate.optional(),
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
            schema: z.object({ eligible: z.boolean(), reasons: z.array(z.object({ code: z.string(), message: z.string() })) }),
          },
        },
      },
      404: problemResponse("発注者が見つかりません"),
      422: problemResponse("入力の誤り・判定に必要な日付の不足"),
    },
  }),
  (c) => {
    const input = c.req.valid("query");
    const agency = catalogue().byId.get(input.agency);
    if (agency === undefined) throw new NotFound("該当する発注者が見つかりません");
    const result = checkEligibility(ruleOf(agency), input);
    if (result.kind === "invalid") throw new Invalid(result.errors);
    return c.json({ eligible: result.eligible, reasons: result.reasons }, 200);
  },
);

const BranchSchema = z.object({
  id: z.string(),
  name: z.string(),
  tel: z.string().nullable(),
  fax: z.string().nullable(),
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
    const { db } = connect({ url: c.var.config.DATABASE_URL, authToken: c.var.config.DATABASE_AUTH_TOKEN });
    return c.json({ items: await listGuarantors({ db }) }, 200);
  },
);
