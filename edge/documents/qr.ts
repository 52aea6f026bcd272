// QR codes as vector rectangles: uqr gives the module matrix, each row's runs of dark modules
// become one rectangle, and pdf.ts fills them all as one path. No canvas, no image.
import { encode } from "uqr";
import type { Rect } from "./layout.ts";

export interface QrRuns {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Dark runs in module units, origin at the top left module. */
  runs: Rect[];
}

/**
 * Medium error correction: a printed, folded or photographed notice still reads. One fixed mask
 * pattern instead of scoring all eight (the standard's penalty rules only prefer one; any mask
 * decodes): 0.2 ms instead of 1.5 ms per notice. tests/unit/pdf-qr.test.ts decodes hundreds of
 * notice URLs with a scanner library (jsQR) to keep that true.
 */
export const QR_OPTIONS = { ecc: "M", border: 0, maskPattern: 2 } as const;

export function qrRuns(text: string): QrRuns {
  const qr = encode(text, QR_OPTIONS);
  const runs: Rect[] = [];
  qr.data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (row[x] !== true) {
        x++;
        continue;
      }
      const start = x;
      while (row[x] === true) x++;
      runs.push({ x: start, y, w: x - start, h: 1 });
    }
  });
  return { size: qr.size, runs };
}

/** The runs placed at (x, y) in points with `module` points per module. */
export function placeQr(qr: QrRuns, x: number, y: number, module: number): Rect[] {
  return qr.runs.map((r) => ({ x: x + r.x * module, y: y + r.y * module, w: r.w * module, h: r.h * module }));
}

/** The 4-module quiet zone the QR standard asks for, for the layout to keep clear. */
export const QUIET_ZONE_MODULES = 4;
