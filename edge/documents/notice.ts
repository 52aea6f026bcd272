// 「認証キー等のお知らせ」: the one page the contractor submits to the agency (seeds 000, 003, 004).
// It carries 区分, 保証契約番号, 認証キー, 工事名, 受注者名, 発注者 and 保証機関, what the contractor
// and the agency do with it, and a QR code that opens the verification page with the number and
// key filled in. The key travels in the URL fragment, which browsers never send to a server.
import type { Certificate } from "../domain/certificate.ts";
import { formatWareki } from "../domain/era.ts";
import type { DocumentFont } from "./font.ts";
import { A4, GREY, type Metrics, RED, Sheet } from "./layout.ts";
import { writePdf } from "./pdf.ts";
import { placeQr, QUIET_ZONE_MODULES, qrRuns } from "./qr.ts";

export interface NoticeInput {
  certificate: Certificate;
  /** The key as people read it: XXXX-XXXX-XXXX-XXXX. */
  authKey: string;
  /** The notice's own date (YYYY-MM-DD, in Japan). */
  issuedOn: string;
  /** The site's origin: the verification page lives at <origin>/verify/. */
  origin: string;
}

export const verifyPageUrl = (origin: string) => `${origin}/verify/`;

/** The verification page with number and key in the fragment (#n=…&k=…): what the QR code holds. */
export function prefilledVerifyUrl(origin: string, contractNumber: string, authKey: string): string {
  return `${verifyPageUrl(origin)}#n=${encodeURIComponent(contractNumber)}&k=${encodeURIComponent(authKey)}`;
}

/** What the agency's submission completes, by kind (seed 004). */
function completes(kind: Certificate["kind"]): string {
  if (kind === "contract") return "請負契約の締結手続（契約保証）";
  if (kind === "intermediate") return "中間前払金の請求手続（中間前払金保証）";
  return "前払金の請求手続（前払金保証）";
}

const MARGIN = 48;
const WIDTH = A4.width - 2 * MARGIN;
/** Text scales tried in turn until the page holds everything (long names and addresses shrink it). */
const SCALES = [1, 0.92, 0.85, 0.78, 0.72, 0.66] as const;

export function layoutNotice(input: NoticeInput, metrics: Metrics): Sheet {
  let sheet: Sheet | undefined;
  for (const scale of SCALES) {
    const attempt = new Sheet(metrics);
    const bottom = drawNotice(attempt, input, scale);
    sheet = attempt;
    if (bottom <= A4.height - MARGIN) break;
  }
  return sheet as Sheet;
}

