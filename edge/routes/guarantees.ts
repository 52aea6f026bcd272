// Issued guarantees (API.md, Contractor): the contractor's own, and the e-mailed signed link.
import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../http/auth-guards.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { loadSession, sameOrigin } from "../http/session.ts";
import { linkPurposes } from "../security/links.ts";
import { getAuthKey, getGuarantee, listGuarantees, openLink } from "../services/guarantees.ts";

export const guaranteeRoutes = createRouter();
guaranteeRoutes.use("/guarantees/*", loadSession, sameOrigin, requireRole("contractor"));
guaranteeRoutes.use("/links/*", async (c, next) => {
  // A bearer link: never cached, never sent on as a referrer.
  await next();
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
});

const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });

export const CertificateSchema = z
  .object({
    contractNumber: z.string().openapi({ description: "保証契約番号" }),
    kind: z.enum(["advance", "intermediate", "contract", "bid_bond"]),
    kindLabel: z.string(),
    version: z.number().int(),
    versionLabel: z.string().openapi({ description: "新規・変更1・変更2 …" }),
    status: z.enum(["active", "cancelled"]),
    issuedAt: z.string().openapi({ description: "電子保証発行日時（+09:00）" }),
    contractor: z.object({ name: z.string(), address: z.string() }),
    beneficiary: z.string().openapi({ description: "被保証者（発注者）" }),
    projectName: z.string(),
    contractPrice: z.number().int(),
    amount: z.number().int(),
    periodFrom: z.string(),
    periodTo: z.string(),
    guaranteeUntil: z.string(),
    depositBank: z.string().nullable(),
    guarantor: z.object({ id: z.string(), name: z.string(), branch: z.string(), tel: z.string().nullable(), fax: z.string().nullable() }),
  })
  .openapi("Certificate");

const Version = z.object({ version: z.number().int(), label: z.string(), issuedAt: z.string(), reason: z.string() });
const Guarantee = z
  .object({
    certificate: CertificateSchema,
    versions: z.array(Version),
    agencyViewedAt: z.string().nullable().openapi({ description: "発注者が初めて閲覧した日時（未閲覧は null）" }),
    applicationId: z.string(),
    delivery: z.enum(["electronic", "paper"]),
  })
  .openapi("Guarantee");

const NumberParam = z.object({ number: z.string().max(32, { error: "保証契約番号が長すぎます" }) });
const denied = { 401: problemResponse("未ログイン"), 403: problemResponse("受注者以外") };

guaranteeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/guarantees",
    summary: "自社の保証（発行の新しい順）",
    responses: { 200: ok("保証の一覧", z.object({ items: z.array(Guarantee) })), ...denied },
  }),
  async (c) => c.json({ items: await listGuarantees({ ctx: c.var.ctx }) }, 200),
);

guaranteeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/guarantees/{number}",
    summary: "自社の保証1件（証書・履歴・発注者の閲覧）",
    request: { params: NumberParam },
    responses: { 200: ok("保証", Guarantee), ...denied, 404: problemResponse("該当する保証がありません（他社の保証も）") },
  }),
  async (c) => c.json(await getGuarantee({ ctx: c.var.ctx, number: c.req.valid("param").number }), 200),
);

guaranteeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/guarantees/{number}/auth-key",
    summary: "認証キーを表示する",
    request: { params: NumberParam },
    responses: {
      200: ok("認証キー（XXXX-XXXX-XXXX-XXXX）", z.object({ authKey: z.string() })),
      ...denied,
      404: problemResponse("該当する保証がない・証書（紙）で発行（no_auth_key）"),
    },
  }),
  async (c) => c.json(await getAuthKey({ ctx: c.var.ctx, number: c.req.valid("param").number }), 200),
);

guaranteeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/links/{token}",
    summary: "メールのリンク（署名つき・14日間）で発行された保証を開く（ログイン不要）",
    request: { params: z.object({ token: z.string().max(2048, { error: "リンクが長すぎます" }) }) },
    responses: {
      200: ok(
        "その申込みで発行された保証と認証キー",
        z.object({
          expiresAt: z.string(),
          application: z.object({
            id: z.string(),
            projectName: z.string().nullable().openapi({ description: "証書の現在の工事名（メールの対象の保証、なければ各保証の工事名）" }),
          }),
          notice: z.object({
            purpose: z
              .enum(linkPurposes)
              .nullable()
              .openapi({ description: "メールの用件（発行・変更・訂正・解約・認証キー再発行）。古いリンクでは null" }),
            contractNumber: z.string().nullable().openapi({ description: "メールの対象の保証契約番号（発行のお知らせでは null）" }),
          }),
          guarantees: z.array(Guarantee.extend({ authKey: z.string().nullable() })),
        }),
      ),
      401: problemResponse("正しくないリンク（link_invalid）"),
      410: problemResponse("期限切れのリンク（link_expired）"),
    },
  }),
  async (c) => c.json(await openLink({ ctx: c.var.ctx, token: c.req.valid("param").token }), 200),
);
