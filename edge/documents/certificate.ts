// The certificate (保証証書) as a one-page PDF, laid out like the paper one of seed 004: 発行日,
// 保証契約番号, 保証契約者, 被保証者, 保証金額, 保証期限, 工事名, 請負金額, 工期, 前払金の預託金融機関, the
// issuing company and 取扱箇所; a changed version carries 変更 and its number under the title, a
// cancelled guarantee says 解約; then the visible history (新規, 変更1 …).
import type { Certificate } from "../domain/certificate.ts";
import { formatWareki } from "../domain/era.ts";
import type { DocumentFont } from "./font.ts";
import { A4, GREY, type Metrics, RED, SHADE, Sheet, type TableRow, warekiDateOf, warekiDateTime, yen } from "./layout.ts";
import { writePdf } from "./pdf.ts";

export interface CertificateInput {
  certificate: Certificate;
  /** The visible history, oldest first (GuaranteeView.versions). */
  versions: readonly { version: number; label: string; issuedAt: string; reason: string }[];
  delivery: "electronic" | "paper";
  /** The issuing company's head-office address, when known. */
  issuerAddress: string | null;
}

const MARGIN = 48;
const WIDTH = A4.width - 2 * MARGIN;
const SCALES = [1, 0.93, 0.86, 0.8, 0.74, 0.68, 0.62] as const;
/** History rows shown at most; beyond that the first and the latest ones, with a line for the rest. */
const HISTORY_ROWS = 10;

export function layoutCertificate(input: CertificateInput, metrics: Metrics): Sheet {
  let sheet: Sheet | undefined;
  for (const scale of SCALES) {
    const attempt = new Sheet(metrics);
    const bottom = drawCertificate(attempt, input, scale);
    sheet = attempt;
    if (bottom <= A4.height - MARGIN) break;
  }
  return sheet as Sheet;
}

type HistoryRow = readonly [string, string, string] | { gap: string };

/** The rows of the history table: every version, or the first and the latest ones when there are many. */
export function historyRows(versions: CertificateInput["versions"], max = HISTORY_ROWS): HistoryRow[] {
  const row = (v: CertificateInput["versions"][number]): HistoryRow => [
    String(v.version),
    warekiDateTime(v.issuedAt),
    v.reason === "新規" ? "新規" : `変更（${v.label}）`,
  ];
  if (versions.length <= max) return versions.map(row);
  const latest = versions.slice(-(max - 2));
  const hidden = versions.length - latest.length - 1;
  return [
    row(versions[0] as CertificateInput["versions"][number]),
    { gap: `（この間の変更 ${hidden} 件は保証確認ページの履歴でご確認ください）` },
    ...latest.map(row),
  ];
}

