// The e-mails the platform sends, rendered from an outbox row when it is sent (or listed), so the
// row holds no text that could go stale and no signed link. Each template reads what it needs.
import { and, asc, desc, eq } from "drizzle-orm";
import { applications, certificateVersions, companies, guarantees, guarantors } from "../../db/schema/index.ts";
import type { RequestContext } from "../context.ts";
import type { CertificateContent } from "../domain/certificate.ts";
import { formatWareki, todayInJapan } from "../domain/era.ts";
import { labels } from "../domain/terms.ts";
import { signLink } from "../security/links.ts";
import type { RenderedMail } from "./transport.ts";

export interface GuaranteeIssuedData {
  applicationId: string;
  companyId: string;
  /** The link's validity, fixed when the mail was queued (epoch ms). */
  linkIssuedAt: number;
  linkExpiresAt: number;
}

export type MailTemplate = "guarantee.issued" | "guarantee.version" | "guarantee.key_rotated";

export interface OutboxRowLike {
  template: string;
  to: string;
  data: Record<string, unknown>;
  origin: string;
}

/** 13200000 → "13,200,000円" (no Intl: the same text in every runtime). */
const yenText = (n: number) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}円`;

const deliveryText = { electronic: "電子保証", paper: "証書（紙）" } as const;

async function guaranteeIssued(ctx: RequestContext, row: OutboxRowLike, data: GuaranteeIssuedData): Promise<RenderedMail> {
  const [app] = await ctx.db
    .select({ body: applications.body, companyName: companies.name, guarantorName: guarantors.name })
    .from(applications)
    .innerJoin(companies, eq(companies.id, applications.companyId))
    .innerJoin(guarantors, eq(guarantors.id, applications.guarantorId))
    .where(and(eq(applications.id, data.applicationId), eq(applications.companyId, data.companyId)));
  if (app === undefined) throw new Error(`guarantee.issued: application ${data.applicationId} not found`);
  const items = await ctx.db
    .select({ contractNumber: guarantees.contractNumber, kind: guarantees.kind, delivery: guarantees.delivery })
    .from(guarantees)
    .where(eq(guarantees.applicationId, data.applicationId))
    .orderBy(asc(guarantees.position));
  const project = (app.body["project"] ?? {}) as { name?: string; beneficiary?: string };
  const token = await signLink(ctx.env, {
    applicationId: data.applicationId,
    companyId: data.companyId,
    issuedAt: new Date(data.linkIssuedAt),
    expiresAt: new Date(data.linkExpiresAt),
    purpose: "issued",
  });
  const link = `${row.origin}/links/${token}/`;
  const login = `${row.origin}/app/`;
  const until = formatWareki(todayInJapan(new Date(data.linkExpiresAt)), { western: true });
  const lines = [
    `${app.companyName}　ご担当者様`,
    "",
    `${app.guarantorName}が、お申込みの保証を発行しました。`,
    "",
    `工事名: ${project.name ?? ""}`,
    `被保証者（発注者）: ${project.beneficiary ?? ""}`,
    ...items.map((g) => `・${labels.guarantee[g.kind]}　保証契約番号 ${g.contractNumber}　${deliveryText[g.delivery]}`),
    "",
    "次のリンクから、ログインせずに保証の内容と認証キーを確認できます。",
    "「認証キー等のお知らせ」を発注者へ提出してください（保証証書の印刷ではありません）。",
    `このリンクは ${until} まで使えます。`,
    link,
    "",
    "期限が過ぎた後や、リンクが開けないときは、ログインして保証の一覧からご確認ください。",
    login,
    "",
    "このメールは送信専用です。心当たりがない場合は、このメールを破棄してください。",
    "—— 電子保証プラットフォーム",
  ];
  return {
    to: row.to,
    subject: `【電子保証】発行完了のお知らせ（${project.name ?? "保証"}）`,
    text: lines.join("\n"),
    links: [link, login],
  };
}

export interface GuaranteeEventData extends GuaranteeIssuedData {
  contractNumber: string;
  reason?: "change" | "correction" | "cancel";
  version?: number;
  generation?: number;
}

const reasonText = { change: "変更", correction: "訂正", cancel: "解約" } as const;

/** 変更・訂正・解約 of a certificate, and a new authentication key: the same frame, one guarantee. */
async function guaranteeEvent(
  ctx: RequestContext,
  row: OutboxRowLike,
  data: GuaranteeEventData,
  template: "guarantee.version" | "guarantee.key_rotated",
) {
  const [g] = await ctx.db
    .select({ id: guarantees.id, kind: guarantees.kind, companyName: companies.name })
    .from(guarantees)
    .innerJoin(companies, eq(companies.id, guarantees.companyId))
    .where(and(eq(guarantees.contractNumber, data.contractNumber), eq(guarantees.companyId, data.companyId)));
  if (g === undefined) throw new Error(`${template}: guarantee ${data.contractNumber} not found`);
  // The certificate as this step left it (a change of 工事名 or a correction is in the version, not
  // in the application): the version the mail is about, or the newest for a new key.
  const [version] = await ctx.db
    .select({ content: certificateVersions.content })
    .from(certificateVersions)
    .where(
      and(
        eq(certificateVersions.guaranteeId, g.id),
        data.version === undefined ? undefined : eq(certificateVersions.version, data.version),
      ),
    )
    .orderBy(desc(certificateVersions.version))
    .limit(1);
  if (version === undefined) throw new Error(`${template}: guarantee ${data.contractNumber} has no version`);
  const content = version.content as unknown as CertificateContent;
  const purpose = template === "guarantee.key_rotated" ? "key_rotated" : (data.reason ?? "change");
  const token = await signLink(ctx.env, {
    applicationId: data.applicationId,
    companyId: data.companyId,
    issuedAt: new Date(data.linkIssuedAt),
    expiresAt: new Date(data.linkExpiresAt),
    purpose,
    contractNumber: data.contractNumber,
  });
  const link = `${row.origin}/links/${token}/`;
  const login = `${row.origin}/app/`;
  const until = formatWareki(todayInJapan(new Date(data.linkExpiresAt)), { western: true });
  const what =
    template === "guarantee.key_rotated"
      ? "認証キーを再発行しました。これまでの認証キーは使えなくなりました。発注者へ新しい「認証キー等のお知らせ」を提出してください。"
      : data.reason === "cancel"
        ? "この保証は解約されました。"
        : `電子証書を${reasonText[data.reason ?? "change"]}しました。発注者は同じ保証契約番号と認証キーで最新の内容を確認できます。`;
  const subject =
    template === "guarantee.key_rotated"
      ? `【電子保証】認証キー再発行のお知らせ（${data.contractNumber}）`
      : `【電子保証】${reasonText[data.reason ?? "change"]}のお知らせ（${data.contractNumber}）`;
  const lines = [
    `${g.companyName}　ご担当者様`,
    "",
    what,
    "",
    `工事名: ${content.projectName}`,
    `・${labels.guarantee[g.kind]}　保証契約番号 ${data.contractNumber}`,
    `　保証金額 ${yenText(content.amount)}（請負金額 ${yenText(content.contractPrice)}）`,
    "",
    "次のリンクから、ログインせずに内容と認証キーを確認できます。",
    `このリンクは ${until} まで使えます。`,
    link,
    "",
    "期限が過ぎた後は、ログインして保証の一覧からご確認ください。",
    login,
    "",
    "このメールは送信専用です。心当たりがない場合は、このメールを破棄してください。",
    "—— 電子保証プラットフォーム",
  ];
  return { to: row.to, subject, text: lines.join("\n"), links: [link, login] };
}

export async function renderMail(ctx: RequestContext, row: OutboxRowLike): Promise<RenderedMail> {
  switch (row.template as MailTemplate) {
    case "guarantee.issued":
      return guaranteeIssued(ctx, row, row.data as unknown as GuaranteeIssuedData);
    case "guarantee.version":
    case "guarantee.key_rotated":
      return guaranteeEvent(
        ctx,
        row,
        row.data as unknown as GuaranteeEventData,
        row.template as "guarantee.version" | "guarantee.key_rotated",
      );
    default:
      throw new Error(`unknown mail template: ${row.template}`);
  }
}
