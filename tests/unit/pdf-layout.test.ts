// The PDFs' layout without rendering: line breaking (禁則), fitting, what the documents print and
// that even the longest inputs the API accepts stay on one A4 page inside its margins, measured
// with the real font. And the build step's font path is the one the Worker fetches.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FontNames } from "@pdf-lib/standard-fonts";
import { describe, expect, it } from "vitest";
import { type CertificateInput, historyRows, layoutCertificate } from "../../edge/documents/certificate.ts";
import { FONT_PATH, isTrueType, parseFont } from "../../edge/documents/font.ts";
import { A4, fitText, type Metrics, textWidth, warekiDateOf, warekiDateTime, wrapText, yen } from "../../edge/documents/layout.ts";
import { layoutNotice, type NoticeInput, prefilledVerifyUrl } from "../../edge/documents/notice.ts";
import unbundled, { FontNames as StandInFontNames } from "../../edge/documents/unbundled.ts";
import type { Certificate } from "../../edge/domain/certificate.ts";
import { PDF_FONT_LICENCE_PATH, PDF_FONT_PATH, pdfFontSources, UNBUNDLED } from "../../site/integrations/pdf-font.ts";
import { sampleCertificate } from "../support/fixtures.ts";

/** Every character 1 em wide but ASCII ½ em, like a Japanese font's full- and half-width forms. */
const fixed: Metrics = { advance: (cp) => (cp < 0x80 ? 0.5 : 1), ascent: 0.88, descent: -0.12 };
const font = parseFont(new Uint8Array(readFileSync(pdfFontSources().font)));

describe("wrapText", () => {
  it("fills lines of Japanese to the width, breaking anywhere between characters", () => {
    // 5 to a line; ー may not start one, so キ moves down with it.
    expect(wrapText("保証契約番号と認証キー", 50, 10, fixed)).toEqual(["保証契約番", "号と認証", "キー"]);
  });
  it("never starts a line with closing punctuation or a small kana, never ends one with an opening bracket", () => {
    // 5 per line: 。 would start line 2, so 番 moves down with it.
    expect(wrapText("保証契約番。認証キー", 50, 10, fixed)).toEqual(["保証契約", "番。認証", "キー"]);
    expect(wrapText("あいうえおっか", 50, 10, fixed)).toEqual(["あいうえ", "おっか"]);
    // 「 would end line 1: it moves down.
    expect(wrapText("あいうえ「おか」", 50, 10, fixed)).toEqual(["あいうえ", "「おか」"]);
    for (const line of wrapText("発注者へ提出するのはこのお知らせです。保証証書（PDF）と取り違えないようご注意ください。", 60, 10, fixed)) {
      expect(line).not.toMatch(/^[、。）」』ー]/);
      expect(line).not.toMatch(/[（「『]$/);
    }
  });
  it("keeps Latin words, numbers and URLs whole when they fit, and breaks at spaces", () => {
    expect(wrapText("TEL 099-257-2722 FAX 0120-504-180", 80, 10, fixed)).toEqual(["TEL 099-257-2722", "FAX 0120-504-180"]);
    expect(wrapText("保証確認ページ（https://example.jp/verify/）", 200, 10, fixed)).toEqual([
      "保証確認ページ",
      "（https://example.jp/verify/）",
    ]);
    // A word longer than a line is broken inside.
    expect(wrapText("ABCDEFGHIJKLMNOPQRST", 50, 10, fixed)).toEqual(["ABCDEFGHIJ", "KLMNOPQRST"]);
  });
  it("keeps explicit newlines and never gives an empty list", () => {
    expect(wrapText("一行目\n二行目", 500, 10, fixed)).toEqual(["一行目", "二行目"]);
    expect(wrapText("", 100, 10, fixed)).toEqual([""]);
  });
  it("fits text by shrinking through the sizes given", () => {
    expect(fitText("あいうえおかきくけこ", 100, fixed, [10, 8], 1)).toEqual({ size: 10, lines: ["あいうえおかきくけこ"] });
    expect(fitText("あいうえおかきくけこさし", 100, fixed, [10, 8], 1)).toEqual({ size: 8, lines: ["あいうえおかきくけこさし"] });
    expect(fitText("あ".repeat(40), 100, fixed, [10, 8], 1).lines).toHaveLength(4);
  });
  it("measures with the font's advance widths (full-width kanji, proportional kana and Latin)", () => {
    expect(textWidth(font.metrics, "認", 10)).toBeCloseTo(10, 1);
    expect(textWidth(font.metrics, "っ", 10)).toBeLessThan(10); // proportional kana (the P of UDPGothic)
    expect(textWidth(font.metrics, "i", 10)).toBeLessThan(textWidth(font.metrics, "W", 10));
  });
});

