// The surety desk (staff of one guarantor): companies waiting for approval.
import { createRoute, z } from "@hono/zod-openapi";
import { VersionRequest } from "../domain/certificate.ts";
import { oneOf } from "../domain/fields.ts";
import { requireRole } from "../http/auth-guards.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { loadSession, sameOrigin } from "../http/session.ts";
import { approveCompany, listCompanies } from "../services/companies.ts";
import { listQueue, queueItem } from "../services/desk.ts";
import { issueApplication, rejectApplication } from "../services/issue.ts";
import { addVersion, rotateKey, staffGuaranteeView } from "../services/versions.ts";
import { CertificateSchema } from "./guarantees.ts";

export const staffRoutes = createRouter();
staffRoutes.use("/staff/*", loadSession, sameOrigin, requireRole("staff"));

const Company = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.string(),
    representative: z.string(),
    status: z.enum(["pending", "approved"]),
    createdAt: z.string(),
    approvedAt: z.string().nullable(),
  })
  .openapi("Company");
const view = (c: z.infer<typeof Company>) => ({
  id: c.id,
  name: c.name,
  address: c.address,
  representative: c.representative,
  status: c.status,
  createdAt: c.createdAt,
  approvedAt: c.approvedAt,
});
const denied = { 401: problemResponse("未ログイン・二要素認証が未確認"), 403: problemResponse("担当者以外・このサイト以外からの操作") };

staffRoutes.openapi(
  createRoute({
    method: "get",
    path: "/staff/companies",
    summary: "登録された受注者の会社（承認待ちなど）",
    request: { query: z.object({ status: oneOf("状態（status）", ["pending", "approved"]).optional() }) },
    responses: {
      200: { description: "会社の一覧（新しい順）", content: { "application/json": { schema: z.object({ items: z.array(Company) }) } } },
      ...denied,
      422: problemResponse("検索条件の誤り"),
    },
  }),
  async (c) => {
    const items = await listCompanies({ ctx: c.var.ctx, status: c.req.valid("query").status });
    return c.json({ items: items.map(view) }, 200);
  },
);

staffRoutes.openapi(
  createRoute({
    method: "post",
    path: "/staff/companies/{id}/approve",
    summary: "会社を承認する（承認後に保証の申込みができます）",
    request: { params: z.object({ id: z.string().max(64, { error: "会社の ID が長すぎます" }) }) },
    responses: {
      200: { description: "承認しました（承認済みならそのまま）", content: { "application/json": { schema: Company } } },
      ...denied,
      404: problemResponse("該当する会社がありません"),
    },
  }),
  async (c) => c.json(view(await approveCompany({ ctx: c.var.ctx, companyId: c.req.valid("param").id })), 200),
);

staffRoutes.openapi(
  createRoute({
    method: "get",
    path: "/staff/applications",
    summary: "自社（保証会社）宛ての申込み（提出済み以降。保存中の下書きは見えません）。状態・支店・発注者で絞り込み、会社名・工事名で検索",
    request: {
      query: z.object({
        status: oneOf("状態（status）", ["submitted", "issued", "rejected"]).optional(),
        branch: z.string().max(64, { error: "支店（branch）の ID が長すぎます" }).optional(),
        agency: z.string().max(64, { error: "発注者（agency）の ID が長すぎます" }).optional(),
        q: z.string().max(100, { error: "検索語（q）は100文字以内で指定してください" }).optional(),
      }),
    },
    responses: {
      200: {
        description: "申込み（提出の早い順）",
        content: { "application/json": { schema: z.object({ items: z.array(z.looseObject({ id: z.string() })) }) } },
      },
      ...denied,
      422: problemResponse("検索条件の誤り"),
    },
  }),
  async (c) => {
    const { status, branch, agency, q } = c.req.valid("query");
    return c.json({ items: await listQueue({ ctx: c.var.ctx, status, branchId: branch, agencyId: agency, q }) }, 200);
  },
);

staffRoutes.openapi(
  createRoute({
    method: "get",
    path: "/staff/applications/{id}",
    summary: "申込み1件（会社の情報と、電子保証の判定で残った注意つき）",
    request: { params: z.object({ id: z.string().max(64, { error: "申込みの ID が長すぎます" }) }) },
    responses: {
      200: { description: "申込み", content: { "application/json": { schema: z.looseObject({ id: z.string() }) } } },
      ...denied,
      404: problemResponse("該当する申込みがありません（他社宛てを含む）"),
    },
  }),
  async (c) => c.json(await queueItem({ ctx: c.var.ctx, id: c.req.valid("param").id }), 200),
);

