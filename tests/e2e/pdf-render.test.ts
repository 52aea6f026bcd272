// The two PDFs through the real Worker (wrangler dev on workerd, the font from the built static
// assets): the demo contractor applies, the demo staff member issues, and the downloaded files are
// read with poppler as an agency's PC would: one A4 page each (pdfinfo), the text found by pdftotext,
// and the page rendered at 50 dpi (pdftoppm) with ink wherever the text layer says Japanese text
// is. That last check is the one that matters: a broken font subset (as @pdf-lib/fontkit makes with
// CJK TrueType fonts) leaves the text extractable while drawing nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cookieOf } from "../http.ts";
import { workerApi } from "../support/worker-api.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const dir = mkdtempSync(join(tmpdir(), "pdf-render-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = Date.now().toString(36);
const DPI = 50;

const { send, login } = workerApi(base);
const json = async <T>(res: Response) => (await res.json()) as T;

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect((await json<{ code: string }>(res)).code).toBe(code);
}

// ---- poppler -----------------------------------------------------------------------------------

const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });

async function download(res: Response, name: string): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const file = join(dir, name);
  writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
  return file;
}

/** pdfinfo's fields. */
function info(file: string): Record<string, string> {
  return Object.fromEntries(
    poppler("pdfinfo", file)
      .split("\n")
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((m) => m !== null)
      .map((m) => [m[1] as string, m[2] as string]),
  );
}

/** The text as a reader's search finds it (spaces and line ends dropped: layout is not the point here). */
const text = (file: string) => poppler("pdftotext", "-enc", "UTF-8", file, "-").replace(/\s+/g, "");

/** Page 1 rendered at 50 dpi as greyscale (pdftoppm's PGM: the same rasteriser as -png, no decoder needed). */
function render(file: string) {
  const out = join(dir, `${file.split("/").at(-1)}-page`);
  poppler("pdftoppm", "-r", String(DPI), "-gray", "-singlefile", "-f", "1", "-l", "1", file, out);
  const data = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString("latin1"));
  if (header === null) throw new Error("pdftoppm wrote no PGM");
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = data.subarray(header[0].length);
  /** Share of inked pixels (any clear grey: small grey text at 50 dpi is light) in a box given in points. */
  const ink = (x0: number, y0: number, x1: number, y1: number) => {
    const s = DPI / 72;
    let dark = 0;
    let all = 0;
    for (let y = Math.floor(y0 * s); y < Math.ceil(y1 * s); y++) {
      for (let x = Math.floor(x0 * s); x < Math.ceil(x1 * s); x++) {
        all++;
        if ((pixels[y * width + x] as number) < 200) dark++;
      }
    }
    return all === 0 ? 0 : dark / all;
  };
  return { width, height, ink };
}

/** What a phone's scanner (jsQR) reads from page 1 printed at 150 dpi, or null. */
function scanQr(file: string): string | null {
  const out = join(dir, `${file.split("/").at(-1)}-scan`);
  poppler("pdftoppm", "-r", "150", "-gray", "-singlefile", "-f", "1", "-l", "1", file, out);
  const data = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString("latin1"));
  if (header === null) throw new Error("pdftoppm wrote no PGM");
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = data.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([pixels[i] as number, pixels[i] as number, pixels[i] as number, 255], i * 4);
  return jsQR(rgba, width, height)?.data ?? null;
}

/** The words pdftotext places on page 1, with their boxes in points. */
function words(file: string) {
  const html = poppler("pdftotext", "-bbox", "-enc", "UTF-8", "-f", "1", "-l", "1", file, "-");
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    box: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const,
    word: m[5] as string,
  }));
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff]/u;

/**
 * Not blank, and every Japanese word the text layer holds is drawn: ink inside its box (a blank
 * glyph leaves its box white; drawn text at 50 dpi inks 5–40% of it, small grey notes the least).
 */