describe("what the documents print", () => {
  it("formats amounts and instants in Japan's time and era", () => {
    expect(yen(20_000_000)).toBe("20,000,000円");
    expect(warekiDateTime("2026-01-05T10:30:00+09:00")).toBe("令和8年1月5日 10:30");
    expect(warekiDateTime("2026-01-05T15:30:00Z")).toBe("令和8年1月6日 00:30");
    expect(warekiDateOf("2019-04-30T16:00:00Z")).toBe("令和元年5月1日");
  });
  it("puts number and key in the verification page's fragment, escaped", () => {
    expect(prefilledVerifyUrl("https://denshi-hosho.example", "00000-000001", "7KQ3-M9XD-2HVA-PR4F")).toBe(
      "https://denshi-hosho.example/verify/#n=00000-000001&k=7KQ3-M9XD-2HVA-PR4F",
    );
  });
  it("shows the whole history, or the first and the latest versions with a line for those left out", () => {
    const versions = Array.from({ length: 14 }, (_, i) => ({
      version: i + 1,
      label: i === 0 ? "新規" : `変更${i}`,
      issuedAt: "2026-01-05T10:30:00+09:00",
      reason: i === 0 ? "新規" : "変更",
    }));
    expect(historyRows(versions.slice(0, 3))).toEqual([
      ["1", "令和8年1月5日 10:30", "新規"],
      ["2", "令和8年1月5日 10:30", "変更（変更1）"],
      ["3", "令和8年1月5日 10:30", "変更（変更2）"],
    ]);
    const rows = historyRows(versions);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual(["1", "令和8年1月5日 10:30", "新規"]);
    expect(rows[1]).toEqual({ gap: "（この間の変更 5 件は保証確認ページの履歴でご確認ください）" });
    expect(rows.at(-1)).toEqual(["14", "令和8年1月5日 10:30", "変更（変更13）"]);
  });
});

const certificate = sampleCertificate;
/** The longest values the API accepts (company name 200, address 300, project and beneficiary 200, bank 100). */
const longest = (): Certificate =>
  certificate({
    contractor: { name: "株".repeat(200), address: "鹿".repeat(300) },
    beneficiary: "発".repeat(200),
    projectName: "工".repeat(200),
    depositBank: "銀".repeat(100),
    status: "cancelled",
    version: 30,
    versionLabel: "変更29",
  });
const page = { x: 40, y: 40, w: A4.width - 80, h: A4.height - 80 };
const texts = (ops: { op: string; text?: string }[]) => ops.flatMap((o) => (o.op === "text" ? [o.text ?? ""] : [])).join("");

describe("the notice's layout", () => {
  const input = (c: Certificate): NoticeInput => ({
    certificate: c,
    authKey: "7KQ3-M9XD-2HVA-PR4F",
    issuedOn: "2026-12-01",
    origin: "http://localhost:4321",
  });

  it("holds every field, both sets of instructions and the QR code on the page", () => {
    const sheet = layoutNotice(input(certificate()), font.metrics);
    const all = texts(sheet.ops);
    for (const part of [
      "認証キー等のお知らせ",
      "発行日　令和8年12月1日",
      "株式会社日置建設　御中",
      "区分前払金保証",
      "保証契約番号2070004426",
      "認証キー7KQ3-M9XD-2HVA-PR4F",
      "工事名市道伊集院線改良工事（第２工区）",
      "受注者名株式会社日置建設",
      "発注者日置市長",
      "保証機関西日本建設業保証株式会社　鹿児島支店TEL 099-257-2722　FAX 0120-504-180",
      "【受注者様へ】",
      "電子契約システム",
      "取り違えないよう",
      "前払金の請求手続（前払金保証）",
      "【発注者様へ】",
      "http://localhost:4321/verify/",
    ]) {
      expect(all).toContain(part);
    }
    expect(sheet.ops.filter((o) => o.op === "cells")).toHaveLength(1);
    expect(sheet.within(page)).toBe(true);
    expect(all).not.toContain("解約");
  });
  it("says what a contract or an interim advance guarantee completes, and that a cancelled one is cancelled", () => {
    const all = texts(layoutNotice(input(certificate({ kind: "contract", kindLabel: "契約保証", status: "cancelled" })), font.metrics).ops);
    expect(all).toContain("請負契約の締結手続（契約保証）");
    expect(all).toContain("この保証契約は解約されています。");
    const interim = texts(layoutNotice(input(certificate({ kind: "intermediate", kindLabel: "中間前払金保証" })), font.metrics).ops);
    expect(interim).toContain("中間前払金の請求手続（中間前払金保証）");
  });
  it("shrinks the longest accepted values onto the one page, inside its margins", () => {
    const sheet = layoutNotice(input(longest()), font.metrics);
    expect(sheet.within(page)).toBe(true);
    expect(texts(sheet.ops)).toContain("工".repeat(20));
  });
});