const IdParam = z.object({ id: z.string().max(64, { error: "申込みの ID が長すぎます" }) });

staffRoutes.openapi(
  createRoute({
    method: "post",
    path: "/staff/applications/{id}/issue",
    summary: "保証を発行する（保証契約番号・証書 第1版（新規）・認証キー・受注者へのメールを一度に）",
    request: { params: IdParam },
    responses: {
      200: {
        description: "発行しました（発行済みなら同じ結果）",
        content: {
          "application/json": {
            schema: z.object({
              guarantees: z.array(z.object({ contractNumber: z.string(), kind: z.string(), delivery: z.enum(["electronic", "paper"]) })),
            }),
          },
        },
      },
      ...denied,
      404: problemResponse("該当する申込みがありません（他社宛て・下書きを含む）"),
      409: problemResponse("不承認にした申込み・別の担当者が先に処理した（not_submitted）"),
    },
  }),
  async (c) => c.json(await issueApplication({ ctx: c.var.ctx, id: c.req.valid("param").id }), 200),
);

const RejectBody = z.object({
  reason: z
    .string({ error: "不承認の理由（reason）を文字列で入力してください" })
    .trim()
    .min(1, { error: "不承認の理由を入力してください" })
    .max(1000, { error: "不承認の理由は1000文字以内で入力してください" }),
});

staffRoutes.openapi(
  createRoute({
    method: "post",
    path: "/staff/applications/{id}/reject",
    summary: "申込みを不承認にする（理由は受注者に表示されます）",
    request: { params: IdParam, body: { required: true, content: { "application/json": { schema: RejectBody } } } },
    responses: {
      200: {
        description: "不承認にしました",
        content: {
          "application/json": {
            schema: z.object({ id: z.string(), status: z.literal("rejected"), rejectionReason: z.string() }),
          },
        },
      },
      ...denied,
      404: problemResponse("該当する申込みがありません"),
      409: problemResponse("発行済み・別の理由で不承認済み"),
      422: problemResponse("理由がない・長すぎる"),
    },
  }),
  async (c) => c.json(await rejectApplication({ ctx: c.var.ctx, id: c.req.valid("param").id, reason: c.req.valid("json").reason }), 200),
);

const NumberParam = z.object({ number: z.string().max(32, { error: "保証契約番号が長すぎます" }) });

staffRoutes.openapi(
  createRoute({
    method: "get",
    path: "/staff/guarantees/{number}",
    summary: "自社が発行した保証1件（証書・表示される履歴・訂正を含むすべての版）",
    request: { params: NumberParam },
    responses: {
      200: { description: "保証", content: { "application/json": { schema: z.looseObject({ certificate: CertificateSchema }) } } },
      ...denied,
      404: problemResponse("該当する保証がありません（他社の保証を含む）"),
    },
  }),
  async (c) => c.json(await staffGuaranteeView({ ctx: c.var.ctx, number: c.req.valid("param").number }), 200),
);

staffRoutes.openapi(
  createRoute({
    method: "post",
    path: "/staff/guarantees/{number}/versions",
    summary: "証書の新しい版（change 変更・correction 訂正・cancel 解約）。受注者にメールでお知らせします",
    request: { params: NumberParam, body: { required: true, content: { "application/json": { schema: VersionRequest } } } },
    responses: {
      201: { description: "新しい証書", content: { "application/json": { schema: CertificateSchema } } },
      ...denied,
      404: problemResponse("該当する保証がありません"),
      409: problemResponse("解約済み（cancelled）・別の担当者が先に更新（version_conflict）"),
      422: problemResponse("変更内容の誤り（金額の上限・工期と保証期限の順序など）・変更前と同じ内容（unchanged）"),
    },
  }),
  async (c) => c.json(await addVersion({ ctx: c.var.ctx, number: c.req.valid("param").number, request: c.req.valid("json") }), 201),
);

staffRoutes.openapi(
  createRoute({
    method: "post",
    path: "/staff/guarantees/{number}/rotate-key",
    summary: "認証キーを再発行する（古い認証キーはすぐに使えなくなります。受注者にメールでお知らせします）",
    request: { params: NumberParam },
    responses: {
      200: {
        description: "再発行しました",
        content: { "application/json": { schema: z.object({ contractNumber: z.string(), keyGeneration: z.number().int() }) } },
      },
      ...denied,
      404: problemResponse("該当する保証がありません"),
      409: problemResponse("証書（紙）・解約済み・同時の再発行"),
    },
  }),
  async (c) => c.json(await rotateKey({ ctx: c.var.ctx, number: c.req.valid("param").number }), 200),
);
