// The notice's QR code: uqr's module matrix becomes one rectangle per run of dark modules, and the
// PDF drawn from them rasterises (poppler's pdftoppm) to exactly that matrix, quiet zone white.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { encode } from "uqr";
import { afterAll, describe, expect, it } from "vitest";
import { parseFont } from "../../edge/documents/font.ts";
import { BLACK, type Op } from "../../edge/documents/layout.ts";
import { prefilledVerifyUrl } from "../../edge/documents/notice.ts";
import { writePdf } from "../../edge/documents/pdf.ts";
import { placeQr, QR_OPTIONS, QUIET_ZONE_MODULES, qrRuns } from "../../edge/documents/qr.ts";
import { ALPHABET, checkSymbol, formatKey } from "../../edge/domain/auth-key.ts";
import { pdfFontSources } from "../../site/integrations/pdf-font.ts";

const dir = mkdtempSync(join(tmpdir(), "pdf-qr-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const url = prefilledVerifyUrl("https://denshi-hosho.example", "2070004426", "7KQ3-M9XD-2HVA-PR4F");

/** A binary greyscale PGM (P5) as pdftoppm -gray writes it. */
function readPgm(file: string) {
  const data = readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString("latin1"));
  if (header === null) throw new Error(`not a PGM: ${file}`);
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = data.subarray(header[0].length);
  return { width, height, pixels, at: (x: number, y: number) => pixels[Math.floor(y) * width + Math.floor(x)] as number };
}

/** What a phone's scanner reads from a greyscale image (jsQR), or null. */
function scan(width: number, height: number, grey: (i: number) => number): string | null {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = grey(i);
    rgba.set([v, v, v, 255], i * 4);
  }
  return jsQR(rgba, width, height)?.data ?? null;
}

/** The QR code of `text` as a scanner would see it on paper: 3 px per module, 4 modules of quiet zone. */
function scanMatrixOf(text: string): string | null {
  const { data, size } = encode(text, QR_OPTIONS);
  const px = 3;
  const side = (size + 2 * QUIET_ZONE_MODULES) * px;
  return scan(side, side, (i) => {
    const [x, y] = [Math.floor((i % side) / px) - QUIET_ZONE_MODULES, Math.floor(Math.floor(i / side) / px) - QUIET_ZONE_MODULES];
    return data[y]?.[x] === true ? 0 : 255;
  });
}

/** A random key of the notice's form (15 symbols and the check symbol). */
function randomKey(): string {
  let body = "";
  for (const b of crypto.getRandomValues(new Uint8Array(15))) body += ALPHABET[b % 32];
  return formatKey(body + checkSymbol(body));
}

describe("QR code as rectangles", () => {
  it("covers exactly the dark modules of uqr's matrix, each run once", () => {
    const qr = qrRuns(url);
    const matrix = encode(url, QR_OPTIONS).data;
    expect(qr.size).toBe(matrix.length);
    const drawn = matrix.map((row) => row.map(() => 0));
    for (const r of qr.runs) {
      expect(r.h).toBe(1);
      for (let x = r.x; x < r.x + r.w; x++) (drawn[r.y] as number[])[x] = ((drawn[r.y] as number[])[x] as number) + 1;
    }
    expect(drawn).toEqual(matrix.map((row) => row.map((dark) => (dark ? 1 : 0))));
    // Far fewer rectangles than dark modules.
    expect(qr.runs.length).toBeLessThan(matrix.flat().filter(Boolean).length * 0.7);
  });

  it("scales and places runs in points", () => {
    expect(placeQr({ size: 2, runs: [{ x: 1, y: 1, w: 1, h: 1 }] }, 100, 200, 2.5)).toEqual([{ x: 102.5, y: 202.5, w: 2.5, h: 2.5 }]);
  });

  it("rasterises from the PDF to the same matrix, with a white quiet zone", async () => {
    const font = parseFont(new Uint8Array(readFileSync(pdfFontSources().font)));
    const qr = qrRuns(url);
    const module = 4; // points; at 72 dpi, 4 pixels
    const [x0, y0] = [40, 40];
    const ops: Op[] = [
      { op: "cells", cells: placeQr(qr, x0, y0, module), color: BLACK },
      { op: "text", x: 40, y: 300, size: 10, text: "保証確認ページ", color: BLACK },
    ];
    const pdf = await writePdf(ops, font, { title: "QR", subject: "QR", author: "test", keywords: [], createdAt: new Date(0) });
    writeFileSync(join(dir, "qr.pdf"), pdf);
    execFileSync("pdftoppm", ["-r", "72", "-gray", "-singlefile", join(dir, "qr.pdf"), join(dir, "qr")]);
    const image = readPgm(join(dir, "qr.pgm"));
    const matrix = encode(url, QR_OPTIONS).data;
    const seen = matrix.map((row, j) => row.map((_, i) => image.at(x0 + (i + 0.5) * module, y0 + (j + 0.5) * module) < 128));
    expect(seen).toEqual(matrix);
    // The quiet zone (4 modules around) is white.
    const quiet = QUIET_ZONE_MODULES * module;
    for (let k = 0; k < qr.size * module; k += 2) {
      for (const [x, y] of [
        [x0 - quiet / 2, y0 + k],
        [x0 + qr.size * module + quiet / 2, y0 + k],
        [x0 + k, y0 - quiet / 2],
        [x0 + k, y0 + qr.size * module + quiet / 2],
      ] as const) {
        expect(image.at(x, y)).toBeGreaterThan(250);
      }
    }
    // And a scanner reads the rendered page back to the URL.
    expect(scan(image.width, image.height, (i) => image.pixels[i] as number)).toBe(url);
  });

  it("decodes with a scanner library for 300 random notice URLs (the fixed mask never hurts)", () => {
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const number = String(2_070_000_000 + Math.floor(Math.random() * 9_999_999));
      const text = prefilledVerifyUrl("https://denshi-hosho.example", number, randomKey());
      if (scanMatrixOf(text) !== text) failures.push(text);
    }
    expect(failures).toEqual([]);
  });
});
