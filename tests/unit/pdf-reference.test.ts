// The two PDFs rendered by poppler (pdftoppm, 60 dpi, greyscale) and compared with reviewed
// reference images in tests/fixtures/pdf/: a broken font subset, a lost field, a moved block or a
// QR code drawn wrong changes many pixels; anti-aliasing and poppler versions change few. The
// references were looked at by a person (their PNG twins are in the same folder for that). After
// an intended layout change: UPDATE_PDF_REFERENCES=1 npx vitest run --project node
// tests/unit/pdf-reference.test.ts, then look at the new PNGs before committing them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderCertificate } from "../../edge/documents/certificate.ts";
import { parseFont } from "../../edge/documents/font.ts";
import { renderNotice } from "../../edge/documents/notice.ts";
import { pdfFontSources } from "../../site/integrations/pdf-font.ts";
import { sampleCertificate } from "../support/fixtures.ts";

const fixtures = join(import.meta.dirname, "../fixtures/pdf");
const dir = mkdtempSync(join(tmpdir(), "pdf-reference-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const update = process.env["UPDATE_PDF_REFERENCES"] === "1";
const DPI = "60";
const font = parseFont(new Uint8Array(readFileSync(pdfFontSources().font)));
const createdAt = new Date("2026-12-01T00:00:00Z");

const certificate = sampleCertificate({ version: 3, versionLabel: "変更2" });

interface Grey {
  width: number;
  height: number;
  pixels: Uint8Array;
}

function rasterise(pdf: Uint8Array, name: string): { pgm: Buffer; png: Buffer; image: Grey } {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync("pdftoppm", ["-r", DPI, "-gray", "-singlefile", file, join(dir, name)]);
  execFileSync("pdftoppm", ["-r", DPI, "-gray", "-png", "-singlefile", file, join(dir, name)]);
  const pgm = readFileSync(join(dir, `${name}.pgm`));
  return { pgm, png: readFileSync(join(dir, `${name}.png`)), image: readPgm(pgm) };
}

function readPgm(data: Buffer): Grey {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString("latin1"));
  if (header === null) throw new Error("not a PGM");
  return { width: Number(header[1]), height: Number(header[2]), pixels: data.subarray(header[0].length) };
}

/** Share of pixels that differ by more than a quarter of the grey range, and the mean difference. */
function compare(a: Grey, b: Grey): { differing: number; mean: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let differing = 0;
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++) {
    const d = Math.abs((a.pixels[i] as number) - (b.pixels[i] as number));
    sum += d;
    if (d > 64) differing++;
  }
  return { differing: differing / a.pixels.length, mean: sum / a.pixels.length };
}

async function expectLikeReference(name: string, pdf: Uint8Array): Promise<void> {
  const { pgm, png, image } = rasterise(pdf, name);
  const reference = join(fixtures, `${name}.pgm`);
  if (update || !existsSync(reference)) {
    if (!update) throw new Error(`no reference ${reference}: run with UPDATE_PDF_REFERENCES=1 and review ${name}.png`);
    writeFileSync(reference, pgm);
    writeFileSync(join(fixtures, `${name}.png`), png);
    return;
  }
  const { differing, mean } = compare(image, readPgm(readFileSync(reference)));
  // Measured between poppler runs: 0. One line of text left out: 0.0015 (tested below).
  expect(differing, `${name}: share of pixels that differ`).toBeLessThan(0.0005);
  expect(mean, `${name}: mean grey difference`).toBeLessThan(0.5);
}

describe("the PDFs look like their reviewed references", () => {
  it("the notice (認証キー等のお知らせ), a 変更2 of a 前払金保証", async () => {
    const pdf = await renderNotice(
      { certificate, authKey: "7KQ3-M9XD-2HVA-PR4F", issuedOn: "2026-12-01", origin: "https://denshi-hosho.example" },
      font,
      createdAt,
    );
    await expectLikeReference("notice", pdf);
  });

  it("the certificate (保証証書) with its 変更 mark and history", async () => {
    const pdf = await renderCertificate(
      {
        certificate,
        versions: [
          { version: 1, label: "新規", issuedAt: "2025-06-30T09:00:00+09:00", reason: "新規" },
          { version: 2, label: "変更1", issuedAt: "2025-10-01T09:00:00+09:00", reason: "変更" },
          { version: 3, label: "変更2", issuedAt: "2026-01-05T10:30:00+09:00", reason: "変更" },
        ],
        delivery: "electronic",
        issuerAddress: "大阪市西区立売堀二丁目1番2号",
      },
      font,
      createdAt,
    );
    await expectLikeReference("certificate", pdf);
  });

  it("would notice a lost line: the notice without its project name differs beyond the tolerance", async () => {
    const changed = await renderNotice(
      {
        certificate: { ...certificate, projectName: "" },
        authKey: "7KQ3-M9XD-2HVA-PR4F",
        issuedOn: "2026-12-01",
        origin: "https://denshi-hosho.example",
      },
      font,
      createdAt,
    );
    const reference = join(fixtures, "notice.pgm");
    if (!existsSync(reference)) return;
    const { differing } = compare(rasterise(changed, "notice-changed").image, readPgm(readFileSync(reference)));
    expect(differing).toBeGreaterThan(0.0005);
  });
});