function expectDrawnJapanese(file: string) {
  const page = render(file);
  expect(Math.abs(page.width - (595.28 * DPI) / 72)).toBeLessThan(1.5);
  expect(page.ink(0, 0, 595.28, 841.89)).toBeGreaterThan(0.01);
  const japanese = words(file).filter((w) => CJK.test(w.word) && [...w.word].length >= 2);
  expect(japanese.length).toBeGreaterThan(20);
  const blank = japanese.map((w) => ({ ...w, ink: page.ink(...w.box) })).filter((w) => w.ink < 0.03);
  expect(blank, `words with (almost) no ink: ${blank.map((w) => `${w.word} ${w.ink.toFixed(3)}`).join(", ")}`).toEqual([]);
  // And a margin with no text has none.
  expect(page.ink(5, 5, 40, 835)).toBe(0);
}

// ---- the journey -------------------------------------------------------------------------------

interface Issued {
  contractor: string;
  staff: string;
  advance: string;
  contract: string;
  authKey: string;
  notifyEmail: string;
}
let g: Issued;

beforeAll(async () => {
  const contractor = await login(demo.contractor.email, demo.contractor.password);
  const staff = await login(demo.staff.email, demo.staff.password);
  const notifyEmail = `pdf-${run}@example.jp`;
  const created = await send("POST", "/api/v1/applications", contractor, {
    project: {
      name: `帳票確認 ${run} 市道伊集院線改良工事（第２工区）`,
      agencyId: "462161",
      beneficiary: "日置市長",
      location: "鹿児島県日置市伊集院町",
      workType: "construction",
      contractPrice: 50_000_000,
      periodFrom: "2025-07-01",
      periodTo: "2026-03-20",
      bidAnnouncedOn: "2025-06-02",
      contractedOn: "2025-06-25",
    },
    guarantees: [
      { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: "鹿児島銀行　伊集院支店" },
      { kind: "contract", amount: 5_000_000, delivery: "electronic" },
    ],
    branchId: "wjcs-kagoshima",
    notifyEmail,
    contact: { name: "鹿児島太郎", phone: "099-000-0000" },
  });
  expect(created.status).toBe(201);
  const { id } = await json<{ id: string }>(created);
  expect((await send("POST", `/api/v1/applications/${id}/submit`, contractor)).status).toBe(200);
  const issued = await send("POST", `/api/v1/staff/applications/${id}/issue`, staff);
  expect(issued.status).toBe(200);
  const { guarantees } = await json<{ guarantees: { contractNumber: string }[] }>(issued);
  const [advance, contract] = guarantees.map((x) => x.contractNumber) as [string, string];
  const { authKey } = await json<{ authKey: string }>(await send("GET", `/api/v1/guarantees/${advance}/auth-key`, contractor));
  g = { contractor, staff, advance, contract, authKey, notifyEmail };
});

