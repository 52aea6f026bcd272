// The notice (認証キー等のお知らせ) and certificate PDFs through the app in workerd: who may fetch
// them (owner, link holder; 401/403/404/410 otherwise), that the guards run once, how the font is
// found (the ASSETS binding, else FONT_URL), and what the files hold: one A4 page, the font subset,
// the Japanese text (through the ToUnicode map), the QR code as rectangles, 変更 and 解約.
// Rendering itself (glyphs really drawn) is checked on images in tests/e2e/pdf-render.test.ts.
import fontDataUrl from "@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf?inline";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { companies } from "../../db/schema/index.ts";
import { createApp } from "../../edge/app.ts";
import { FONT_PATH, fetchFontBytes } from "../../edge/documents/font.ts";
import { prefilledVerifyUrl } from "../../edge/documents/notice.ts";
import { qrRuns } from "../../edge/documents/qr.ts";
import { loadSession } from "../../edge/http/session.ts";
import { cookieOf } from "../http.ts";
import { makeStaff } from "./factories.ts";
import { expectProblem, json, type TestEnv, useTestDatabase } from "./helpers.ts";

const { env, db } = useTestDatabase();
let now = new Date("2026-12-01T01:00:00Z");
const app = createApp({ clock: () => now });
const ORIGIN = "http://localhost";
let serial = 0;

/** The font as the assets would serve it, from the bytes vite inlined into this test. */
let assetRequests: string[] = [];
const assets = {
  async fetch(input: Request | URL | string) {
    assetRequests.push(new URL(input instanceof Request ? input.url : input).pathname);
    return fetch(fontDataUrl);
  },
};
const withAssets = (): TestEnv => ({ ...env(), ASSETS: assets });

function send(path: string, cookie = "", options: { method?: string; body?: unknown; env?: TestEnv } = {}) {
  const headers: Record<string, string> = { cookie, origin: ORIGIN };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return app.request(
    path,
    { method: options.method ?? "GET", headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) },
    options.env ?? withAssets(),
  );
}

async function contractor(name = "株式会社日置建設") {
  const res = await send("/api/v1/auth/register", "", {
    method: "POST",
    body: {
      email: `doc${serial++}@example.jp`,
      password: "contractor password",
      company: { name, address: "鹿児島県日置市伊集院町郡一丁目100番地", representative: "代表 日置一郎" },
    },
  });
  expect(res.status).toBe(201);
  const { company } = await json<{ company: { id: string } }>(res);
  await db().update(companies).set({ status: "approved", approvedAt: now.toISOString() }).where(eq(companies.id, company.id));
  return cookieOf(res);
}

async function staff() {
  const { email, password } = await makeStaff(db(), { guarantorId: "wjcs" });
  return cookieOf(await send("/api/v1/auth/login", "", { method: "POST", body: { email, password } }));
}

/** An issued application of two guarantees (an electronic advance, a contract one on paper or not). */
async function issued(options: { paperContract?: boolean } = {}) {
  const owner = await contractor();
  const desk = await staff();
  const notifyEmail = `notify${serial++}@example.jp`;
  const created = await send("/api/v1/applications", owner, {
    method: "POST",
    body: {
      project: {
        name: "市道伊集院線改良工事（第２工区）",
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
        { kind: "contract", amount: 5_000_000, delivery: options.paperContract ? "paper" : "electronic" },
      ],
      branchId: "wjcs-kagoshima",
      notifyEmail,
      contact: { name: "鹿児島太郎", phone: "099-000-0000" },
    },
  });
  const { id } = await json<{ id: string }>(created);
  expect((await send(`/api/v1/applications/${id}/submit`, owner, { method: "POST" })).status).toBe(200);
  const res = await send(`/api/v1/staff/applications/${id}/issue`, desk, { method: "POST" });
  expect(res.status).toBe(200);
  const { guarantees } = await json<{ guarantees: { contractNumber: string; kind: string }[] }>(res);
  const [advance, contract] = guarantees.map((g) => g.contractNumber) as [string, string];
  const authKey = (await json<{ authKey: string }>(await send(`/api/v1/guarantees/${advance}/auth-key`, owner))).authKey;
  return { owner, desk, advance, contract, authKey, notifyEmail };
}

// ---- reading a PDF inside workerd (no poppler here) -------------------------------------------

const binary = (bytes: Uint8Array) => {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
};

async function inflate(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate"));
  return binary(new Uint8Array(await new Response(stream).arrayBuffer()));
}

