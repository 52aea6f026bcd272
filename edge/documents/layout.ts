// Page layout without a PDF library: documents are laid out as a list of drawing operations in
// points on an A4 page, measured with the font's advance widths, then written by pdf.ts. Pure, so
// wrapping, fitting and placement are tested in Node without rendering anything.
import { formatWareki } from "../domain/era.ts";

export const A4 = { width: 595.28, height: 841.89 } as const;

/** What layout needs to know of a font, in ems. */
export interface Metrics {
  /** Advance width of one code point. */
  advance(codePoint: number): number;
  /** Above the baseline (positive). */
  readonly ascent: number;
  /** Below the baseline (negative). */
  readonly descent: number;
}

/** An RGB colour, each part 0–1. */
export type Color = readonly [number, number, number];
export const BLACK: Color = [0, 0, 0];
export const GREY: Color = [0.35, 0.35, 0.35];
export const RED: Color = [0.75, 0.05, 0.05];
export const SHADE: Color = [0.93, 0.93, 0.93];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Drawing operations; y grows downwards from the top edge of the page (pdf.ts flips it). */
export type Op =
  /** One line of text; y is its baseline. */
  | { op: "text"; x: number; y: number; size: number; text: string; color: Color }
  | { op: "rect"; x: number; y: number; w: number; h: number; fill: Color | null; stroke: Color | null; lineWidth: number }
  | { op: "line"; x1: number; y1: number; x2: number; y2: number; color: Color; lineWidth: number }
  /** Filled rectangles as one path (a QR code's modules). */
  | { op: "cells"; cells: Rect[]; color: Color };

export function textWidth(metrics: Metrics, text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += metrics.advance(ch.codePointAt(0) as number);
  return em * size;
}

// Japanese line breaking (禁則), the common subset: these never start a line …
const NO_LINE_START = new Set([
  ..."、。，．,.・：；:;？！?!‼⁇⁈⁉ー～〜…‥）)］]｝}〕〉》」』】〙〗〟’”｠»ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ゛゜％%",
]);
// … and these never end one.
const NO_LINE_END = new Set([..."（(［[｛{〔〈《「『【〘〖〝‘“｟«"]);
/** Runs kept together when they fit on a line: Latin words, numbers, e-mail addresses, URLs. */
const WORD = /[A-Za-z0-9\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A@._\-/:#&=~+]+|\s+|./gsu;

/**
 * Breaks `text` into lines no wider than `width` at `size`: anywhere between Japanese characters,
 * at spaces between Latin words (a word longer than a line is broken inside), never before a
 * closing bracket or punctuation and never after an opening bracket (the character moves to the
 * next line together with its neighbour). Explicit newlines are kept.
 */
export function wrapText(text: string, width: number, size: number, metrics: Metrics): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) lines.push(...wrapParagraph(paragraph, width, size, metrics));
  return lines;
}

function wrapParagraph(text: string, width: number, size: number, metrics: Metrics): string[] {
  const measure = (s: string) => textWidth(metrics, s, size);
  const units: string[] = [];
  for (const unit of text.match(WORD) ?? []) {
    // A word wider than a line is broken into characters.
    if (/\S/.test(unit) && unit.length > 1 && measure(unit) > width) units.push(...unit);
    else units.push(unit);
  }
  const lines: string[] = [];
  let line: string[] = [];
  let lineWidth = 0;
  const flush = () => {
    while (line.length > 0 && /^\s+$/.test(line.at(-1) as string)) line.pop();
    lines.push(line.join(""));
    line = [];
    lineWidth = 0;
  };
  for (const unit of units) {
    const w = measure(unit);
    if (line.length === 0 && /^\s+$/.test(unit)) continue; // no spaces at the start of a line
    if (lineWidth + w <= width || line.length === 0) {
      line.push(unit);
      lineWidth += w;
      continue;
    }
    if (/^\s+$/.test(unit)) {
      flush();
      continue;
    }
    // The unit does not fit: break before it, moving characters that may not end a line (or that
    // must keep company with a unit that may not start one) along to the next line.
    const carried = [unit];
    while (line.length > 1 && NO_LINE_START.has(carried[0] as string)) carried.unshift(line.pop() as string);
    while (line.length > 1 && NO_LINE_END.has(line.at(-1) as string)) carried.unshift(line.pop() as string);
    flush();
    line = carried;
    lineWidth = line.reduce((sum, u) => sum + measure(u), 0);
  }
  if (line.length > 0 || lines.length === 0) flush();
  return lines;
}

/**
 * The largest of `sizes` (tried in order) at which `text` wraps into at most `maxLines` lines of
 * `width`; the smallest size otherwise (then with as many lines as it takes).
 */
export function fitText(text: string, width: number, metrics: Metrics, sizes: readonly number[], maxLines: number) {
  let result = { size: sizes.at(-1) ?? 10, lines: [] as string[] };
  for (const size of sizes) {
    result = { size, lines: wrapText(text, width, size, metrics) };
    if (result.lines.length <= maxLines) break;
  }
  return result;
}

/** The operations of one page, with helpers for the pieces documents are made of. */
export class Sheet {
  readonly ops: Op[] = [];
  readonly metrics: Metrics;
  constructor(metrics: Metrics) {
    this.metrics = metrics;
  }

