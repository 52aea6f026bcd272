// The contractor's applications (API.md, Contractor): drafts, submit, own list and detail.
import { createRoute, z } from "@hono/zod-openapi";
import { ApplicationDraft, applicationStatuses } from "../domain/application.ts";
import { requireRole } from "../http/auth-guards.ts";
import { problemResponse } from "../http/openapi.ts";
import { createRouter } from "../http/router.ts";
import { loadSession, sameOrigin } from "../http/session.ts";
import {
  applicationDetail,
  applicationSummary,
  applicationView,
  createApplication,
  getApplication,
  listApplications,
  submitApplication,
  updateApplication,
} from "../services/applications.ts";

export const applicationRoutes = createRouter();
// "/applications/*" also matches "/applications" itself.
applicationRoutes.use("/applications/*", loadSession, sameOrigin, requireRole("contractor"));

const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });

const Status = z.enum(applicationStatuses).openapi({ description: "draft 保存中・submitted 手続き中・issued 発行済み・rejected 不承認" });
const Reason = z.object({ code: z.string(), message: z.string() });
const WarningSchema = z
  .object({ field: z.string(), code: z.literal("electronic_uncertain"), message: z.string(), reasons: z.array(Reason) })
  .openapi("ApplicationWarning");
const Agency = z.object({ id: z.string(), name: z.string() }).nullable();

const ApplicationView = z
  .object({
    id: z.string(),
    status: Status,
    statusLabel: z.string(),
    version: z.number().int().openapi({ description: "更新のたびに増える版（ETag / If-Match に使えます）" }),
    application: ApplicationDraft,
    agency: Agency,
    createdAt: z.string(),
    updatedAt: z.string(),
    submittedAt: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    decidedAt: z.string().nullable().openapi({ description: "保証会社が発行・不承認を決めた日時" }),
    warnings: z.array(WarningSchema),
    guarantees: z
      .array(z.object({ contractNumber: z.string(), kind: z.string(), delivery: z.enum(["electronic", "paper"]) }))
      .openapi({ description: "発行された保証（発行済みのときだけ。保証契約番号つき）" }),
  })
  .openapi("Application");

const ApplicationSummary = z
  .object({
    id: z.string(),
    status: Status,
    statusLabel: z.string(),
    projectName: z.string().nullable(),
    agency: Agency,
    contractPrice: z.number().int().nullable(),
    guarantees: z.array(
      z.object({
        kind: z.string().nullable(),
        kindLabel: z.string().nullable(),
        amount: z.number().int().nullable(),
        delivery: z.string().nullable(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    submittedAt: z.string().nullable(),
    rejectionReason: z.string().nullable(),
  })
  .openapi("ApplicationSummary");

const IdParam = z.object({ id: z.string().max(64, { error: "申込みの ID が長すぎます" }) });
const idempotencyKey = z
  .string()
  .regex(/^[\w.:-]{1,64}$/, { error: "Idempotency-Key は64文字以内の英数字と . _ : - で指定してください" })
  .optional()
  .openapi({ description: "再送しても二重に処理されないための任意のキー" });
const ifMatch = z
  .string()
  .regex(/^(W\/)?"?\d{1,9}"?$/, { error: 'If-Match には申込みの version（例: "3"）を指定してください' })
  .transform((v) => Number(v.replace(/\D/g, "")))
  .optional()
  .openapi({ description: "この version のときだけ更新する（他の画面の更新を上書きしない）" });

const denied = {
  401: problemResponse("未ログイン"),
  403: problemResponse("受注者以外・このサイト以外からの操作"),
};
const etag = (version: number) => ({ etag: `"${version}"` });

applicationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/applications",
    summary: "申込みを作成する（下書き。項目は後から追加できます）",
    request: { headers: z.object({ "idempotency-key": idempotencyKey }), body: json(ApplicationDraft) },
    responses: {
      201: ok(
        "下書きを作成しました（同じ Idempotency-Key の再送は同じ申込みを返します）",
        z.object({ id: z.string(), status: Status, version: z.number().int() }),
      ),
      ...denied,
      422: problemResponse("入力の誤り"),
    },
  }),
  async (c) => {
    const row = await createApplication({
      ctx: c.var.ctx,
      input: c.req.valid("json"),
      idempotencyKey: c.req.valid("header")["idempotency-key"],
    });
    return c.json({ id: row.id, status: row.status, version: row.version }, 201, etag(row.version));
  },
);

applicationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/applications",
    summary: "自社の申込み（新しい順）",
    responses: { 200: ok("申込みの一覧", z.object({ items: z.array(ApplicationSummary) })), ...denied },
  }),
  async (c) => {
    const rows = await listApplications({ ctx: c.var.ctx });
    return c.json({ items: rows.map((r) => applicationSummary(c.var.ctx, r)) }, 200);
  },
);

applicationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/applications/{id}",
    summary: "自社の申込み",
    request: { params: IdParam },
    responses: { 200: ok("申込み", ApplicationView), ...denied, 404: problemResponse("該当する申込みがありません（他社の申込みも）") },
  }),
  async (c) => {
    const row = await getApplication({ ctx: c.var.ctx, id: c.req.valid("param").id });
    return c.json(await applicationDetail(c.var.ctx, row), 200, etag(row.version));
  },
);

applicationRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/applications/{id}",
    summary: "下書きを更新する（指定した項目だけ。配列は置き換え、null は削除）",
    request: { params: IdParam, headers: z.object({ "if-match": ifMatch }), body: json(ApplicationDraft) },
    responses: {
      200: ok("更新後の申込み", ApplicationView),
      ...denied,
      404: problemResponse("該当する申込みがありません"),
      409: problemResponse("下書きではない（not_draft）・他の画面で更新済み（version_mismatch）"),
      422: problemResponse("入力の誤り"),
    },
  }),
  async (c) => {
    const row = await updateApplication({
      ctx: c.var.ctx,
      id: c.req.valid("param").id,
      patch: c.req.valid("json"),
      expectedVersion: c.req.valid("header")["if-match"],
    });
    return c.json(applicationView(c.var.ctx, row), 200, etag(row.version));
  },
);

applicationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/applications/{id}/submit",
    summary: "申込みを送信する（必須項目と規則をすべて確認。再送しても1回だけ送信されます）",
    request: { params: IdParam, headers: z.object({ "idempotency-key": idempotencyKey }) },
    responses: {
      200: ok(
        "送信しました（送信済みなら同じ結果）。warnings は電子保証の可否が資料だけでは確定できない保証",
        z.object({
          id: z.string(),
          status: z.literal("submitted"),
          statusLabel: z.string(),
          submittedAt: z.string(),
          warnings: z.array(WarningSchema),
        }),
      ),
      ...denied,
      404: problemResponse("該当する申込みがありません"),
      409: problemResponse("発行済み・不承認の申込み（not_draft）"),
      422: problemResponse("すべての項目の誤り（errors）"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await submitApplication({ ctx: c.var.ctx, id, idempotencyKey: c.req.valid("header")["idempotency-key"] }), 200);
  },
);