function drawCertificate(s: Sheet, input: CertificateInput, scale: number): number {
  const c = input.certificate;
  const body = 10.5 * scale;
  const right = MARGIN + WIDTH;
  const centre = A4.width / 2;
  let y = MARGIN;

  s.textRight(right, y + 10, 10, `発行日　${warekiDateOf(c.issuedAt)}`);
  if (c.status === "cancelled") {
    s.rect(MARGIN, y - 4, 64, 30, { stroke: RED, lineWidth: 1.8 });
    s.textCentre(MARGIN + 32, y + 18, 18, "解　約", RED);
  }
  y += 40;
  s.textCentre(centre, y + 21, 21, `保証証書（${c.kindLabel}）`);
  y += 32;
  if (c.version > 1) {
    // Seed 004's rule: a change is marked under the title with 変更 and the change's number.
    const mark = "変　更";
    const note = `第${c.version - 1}回の変更（${c.versionLabel}）による変更後の契約内容`;
    const markWidth = s.width(mark, 13) + 16;
    const total = markWidth + 8 + s.width(note, 10);
    const x = centre - total / 2;
    s.rect(x, y, markWidth, 22, { stroke: RED, lineWidth: 1.4 });
    s.text(x + 8, s.baseline(y, 13, 22), 13, mark, RED);
    s.text(x + markWidth + 8, s.baseline(y, 10, 22), 10, note);
    y += 28;
  }
  const kind = input.delivery === "electronic" ? "電子証書" : "証書（紙）の内容（確認用）";
  s.textCentre(centre, y + 9, 9, `${kind}　版：${c.versionLabel}　電子保証発行日時：${warekiDateTime(c.issuedAt)}`, GREY);
  y += 20;

  const rows: TableRow[] = [
    { label: "保証契約番号", value: c.contractNumber, size: body * 1.2 },
    { label: "保証契約者", value: [c.contractor.address, c.contractor.name] },
    { label: "被保証者", value: c.beneficiary },
    { label: "保証金額（総額）", value: yen(c.amount) },
    { label: "保証期限", value: formatWareki(c.guaranteeUntil) },
    { label: "工事名", value: c.projectName },
    { label: "請負金額（総額）", value: yen(c.contractPrice) },
    { label: "工期", value: `${formatWareki(c.periodFrom)} から ${formatWareki(c.periodTo)} まで` },
  ];
  if (c.kind === "advance" || c.depositBank !== null) rows.push({ label: "前払金の預託金融機関", value: c.depositBank ?? "—" });
  if (c.status === "cancelled") rows.push({ label: "状態", value: "解約（この保証契約は解約されています）", color: RED });
  y = s.table(MARGIN, y, [120, WIDTH - 120], rows, body);
  y += 10 * scale;
  y = s.paragraph(MARGIN, y, WIDTH, body, `当社は、上記のとおり${c.kindLabel}の保証契約を締結しました。`);
  y += 6 * scale;

  // The issuing company and 取扱箇所, right-aligned as on the paper certificate.
  const issuer: [string, number][] = [];
  if (input.issuerAddress !== null) issuer.push([input.issuerAddress, body]);
  issuer.push([c.guarantor.name, body * 1.35]);
  issuer.push([`取扱箇所　${c.guarantor.branch}`, body]);
  const contact = [c.guarantor.tel === null ? "" : `TEL ${c.guarantor.tel}`, c.guarantor.fax === null ? "" : `FAX ${c.guarantor.fax}`]
    .filter((t) => t !== "")
    .join("　");
  if (contact !== "") issuer.push([contact, body]);
  for (const [text, size] of issuer) {
    s.textRight(right, s.baseline(y, size, size * 1.6), size, text);
    y += size * 1.6;
  }
  y += 12 * scale;

  // The visible history: corrections and cancelled changes never show (seed 004).
  const small = body * 0.9;
  s.text(MARGIN, s.baseline(y, body, body * 1.6), body, "電子保証情報（履歴）");
  s.textRight(right, s.baseline(y, small, body * 1.6), small, "※訂正、変更の取消しの履歴は表示されません。", GREY);
  y += body * 1.6 + 2;
  y = historyTable(s, y, historyRows(input.versions), small, c.version);
  y += 12 * scale;

  const notes = [
    "保証契約を変更したときは、表題の下に「変更」の表示と変更の番号（変更1、変更2 …）を付記し、変更後の契約内容を表示します。",
    "電子保証発行日時は、電子証書が保証確認ページに掲載された日時です。",
    input.delivery === "electronic"
      ? "この書面は電子証書の内容を表示したものです。発注者へは、この書面ではなく「認証キー等のお知らせ」をご提出ください（発注者は保証確認ページで電子証書を確認します）。"
      : "この保証は証書（紙）で発行されています。この書面は内容確認用で、証書の原本ではありません。",
  ];
  s.text(MARGIN, s.baseline(y, small, small * 1.6), small, "（注）", GREY);
  y += small * 1.6;
  notes.forEach((note, i) => {
    y = s.paragraph(MARGIN + 6, y, WIDTH - 6, small, note, { hang: `${i + 1}. `, color: GREY, lineHeight: small * 1.55 });
  });
  return y;
}

/** The history as a ruled table (No. | 電子保証発行日時 | 対象); the row of this version shaded. */
function historyTable(s: Sheet, top: number, rows: HistoryRow[], size: number, current: number): number {
  const widths = [44, 200, WIDTH - 244];
  const h = size * 1.9;
  const xs = [MARGIN, MARGIN + (widths[0] as number), MARGIN + (widths[0] as number) + (widths[1] as number), MARGIN + WIDTH];
  const all: HistoryRow[] = [["No.", "電子保証発行日時", "対象"], ...rows];
  let y = top;
  all.forEach((row, i) => {
    if ("gap" in row) {
      s.text(MARGIN + 6, s.baseline(y, size, h), size, row.gap, GREY);
    } else {
      if (i === 0) s.rect(MARGIN, y, WIDTH, h, { fill: SHADE });
      else if (row[0] === String(current)) s.rect(MARGIN, y, WIDTH, h, { fill: [0.97, 0.95, 0.88] });
      row.forEach((cell, col) => {
        s.text((xs[col] as number) + 6, s.baseline(y, size, h), size, cell);
      });
    }
    // Column rules, but across a gap line only the outer ones.
    for (const x of "gap" in row ? [xs[0], xs[3]] : xs) s.line(x as number, y, x as number, y + h, 0.5);
    y += h;
  });
  for (let r = 0; r <= all.length; r++) s.line(MARGIN, top + r * h, MARGIN + WIDTH, top + r * h, 0.5);
  return y;
}

export function renderCertificate(input: CertificateInput, font: DocumentFont, createdAt: Date): Promise<Uint8Array> {
  const c = input.certificate;
  return writePdf(layoutCertificate(input, font.metrics).ops, font, {
    title: `保証証書（${c.kindLabel}）保証契約番号 ${c.contractNumber}（${c.versionLabel}）`,
    subject: `${c.kindLabel}　${c.projectName}`,
    author: c.guarantor.name,
    keywords: ["電子保証", "保証証書", c.contractNumber, c.versionLabel],
    createdAt,
  });
}