describe("the notice and certificate PDFs from the Worker", () => {
  it("serves the font as a static asset with its OFL licence", async () => {
    const font = await fetch(`${base}/fonts/BIZUDPGothic-Regular.ttf`);
    expect(font.status).toBe(200);
    expect(Number(font.headers.get("content-length") ?? (await font.clone().arrayBuffer()).byteLength)).toBeGreaterThan(4_000_000);
    await font.body?.cancel();
    expect(await (await fetch(`${base}/fonts/OFL.txt`)).text()).toContain("SIL OPEN FONT LICENSE Version 1.1");
  });

  it("notice.pdf: one A4 page under 80 KB, its text searchable and its Japanese glyphs drawn", async () => {
    const file = await download(await send("GET", `/api/v1/guarantees/${g.advance}/notice.pdf`, g.contractor), "notice.pdf");
    const meta = info(file);
    expect(meta["Pages"]).toBe("1");
    expect(meta["Page size"]).toBe("595.28 x 841.89 pts (A4)");
    expect(Number.parseInt(meta["File size"] ?? "", 10)).toBeLessThanOrEqual(80 * 1024);
    expect(meta["Title"]).toBe(`認証キー等のお知らせ（保証契約番号 ${g.advance}）`);
    const found = text(file);
    for (const part of [
      "認証キー等のお知らせ",
      "区分前払金保証",
      `保証契約番号${g.advance}`,
      `認証キー${g.authKey}`,
      `工事名帳票確認${run}市道伊集院線改良工事（第２工区）`,
      `受注者名${demo.contractor.companyName}`,
      "発注者日置市長",
      "保証機関西日本建設業保証株式会社鹿児島支店",
      "【受注者様へ】",
      "【発注者様へ】",
      `保証確認ページ（${base}/verify/）`,
    ]) {
      expect(found).toContain(part.replace(/\s+/g, ""));
    }
    expect(found).toMatch(/発行日令和\d+年\d+月\d+日/);
    expectDrawnJapanese(file);
    // The QR code scans to the verification page, pre-filled, the key in the fragment only.
    expect(scanQr(file)).toBe(`${base}/verify/#n=${g.advance}&k=${encodeURIComponent(g.authKey)}`);
  });

  it("certificate.pdf: one A4 page with the certificate's fields drawn; after a change it says 変更1", async () => {
    const path = `/api/v1/guarantees/${g.advance}/certificate.pdf`;
    const first = await download(await send("GET", path, g.contractor), "certificate-1.pdf");
    expect(info(first)["Pages"]).toBe("1");
    expect(info(first)["Page size"]).toBe("595.28 x 841.89 pts (A4)");
    const found = text(first);
    for (const part of [
      "保証証書（前払金保証）",
      `保証契約番号${g.advance}`,
      "被保証者日置市長",
      "保証金額（総額）20,000,000円",
      "請負金額（総額）50,000,000円",
      "工期令和7年7月1日から令和8年3月20日まで",
      "前払金の預託金融機関鹿児島銀行伊集院支店",
      "取扱箇所鹿児島支店",
      "電子保証情報（履歴）",
    ]) {
      expect(found).toContain(part);
    }
    expect(found).not.toContain("第1回の変更");
    expectDrawnJapanese(first);

    const changed = await send("POST", `/api/v1/staff/guarantees/${g.advance}/versions`, g.staff, {
      reason: "change",
      changes: { amount: 18_000_000 },
    });
    expect(changed.status).toBe(201);
    const second = await download(await send("GET", path, g.contractor), "certificate-2.pdf");
    const after = text(second);
    expect(after).toContain("変更第1回の変更（変更1）による変更後の契約内容");
    expect(after).toContain("保証金額（総額）18,000,000円");
    expect(info(second)["Pages"]).toBe("1");
    expectDrawnJapanese(second);
  });

  it("is 404 problem+json for another company's number, 401 without a session", async () => {
    const reg = await send("POST", "/api/v1/auth/register", "", {
      email: `pdf-other-${run}@example.jp`,
      password: "another contractor password",
      company: { name: `株式会社ほか建設 ${run}`, address: "鹿児島県鹿児島市1番地", representative: "代表 他" },
    });
    expect(reg.status).toBe(201);
    const other = cookieOf(reg);
    await expectProblem(await send("GET", `/api/v1/guarantees/${g.advance}/notice.pdf`, other), 404, "not_found");
    await expectProblem(await send("GET", `/api/v1/guarantees/${g.advance}/certificate.pdf`, other), 404, "not_found");
    await expectProblem(await send("GET", `/api/v1/guarantees/${g.advance}/notice.pdf`, ""), 401, "unauthorized");
  });

  it("the e-mailed link gives both PDFs without a cookie, and refuses a tampered token", async () => {
    const outbox = await json<{ items: { to: string; links: string[] }[] }>(await send("GET", "/api/v1/dev/outbox", ""));
    const link = outbox.items.find((m) => m.to === g.notifyEmail)?.links[0];
    if (link === undefined) throw new Error("no mail with a link for this application");
    const token = new URL(link).pathname.split("/")[2] ?? "";
    const notice = await download(await fetch(`${base}/api/v1/links/${token}/notice.pdf?number=${g.contract}`), "link-notice.pdf");
    const found = text(notice);
    expect(found).toContain(`保証契約番号${g.contract}`);
    expect(found).toContain("区分契約保証");
    expect(found).toContain("請負契約の締結手続（契約保証）");
    expectDrawnJapanese(notice);
    const certificate = await download(await fetch(`${base}/api/v1/links/${token}/certificate.pdf?number=${g.advance}`), "link-cert.pdf");
    expect(text(certificate)).toContain("変更1");

    const [h, p, sig] = token.split(".");
    const tampered = `${h}.${p}.${(sig ?? "").startsWith("A") ? `B${sig?.slice(1)}` : `A${sig?.slice(1)}`}`;
    await expectProblem(await fetch(`${base}/api/v1/links/${tampered}/notice.pdf?number=${g.contract}`), 401, "link_invalid");
  });
});