interface Pdf {
  raw: string;
  size: number;
  /** Every stream's dictionary and its (inflated) content. */
  streams: { dict: string; content: string }[];
  title: string;
}

async function readPdf(res: Response): Promise<Pdf> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const bytes = new Uint8Array(await res.arrayBuffer());
  const raw = binary(bytes);
  const streams: Pdf["streams"] = [];
  for (const m of raw.matchAll(/<<((?:(?!>>\s*stream)[\s\S])*?)>>\s*stream\r?\n/g)) {
    const length = Number(/\/Length (\d+)/.exec(m[1] ?? "")?.[1]);
    const start = (m.index ?? 0) + m[0].length;
    const data = bytes.subarray(start, start + length);
    streams.push({ dict: m[1] ?? "", content: (m[1] ?? "").includes("/FlateDecode") ? await inflate(data) : binary(data) });
  }
  // Info strings are UTF-16BE hex with a byte order mark.
  const hex = /\/Title <FEFF([0-9A-F]*)>/i.exec(raw)?.[1] ?? "";
  let title = "";
  for (let i = 0; i < hex.length; i += 4) title += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return { raw, size: bytes.length, streams, title };
}

/** The characters the font subset maps back to Unicode (what a text search or copy finds). */
function mappedCharacters(pdf: Pdf): Set<string> {
  const cmap = pdf.streams.find((s) => s.content.includes("begincmap"))?.content ?? "";
  const chars = new Set<string>();
  for (const m of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]{4,})>/gi)) chars.add(String.fromCodePoint(Number.parseInt(m[2] ?? "", 16)));
  return chars;
}
const missing = (pdf: Pdf, text: string) => [...new Set(text)].filter((ch) => ch.trim() !== "" && !mappedCharacters(pdf).has(ch));

function expectOneA4Page(pdf: Pdf) {
  expect(pdf.raw.startsWith("%PDF-")).toBe(true);
  expect(pdf.raw.match(/\/Type \/Page\b/g)).toHaveLength(1);
  expect(pdf.raw).toMatch(/\/MediaBox \[ ?0 0 595\.28 841\.89 ?\]/);
  expect(pdf.raw).toContain("/FontFile2"); // TrueType, embedded
  expect(pdf.raw).toMatch(/\/CIDToGIDMap|\/CIDFontType2/);
}

// ---- tests -------------------------------------------------------------------------------------