function drawNotice(s: Sheet, input: NoticeInput, scale: number): number {
  const c = input.certificate;
  const body = 10.5 * scale;
  const right = MARGIN + WIDTH;
  let y = MARGIN;

  s.textRight(right, y + 10, 10, `発行日　${formatWareki(input.issuedOn)}`);
  y += 22;
  y = s.paragraph(MARGIN, y, WIDTH, 12 * scale, `${c.contractor.name}　御中`, { lineHeight: 16 * scale });
  y += 14;
  s.textCentre(A4.width / 2, y + 20, 20, "認証キー等のお知らせ");
  y += 30;
  s.textCentre(A4.width / 2, y + 10, 10, "（電子証書閲覧用）", GREY);
  y += 24;

  y = s.paragraph(
    MARGIN,
    y,
    WIDTH,
    body,
    `${c.guarantor.name}は、下記の保証契約の電子証書を保証確認ページに掲載しました。内容をご確認のうえ、このPDFファイルを発注者へご提出ください。`,
  );
  y += 4 * scale;
  s.textCentre(A4.width / 2, s.baseline(y, body * 1.1, body * 1.8), body * 1.1, "記");
  y += body * 1.8 + 2;

  const contact = [c.guarantor.tel === null ? "" : `TEL ${c.guarantor.tel}`, c.guarantor.fax === null ? "" : `FAX ${c.guarantor.fax}`]
    .filter((t) => t !== "")
    .join("　");
  y = s.table(
    MARGIN,
    y,
    [112, WIDTH - 112],
    [
      { label: "区分", value: c.kindLabel },
      { label: "保証契約番号", value: c.contractNumber, size: 15 * scale },
      { label: "認証キー", value: input.authKey, size: 15 * scale },
      { label: "工事名", value: c.projectName },
      { label: "受注者名", value: [c.contractor.name, "（JVの場合は代表者）"] },
      { label: "発注者", value: c.beneficiary },
      { label: "保証機関", value: [`${c.guarantor.name}　${c.guarantor.branch}`, ...(contact === "" ? [] : [contact])] },
    ],
    body * 1.05,
  );
  if (c.status === "cancelled") {
    y += 6;
    const h = body * 2;
    s.rect(MARGIN, y, WIDTH, h, { stroke: RED, lineWidth: 1.2 });
    s.textCentre(A4.width / 2, s.baseline(y, body * 1.1, h), body * 1.1, "この保証契約は解約されています。", RED);
    y += h;
  }
  y += 14 * scale;

  // To the contractor.
  y = heading(s, y, "受注者様へ", body);
  const hang = "・";
  for (const line of [
    "このPDFファイル（認証キー等のお知らせ）を、発注者の電子契約システムへの登録（アップロード）、または電子メールへの添付により、発注者へご提出ください。提出先の部署は発注者によって異なります。",
    "発注者へ提出するのはこのお知らせです。保証証書の内容を表示・印刷したもの（保証証書のPDF）と取り違えないようご注意ください。",
    `発注者への「保証契約番号」と「認証キー」の提出により、${completes(c.kind)}に必要な保証証書の提出が完了します。`,
    "認証キーは電子証書を閲覧するためのパスワードです。発注者以外には知らせないでください。",
  ]) {
    y = s.paragraph(MARGIN + 6, y, WIDTH - 6, body, line, { hang });
  }
  y += 10 * scale;

  // To the agency, beside the QR code.
  y = heading(s, y, "発注者様へ", body);
  const qr = qrRuns(prefilledVerifyUrl(input.origin, c.contractNumber, input.authKey));
  const module = Math.min(3, 110 / qr.size);
  const qrSide = qr.size * module;
  const quiet = QUIET_ZONE_MODULES * module;
  const textWidth = WIDTH - qrSide - quiet - 6;
  const top = y;
  for (const line of [
    `保証確認ページ（${verifyPageUrl(input.origin)}）を開き、上記の「保証契約番号」と「認証キー」を入力して、電子証書の内容をご確認ください。`,
    "右のQRコードを読み取ると、保証契約番号と認証キーが入力された状態で保証確認ページが開きます。",
    "認証キーの誤入力が続くと、その保証契約番号はしばらく確認できなくなります。",
  ]) {
    y = s.paragraph(MARGIN + 6, y, textWidth, body, line, { hang });
  }
  const qrX = Math.round(right - qrSide);
  const qrY = Math.round(top + 2);
  s.cells(placeQr(qr, qrX, qrY, module));
  const caption = "保証確認ページ（番号・キー入力済み）";
  const captionSize = Math.min(7.5, (qrSide + quiet) / Math.max(1, s.width(caption, 1)));
  s.textCentre(qrX + qrSide / 2, qrY + qrSide + quiet / 2 + captionSize, captionSize, caption, GREY);
  y = Math.max(y, qrY + qrSide + quiet / 2 + captionSize * 1.6);
  y += 14 * scale;

  // Who issued it.
  s.line(MARGIN, y, right, y, 0.5, GREY);
  y += 6;
  s.textRight(right, s.baseline(y, body * 1.2, body * 1.8), body * 1.2, c.guarantor.name);
  y += body * 1.8;
  s.textRight(right, s.baseline(y, body, body * 1.6), body, `取扱箇所　${c.guarantor.branch}${contact === "" ? "" : `　${contact}`}`);
  y += body * 1.6;
  return y;
}

/** 【title】 with a rule under it; returns the y below. */
function heading(s: Sheet, top: number, title: string, body: number): number {
  const size = body * 1.15;
  const h = size * 1.7;
  s.text(MARGIN, s.baseline(top, size, h), size, `【${title}】`);
  s.line(MARGIN, top + h, MARGIN + WIDTH, top + h, 0.4, GREY);
  return top + h + 3;
}

export function renderNotice(input: NoticeInput, font: DocumentFont, createdAt: Date): Promise<Uint8Array> {
  const c = input.certificate;
  return writePdf(layoutNotice(input, font.metrics).ops, font, {
    title: `認証キー等のお知らせ（保証契約番号 ${c.contractNumber}）`,
    subject: `${c.kindLabel}　${c.projectName}`,
    author: `${c.guarantor.name} ${c.guarantor.branch}`,
    keywords: ["電子保証", "認証キー", c.contractNumber],
    createdAt,
  });
}