  text(x: number, y: number, size: number, text: string, color: Color = BLACK) {
    if (text !== "") this.ops.push({ op: "text", x, y, size, text, color });
  }
  textRight(right: number, y: number, size: number, text: string, color: Color = BLACK) {
    this.text(right - textWidth(this.metrics, text, size), y, size, text, color);
  }
  textCentre(centre: number, y: number, size: number, text: string, color: Color = BLACK) {
    this.text(centre - textWidth(this.metrics, text, size) / 2, y, size, text, color);
  }
  rect(x: number, y: number, w: number, h: number, style: { fill?: Color; stroke?: Color; lineWidth?: number }) {
    this.ops.push({ op: "rect", x, y, w, h, fill: style.fill ?? null, stroke: style.stroke ?? null, lineWidth: style.lineWidth ?? 0.75 });
  }
  line(x1: number, y1: number, x2: number, y2: number, lineWidth = 0.75, color: Color = BLACK) {
    this.ops.push({ op: "line", x1, y1, x2, y2, color, lineWidth });
  }
  cells(cells: Rect[], color: Color = BLACK) {
    this.ops.push({ op: "cells", cells, color });
  }
  width(text: string, size: number): number {
    return textWidth(this.metrics, text, size);
  }
  /** Baseline of a line whose box starts at `top` with line height `lineHeight`, text centred in it. */
  baseline(top: number, size: number, lineHeight: number): number {
    const { ascent, descent } = this.metrics;
    return top + (lineHeight - (ascent - descent) * size) / 2 + ascent * size;
  }

  /**
   * Wrapped text in a column from `top`; returns the y below its last line. `indent` shifts the
   * lines after the first (for a hanging bullet, "・" or "1.").
   */
  paragraph(
    x: number,
    top: number,
    width: number,
    size: number,
    text: string,
    options: { lineHeight?: number; color?: Color; hang?: string } = {},
  ) {
    const lineHeight = options.lineHeight ?? size * 1.6;
    const hang = options.hang ?? "";
    const indent = hang === "" ? 0 : this.width(hang, size);
    const lines = wrapText(text, width - indent, size, this.metrics);
    let y = top;
    lines.forEach((line, i) => {
      const base = this.baseline(y, size, lineHeight);
      if (i === 0 && hang !== "") this.text(x, base, size, hang, options.color);
      this.text(x + indent, base, size, line, options.color);
      y += lineHeight;
    });
    return y;
  }

  /**
   * A two-column table (label, value) with a shaded label column and ruled rows; returns its
   * bottom. A value may be several paragraphs (wrapped each) and have its own size.
   */
  table(x: number, top: number, widths: readonly [number, number], rows: readonly TableRow[], base: number) {
    const [labelWidth, valueWidth] = widths;
    const pad = base * 0.55;
    let y = top;
    const ruled: number[] = [top];
    for (const row of rows) {
      const size = row.size ?? base;
      const lineHeight = size * 1.45;
      const values = (Array.isArray(row.value) ? row.value : [row.value]).flatMap((v) =>
        wrapText(v, valueWidth - 2 * pad, size, this.metrics),
      );
      const labels = wrapText(row.label, labelWidth - 2 * pad, base, this.metrics);
      const height = Math.max(values.length * lineHeight, labels.length * base * 1.45) + 2 * pad;
      this.rect(x, y, labelWidth, height, { fill: SHADE });
      // Labels centred in the row's height, values from its top.
      const labelTop = y + (height - labels.length * base * 1.45) / 2;
      labels.forEach((line, i) => {
        this.text(x + pad, this.baseline(labelTop + i * base * 1.45, base, base * 1.45), base, line);
      });
      values.forEach((line, i) => {
        this.text(x + labelWidth + pad, this.baseline(y + pad + i * lineHeight, size, lineHeight), size, line, row.color);
      });
      y += height;
      ruled.push(y);
    }
    // Rules after the fills, so no fill covers a rule.
    for (const r of ruled) this.line(x, r, x + labelWidth + valueWidth, r, 0.6);
    this.line(x, top, x, y, 0.6);
    this.line(x + labelWidth, top, x + labelWidth, y, 0.6);
    this.line(x + labelWidth + valueWidth, top, x + labelWidth + valueWidth, y, 0.6);
    return y;
  }

  /** Every point any operation touches lies inside `area` (a check that the page holds it all). */
  within(area: Rect): boolean {
    const inside = (x: number, y: number) =>
      x >= area.x - 0.01 && x <= area.x + area.w + 0.01 && y >= area.y - 0.01 && y <= area.y + area.h + 0.01;
    return this.ops.every((o) => {
      switch (o.op) {
        case "text":
          return (
            inside(o.x, o.y - this.metrics.ascent * o.size) && inside(o.x + this.width(o.text, o.size), o.y - this.metrics.descent * o.size)
          );
        case "rect":
          return inside(o.x, o.y) && inside(o.x + o.w, o.y + o.h);
        case "line":
          return inside(o.x1, o.y1) && inside(o.x2, o.y2);
        case "cells":
          return o.cells.every((c) => inside(c.x, c.y) && inside(c.x + c.w, c.y + c.h));
        default:
          return false;
      }
    });
  }
}

export interface TableRow {
  label: string;
  value: string | readonly string[];
  size?: number;
  color?: Color;
}

// ---- what documents print --------------------------------------------------------------------

/** 20000000 → "20,000,000円". */
export function yen(amount: number): string {
  return `${amount.toLocaleString("en-US")}円`;
}

/** An instant (ISO 8601 with any offset) as its date and time in Japan (UTC+9, no DST). */
export function japanParts(instant: string): { date: string; time: string } {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an instant: ${instant}`);
  const shifted = new Date(at.getTime() + 9 * 3600_000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** "2026-01-05T10:30:00+09:00" → "令和8年1月5日 10:30". */
export function warekiDateTime(instant: string): string {
  const { date, time } = japanParts(instant);
  return `${formatWareki(date)} ${time}`;
}

/** "2026-01-05T10:30:00+09:00" → "令和8年1月5日". */
export function warekiDateOf(instant: string): string {
  return formatWareki(japanParts(instant).date);
}