describe("the certificate's layout", () => {
  const input = (c: Certificate, n = 1): CertificateInput => ({
    certificate: c,
    versions: Array.from({ length: n }, (_, i) => ({
      version: i + 1,
      label: i === 0 ? "新規" : `変更${i}`,
      issuedAt: "2026-01-05T10:30:00+09:00",
      reason: i === 0 ? "新規" : "変更",
    })),
    delivery: "electronic",
    issuerAddress: "大阪市西区立売堀二丁目1番2号",
  });

  it("holds the 保証証書 fields, the issuer and the history; no 変更 mark on the first version", () => {
    const sheet = layoutCertificate(input(certificate()), font.metrics);
    const all = texts(sheet.ops);
    for (const part of [
      "保証証書（前払金保証）",
      "発行日　令和8年1月5日",
      "保証契約番号2070004426",
      "保証契約者鹿児島県日置市伊集院町郡一丁目100番地株式会社日置建設",
      "被保証者日置市長",
      "保証金額（総額）20,000,000円",
      "保証期限令和8年3月20日",
      "請負金額（総額）50,000,000円",
      "工期令和7年7月1日 から 令和8年3月20日 まで",
      "前払金の預託金融機関鹿児島銀行　伊集院支店",
      "大阪市西区立売堀二丁目1番2号西日本建設業保証株式会社取扱箇所　鹿児島支店TEL 099-257-2722　FAX 0120-504-180",
      "No.電子保証発行日時対象1令和8年1月5日 10:30新規",
      "「認証キー等のお知らせ」",
    ]) {
      expect(all).toContain(part);
    }
    expect(all).not.toContain("変　更");
    expect(all).not.toContain("解");
    expect(sheet.within(page)).toBe(true);
  });
  it("marks a change under the title with 変更 and its number", () => {
    const all = texts(layoutCertificate(input(certificate({ version: 3, versionLabel: "変更2" }), 3), font.metrics).ops);
    expect(all).toContain("保証証書（前払金保証）変　更第2回の変更（変更2）による変更後の契約内容");
    expect(all).toContain("3令和8年1月5日 10:30変更（変更2）");
  });
  it("leaves out the deposit bank for a contract guarantee, and says 解約 for a cancelled one", () => {
    const all = texts(
      layoutCertificate(
        input(certificate({ kind: "contract", kindLabel: "契約保証", depositBank: null, status: "cancelled" })),
        font.metrics,
      ).ops,
    );
    expect(all).not.toContain("預託金融機関");
    expect(all).toContain("解　約");
    expect(all).toContain("状態解約（この保証契約は解約されています）");
  });
  it("shrinks the longest accepted values and 30 versions onto the one page, inside its margins", () => {
    const sheet = layoutCertificate(input(longest(), 30), font.metrics);
    expect(sheet.within(page)).toBe(true);
    expect(texts(sheet.ops)).toContain("（この間の変更 21 件は保証確認ページの履歴でご確認ください）");
  });
});

describe("the font as a static asset", () => {
  it("is copied by the build to the path the Worker fetches, a TrueType font with its OFL licence", () => {
    expect(PDF_FONT_PATH).toBe(FONT_PATH);
    expect(PDF_FONT_LICENCE_PATH).toBe("/fonts/OFL.txt");
    const { font: file, licence } = pdfFontSources();
    expect(existsSync(file) && existsSync(licence)).toBe(true);
    expect(isTrueType(new Uint8Array(readFileSync(file)))).toBe(true);
    expect(readFileSync(licence, "utf8")).toContain("SIL OPEN FONT LICENSE Version 1.1");
  });
});

describe("modules left out of the Worker", () => {
  it("are ones pdf-lib and fontkit really import, replaced by stand-ins that fail loudly", () => {
    const sources = (dir: string): string =>
      readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".js") && !e.name.endsWith(".d.ts"))
        .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
        .join("\n");
    const code = {
      "pdf-lib": sources("node_modules/pdf-lib/es"),
      fontkit: readFileSync("node_modules/fontkit/dist/browser-module.mjs", "utf8"),
    };
    for (const [specifier, from] of Object.entries(UNBUNDLED)) {
      expect(code[from as keyof typeof code], `${from} imports ${specifier}`).toMatch(
        new RegExp(`from ["']${specifier.replace(/[./]/g, "\\$&")}["']`),
      );
    }
    expect(StandInFontNames).toEqual({ ...FontNames });
    expect(() => unbundled()).toThrow(/not in the Worker's bundle/);
    expect(() => unbundled.deflate()).toThrow(/pako/);
  });
});
