// The two PDFs of an issued guarantee (API.md, Contractor): 「認証キー等のお知らせ」 and the 保証証書,
// for the owning contractor (cookie session) and for the holder of the e-mailed signed link.
//
// The contractor's routes carry their own guards (route middleware). app.ts mounts this router
// before guaranteeRoutes, whose `/guarantees/*` middleware would match these paths too: these
// handlers answer first, so the guards run exactly once (tests/api/documents.test.ts checks it).
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type CertificateInput, renderCertificate } from "../documents/certificate.ts";
import { type DocumentFont, fontSourceOf, loadFont } from "../documents/font.ts";
import { type NoticeInput, renderNotice } from "../documents/notice.ts";
import { linkedCertificate, linkedNotice, ownCertificate, ownNotice, verifiedCertificateInput } from "../documents/sources.ts";
import type { AppEnv } from "../env.ts";
import { requireRole } from "../http/auth-guards.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { loadSession, sameOrigin } from "../http/session.ts";
import { verifyPairs } from "../services/verify.ts";

export const documentRoutes = createRouter();

const NumberParam = z.object({ number: z.string().max(32, { error: "保証契約番号が長すぎます" }) });
const LinkParam = z.object({ token: z.string().max(2048, { error: "リンクが長すぎます" }) });
const NumberQuery = z.object({
  number: z.string({ error: "保証契約番号（number）を指定してください" }).min(1).max(32, { error: "保証契約番号が長すぎます" }),
});

const pdf = (description: string) => ({
  description,
  content: { "application/pdf": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
});
const contractor = { 401: problemResponse("未ログイン"), 403: problemResponse("受注者以外") };
const guards = [loadSession, sameOrigin, requireRole("contractor")];

/** The font, loaded once per isolate from the static assets (or FONT_URL where there are none). */
async function fontFor(c: Context<AppEnv>): Promise<DocumentFont> {
  const source = fontSourceOf(c.env, c.var.ctx.origin);
  if (source === null) throw new Error("PDF font: neither an ASSETS binding nor FONT_URL in the Worker's environment");
  return loadFont(source);
}

/** A PDF answer: downloaded under a Japanese name (with an ASCII one for old clients), never cached. */
function pdfResponse(bytes: Uint8Array, name: string, ascii: string): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
  });
}

const noticeName = (n: string) => [`認証キー等のお知らせ_${n}.pdf`, `notice-${n}.pdf`] as const;
const certificateName = (n: string, label: string) => [`保証証書_${n}_${label}.pdf`, `certificate-${n}.pdf`] as const;

// The data first: a refused request never loads the font.
async function noticeResponse(c: Context<AppEnv>, load: Promise<NoticeInput>) {
  const input = await load;
  const font = await fontFor(c);
  const bytes = await renderNotice(input, font, c.var.ctx.now());
  return pdfResponse(bytes, ...noticeName(input.certificate.contractNumber));
}

async function certificateResponse(c: Context<AppEnv>, load: Promise<CertificateInput>) {
  const input = await load;
  const font = await fontFor(c);
  const bytes = await renderCertificate(input, font, c.var.ctx.now());
  const cert = input.certificate;
  return pdfResponse(bytes, ...certificateName(cert.contractNumber, cert.versionLabel));
}

documentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/guarantees/{number}/notice.pdf",
    summary: "認証キー等のお知らせ（PDF・A4 1枚）：発注者へ提出する書面",
    middleware: guards,
    request: { params: NumberParam },
    responses: {
      200: pdf("区分・保証契約番号・認証キー・工事名・受注者名・発注者・保証機関と、保証確認ページを開く QR コード"),
      ...contractor,
      404: problemResponse("該当する保証がない（他社の保証も）・証書（紙）で発行（no_auth_key）"),
    },
  }),
  (c) => noticeResponse(c, ownNotice(c.var.ctx, c.req.valid("param").number)),
);

documentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/guarantees/{number}/certificate.pdf",
    summary: "保証証書（PDF・A4 1枚）：現在の版（変更は表題の下に表示）と履歴",
    middleware: guards,
    request: { params: NumberParam },
    responses: { 200: pdf("保証証書"), ...contractor, 404: problemResponse("該当する保証がない（他社の保証も）") },
  }),
  (c) => certificateResponse(c, ownCertificate(c.var.ctx, c.req.valid("param").number)),
);

const linkRefusals = {
  401: problemResponse("正しくないリンク（link_invalid）"),
  404: problemResponse("そのリンクの申込みにない保証契約番号・証書（紙）で発行（no_auth_key）"),
  410: problemResponse("期限切れのリンク（link_expired）"),
};

documentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/links/{token}/notice.pdf",
    summary: "メールのリンク（署名つき・14日間）から認証キー等のお知らせ（PDF）を取得する（ログイン不要）",
    request: { params: LinkParam, query: NumberQuery },
    responses: { 200: pdf("認証キー等のお知らせ"), ...linkRefusals },
  }),
  (c) => noticeResponse(c, linkedNotice(c.var.ctx, c.req.valid("param").token, c.req.valid("query").number)),
);

documentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/links/{token}/certificate.pdf",
    summary: "メールのリンク（署名つき・14日間）から保証証書（PDF）を取得する（ログイン不要）",
    request: { params: LinkParam, query: NumberQuery },
    responses: { 200: pdf("保証証書"), ...linkRefusals },
  }),
  (c) => certificateResponse(c, linkedCertificate(c.var.ctx, c.req.valid("param").token, c.req.valid("query").number)),
);

const VerifyPair = z.object({
  contractNumber: z
    .string({ error: "保証契約番号（contractNumber）を文字列で指定してください" })
    .max(64, { error: "保証契約番号が長すぎます" }),
  authKey: z.string({ error: "認証キー（authKey）を文字列で指定してください" }).max(128, { error: "認証キーが長すぎます" }),
});

/** The certificate an agency verified, as a PDF: judged exactly as POST /verify (counted, limited). */
async function verifiedCertificate(c: Context<AppEnv>, pair: z.infer<typeof VerifyPair>): Promise<CertificateInput> {
  const [outcome] = await verifyPairs(c.var.ctx, [pair], "page");
  if (outcome === undefined) throw new Error("no outcome");
  if (!outcome.ok) throw outcome.error;
  return verifiedCertificateInput(c.var.ctx, outcome.verification);
}

documentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/verify/certificate.pdf",
    summary: "照会した電子証書を保証証書（PDF・A4 1枚）で取得する（保証契約番号と認証キー。POST /verify と同じ判定・回数）",
    request: { body: { required: true, content: { "application/json": { schema: VerifyPair } } } },
    responses: {
      200: pdf("保証証書"),
      400: problemResponse("認証キー・保証契約番号の形式の誤り（invalid_format。照会の回数に数えません）"),
      404: problemResponse("保証契約番号または認証キーが正しくない（not_found）"),
      422: problemResponse("項目の型の誤り"),
      429: problemResponse("照会の失敗が続いた番号・照会の多すぎるクライアント（too_many_attempts、Retry-After）"),
    },
  }),
  (c) => certificateResponse(c, verifiedCertificate(c, c.req.valid("json"))),
);