describe("the font", () => {
  // First in this file: nothing has loaded the font in this isolate yet.
  it("is fetched once per isolate from the ASSETS binding at /fonts/, then kept", async () => {
    const g = await issued();
    assetRequests = [];
    const [first, second] = await Promise.all([
      send(`/api/v1/guarantees/${g.advance}/notice.pdf`, g.owner),
      send(`/api/v1/guarantees/${g.advance}/certificate.pdf`, g.owner),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    // Concurrent first requests may each fetch it (no shared promise across requests); later ones never do.
    expect(assetRequests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(assetRequests)).toEqual(new Set([FONT_PATH]));
    assetRequests = [];
    expect((await send(`/api/v1/guarantees/${g.advance}/notice.pdf`, g.owner)).status).toBe(200);
    expect(assetRequests).toEqual([]);
  });

  it("comes from FONT_URL where there is no ASSETS binding, and a file that is not TrueType is refused", async () => {
    const bytes = await fetchFontBytes({ kind: "url", url: fontDataUrl });
    expect(bytes.length).toBeGreaterThan(4_000_000);
    const fromAssets = await fetchFontBytes({ kind: "assets", assets, origin: "https://example.jp" });
    expect(fromAssets.length).toBe(bytes.length);
    const html = { fetch: async () => new Response("<!doctype html><title>404</title>", { headers: { "content-type": "text/html" } }) };
    await expect(fetchFontBytes({ kind: "assets", assets: html, origin: "https://example.jp" })).rejects.toThrow(/not a TrueType font/);
    const gone = { fetch: async () => new Response("missing", { status: 404 }) };
    await expect(fetchFontBytes({ kind: "assets", assets: gone, origin: "https://example.jp" })).rejects.toThrow(/answered 404/);
    // Through the app with FONT_URL only.
    const g = await issued();
    const res = await send(`/api/v1/guarantees/${g.advance}/notice.pdf`, g.owner, { env: { ...env(), FONT_URL: fontDataUrl } });
    expectOneA4Page(await readPdf(res));
  });
});

describe("GET /api/v1/guarantees/{number}/notice.pdf", () => {
  it("is one A4 page under 80 KB with the number, the key, the project, the parties and a QR code of the prefilled verification page", async () => {
    const g = await issued();
    const res = await send(`/api/v1/guarantees/${g.advance}/notice.pdf`, g.owner);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="notice-${g.advance}.pdf"; filename*=UTF-8''${encodeURIComponent(`認証キー等のお知らせ_${g.advance}.pdf`)}`,
    );
    const pdf = await readPdf(res);
    expectOneA4Page(pdf);
    expect(pdf.size).toBeLessThanOrEqual(80 * 1024);
    expect(pdf.title).toBe(`認証キー等のお知らせ（保証契約番号 ${g.advance}）`);
    for (const text of [
      "認証キー等のお知らせ",
      "区分前払金保証",
      `保証契約番号${g.advance}`,
      `認証キー${g.authKey}`,
      "工事名市道伊集院線改良工事（第２工区）",
      "受注者名株式会社日置建設",
      "発注者日置市長",
      "保証機関西日本建設業保証株式会社鹿児島支店",
      "令和8年12月1日",
      "受注者様へ発注者様へ電子契約システム電子メール保証確認ページ",
    ]) {
      expect(missing(pdf, text), text).toEqual([]);
    }
    // The QR code: one rectangle per run of dark modules of the prefilled URL's code, no more.
    const content = pdf.streams.find((s) => s.content.includes(" Tj") || s.content.includes("TJ"))?.content ?? "";
    const rects = content.match(/^[\d.-]+ [\d.-]+ [\d.-]+ [\d.-]+ re$/gm) ?? [];
    expect(rects.length).toBe(qrRuns(prefilledVerifyUrl(ORIGIN, g.advance, g.authKey)).runs.length);
    // The key is in the page, never in the file's metadata.
    expect(pdf.raw).not.toContain(g.authKey);
  });

  it("is 401 without a session, 403 for staff, 404 for another company's number or a paper guarantee (no key)", async () => {
    const g = await issued({ paperContract: true });
    const path = `/api/v1/guarantees/${g.advance}/notice.pdf`;
    await expectProblem(await send(path, ""), 401, "unauthorized");
    await expectProblem(await send(path, g.desk), 403, "forbidden");
    const other = await contractor("株式会社ほか建設");
    await expectProblem(await send(path, other), 404, "not_found");
    await expectProblem(await send(`/api/v1/guarantees/${g.advance}/certificate.pdf`, other), 404, "not_found");
    await expectProblem(await send("/api/v1/guarantees/9999999999/notice.pdf", g.owner), 404, "not_found");
    await expectProblem(await send(`/api/v1/guarantees/${g.contract}/notice.pdf`, g.owner), 404, "no_auth_key");
    // The paper guarantee's certificate is still there, marked as a copy for checking.
    const paper = await readPdf(await send(`/api/v1/guarantees/${g.contract}/certificate.pdf`, g.owner));
    expect(missing(paper, "この保証は証書（紙）で発行されています。内容確認用原本")).toEqual([]);
  });

  it("runs the session guards once: this router answers before guaranteeRoutes' /guarantees/* middleware", () => {
    for (const path of ["/api/v1/guarantees/2070000001/notice.pdf", "/api/v1/guarantees/2070000001/certificate.pdf"]) {
      const [matches] = app.router.match("GET", path);
      const chain = matches.map((m) => m[0]);
      const last = chain.findLastIndex(([, route]) => route.path.endsWith(".pdf"));
      expect(last).toBeGreaterThan(0);
      // Handlers after the one that answers never run.
      const ran = chain.slice(0, last + 1).map(([handler]) => handler);
      expect(ran.filter((h) => h === loadSession)).toHaveLength(1);
    }
  });
});

describe("GET /api/v1/guarantees/{number}/certificate.pdf", () => {
  it("prints the certificate's fields; a change adds 変更 and its number under the title and a history row; cancelling says 解約", async () => {
    const g = await issued();
    const path = `/api/v1/guarantees/${g.advance}/certificate.pdf`;
    const first = await readPdf(await send(path, g.owner));
    expectOneA4Page(first);
    expect(first.title).toBe(`保証証書（前払金保証）保証契約番号 ${g.advance}（新規）`);
    for (const text of [
      "保証証書（前払金保証）",
      "発行日令和8年12月1日",
      `保証契約番号${g.advance}`,
      "保証契約者鹿児島県日置市伊集院町郡一丁目100番地株式会社日置建設",
      "被保証者日置市長",
      "保証金額（総額）20,000,000円",
      "保証期限令和8年3月20日",
      "請負金額（総額）50,000,000円",
      "工期令和7年7月1日から",
      "前払金の預託金融機関鹿児島銀行　伊集院支店",
      "西日本建設業保証株式会社大阪市西区立売堀二丁目1番2号取扱箇所鹿児島支店TEL099-257-2722FAX0120-504-180",
      "電子保証情報（履歴）No.電子保証発行日時対象新規",
    ]) {
      expect(missing(first, text), text).toEqual([]);
    }
    expect(missing(first, "解")).toEqual(["解"]); // not cancelled: no 解約 anywhere

    now = new Date("2026-12-01T02:30:00Z");
    const changed = await send(`/api/v1/staff/guarantees/${g.advance}/versions`, g.desk, {
      method: "POST",
      body: { reason: "change", changes: { amount: 18_000_000 } },
    });
    expect(changed.status).toBe(201);
    const second = await readPdf(await send(path, g.owner));
    expect(second.title).toBe(`保証証書（前払金保証）保証契約番号 ${g.advance}（変更1）`);
    expect(missing(second, "第1回の変更（変更1）による変更後の契約内容18,000,000")).toEqual([]);

    const cancelled = await send(`/api/v1/staff/guarantees/${g.advance}/versions`, g.desk, { method: "POST", body: { reason: "cancel" } });
    expect(cancelled.status).toBe(201);
    const third = await readPdf(await send(path, g.owner));
    expect(missing(third, "解　約この保証契約は解約されています")).toEqual([]);
    const notice = await readPdf(await send(`/api/v1/guarantees/${g.advance}/notice.pdf`, g.owner));
    expect(missing(notice, "この保証契約は解約されています。")).toEqual([]);
  });
});

describe("the e-mailed link's PDFs (no login)", () => {
  async function linkToken(notifyEmail: string) {
    const outbox = await json<{ items: { to: string; links: string[] }[] }>(await send("/api/v1/dev/outbox"));
    const link = outbox.items.find((m) => m.to === notifyEmail)?.links[0] ?? "";
    return new URL(link).pathname.split("/")[2] ?? "";
  }

  it("serve the notice and the certificate of a number in the link's application, without a cookie", async () => {
    const g = await issued();
    const token = await linkToken(g.notifyEmail);
    const res = await send(`/api/v1/links/${token}/notice.pdf?number=${g.advance}`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const notice = await readPdf(res);
    expect(notice.title).toBe(`認証キー等のお知らせ（保証契約番号 ${g.advance}）`);
    expect(missing(notice, g.authKey)).toEqual([]);
    const certificate = await readPdf(await send(`/api/v1/links/${token}/certificate.pdf?number=${g.contract}`));
    expect(certificate.title).toBe(`保証証書（契約保証）保証契約番号 ${g.contract}（新規）`);
  });

  it("refuse a tampered or expired link, a number of another application, and a missing number", async () => {
    const g = await issued();
    const token = await linkToken(g.notifyEmail);
    const [h, p, sig] = token.split(".");
    const tampered = `${h}.${p}.${(sig ?? "").startsWith("A") ? `B${sig?.slice(1)}` : `A${sig?.slice(1)}`}`;
    await expectProblem(await send(`/api/v1/links/${tampered}/notice.pdf?number=${g.advance}`), 401, "link_invalid");
    await expectProblem(await send(`/api/v1/links/${tampered}/certificate.pdf?number=${g.advance}`), 401, "link_invalid");
    const other = await issued();
    await expectProblem(await send(`/api/v1/links/${token}/notice.pdf?number=${other.advance}`), 404, "not_found");
    await expectProblem(await send(`/api/v1/links/${token}/notice.pdf`), 422, "validation_failed");
    const saved = now;
    now = new Date(saved.getTime() + 15 * 86_400_000);
    try {
      await expectProblem(await send(`/api/v1/links/${token}/notice.pdf?number=${g.advance}`), 410, "link_expired");
    } finally {
      now = saved;
    }
  });
});

describe("the OpenAPI document", () => {
  it("documents the four PDF calls as application/pdf", async () => {
    const doc = await json<{ paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }> }>(
      await send("/api/v1/openapi.json"),
    );
    for (const path of [
      "/api/v1/guarantees/{number}/notice.pdf",
      "/api/v1/guarantees/{number}/certificate.pdf",
      "/api/v1/links/{token}/notice.pdf",
      "/api/v1/links/{token}/certificate.pdf",
    ]) {
      expect(Object.keys(doc.paths[path]?.get?.responses["200"]?.content ?? {}), path).toEqual(["application/pdf"]);
    }
  });
});
