// The Japanese font of the PDFs: BIZ UDPGothic Regular (SIL Open Font License 1.1), a TrueType
// font of about 4.5 MB. It is never bundled into the Worker: the build copies it into the static
// assets (site/integrations/pdf-font.ts) and the Worker fetches it through the ASSETS binding once
// per isolate, parses it with fontkit 2 and keeps the parsed font for every later document. Each
// document embeds a subset holding only the glyphs it uses.
//
// Why fontkit 2 and not the @pdf-lib/fontkit that pdf-lib suggests: that fork's subsetter blanks
// most CJK glyphs of this font while the text still extracts (ARCHITECTURE.md, "Verified here").
// pdf-lib 1.17 wants the fontkit 1 API, which differs in one method: a subset's encodeStream().
import { create, type FontkitFont } from "fontkit";
import type { Font, Fontkit } from "pdf-lib/cjs/types/fontkit";
import type { Metrics } from "./layout.ts";

/** Where the build puts the font among the static assets (its licence beside it, OFL.txt). */
export const FONT_PATH = "/fonts/BIZUDPGothic-Regular.ttf";

export interface AssetFetcher {
  fetch(input: Request | URL | string, init?: RequestInit): Promise<Response>;
}

/**
 * Where the font comes from: the Worker's ASSETS binding, or a URL (`FONT_URL`, for hosts without
 * the assets, such as the workerd API tests; a data: URL works too).
 */
export type FontSource = { kind: "assets"; assets: AssetFetcher; origin: string } | { kind: "url"; url: string };

/** The font source the raw Worker environment offers (FONT_URL first), or null. */
export function fontSourceOf(env: Record<string, unknown> | undefined, origin: string): FontSource | null {
  const url = env?.["FONT_URL"];
  if (typeof url === "string" && url !== "") return { kind: "url", url };
  const assets = env?.["ASSETS"];
  if (typeof assets === "object" && assets !== null && typeof (assets as Partial<AssetFetcher>).fetch === "function") {
    return { kind: "assets", assets: assets as AssetFetcher, origin };
  }
  return null;
}

/** A parsed font, ready for pdf-lib and for measuring text. */
export interface DocumentFont {
  /** The font file (pdf-lib wants it, though the subset is all that is embedded). */
  readonly bytes: Uint8Array;
  /** For PDFDocument.registerFontkit: hands pdf-lib this already parsed font instead of parsing again. */
  readonly fontkit: Fontkit;
  readonly metrics: Metrics;
}

/** TrueType (0x00010000 or "true"); CFF-flavoured OpenType is refused: it costs 5–10× more a page. */
export function isTrueType(bytes: Uint8Array): boolean {
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  return tag === "\u0000\u0001\u0000\u0000" || tag === "true";
}

export async function fetchFontBytes(source: FontSource): Promise<Uint8Array> {
  const where = source.kind === "assets" ? `ASSETS ${FONT_PATH}` : source.url.startsWith("data:") ? "FONT_URL (data:)" : source.url;
  const res = source.kind === "assets" ? await source.assets.fetch(new URL(FONT_PATH, source.origin)) : await fetch(source.url);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`PDF font: ${where} answered ${res.status} (does the build copy the font? site/integrations/pdf-font.ts)`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!isTrueType(bytes)) throw new Error(`PDF font: ${where} is not a TrueType font (${bytes.length} bytes)`);
  return bytes;
}

/**
 * A one-shot stand-in for the stream pdf-lib 1.17 reads a subset from: it registers its listeners
 * first ("data", "end", "error"), then waits for them to fire.
 */
function streamOf(encode: () => Uint8Array) {
  const listeners: Partial<Record<"data" | "end" | "error", (value?: unknown) => unknown>> = {};
  const stream = {
    on(event: "data" | "end" | "error", listener: (value?: unknown) => unknown) {
      listeners[event] = listener;
      return stream;
    },
  };
  queueMicrotask(() => {
    try {
      const bytes = encode();
      listeners.data?.(bytes);
      listeners.end?.();
    } catch (error) {
      listeners.error?.(error);
    }
  });
  return stream;
}

/**
 * The subsetter decodes every glyph it copies (to find a composite's parts), again for each
 * document; a glyph object is kept by the font for the isolate's life, so keep its decoded form
 * with it. fontkit 2.0.4 internals (pinned): getGlyph() and a TrueType glyph's _decode(), whose
 * result nothing modifies.
 */
function keepDecodedGlyphs(face: FontkitFont): void {
  type Decodable = { _decode(): unknown };
  const seen = new WeakSet<object>();
  const getGlyph = face.getGlyph.bind(face);
  face.getGlyph = (id, codePoints) => {
    const glyph = getGlyph(id, codePoints) as unknown as Decodable;
    if (!seen.has(glyph) && typeof glyph._decode === "function") {
      seen.add(glyph);
      const decode = glyph._decode.bind(glyph);
      let decoded: { value: unknown } | undefined;
      glyph._decode = () => {
        decoded ??= { value: decode() };
        return decoded.value;
      };
    }
    return glyph as unknown as ReturnType<typeof getGlyph>;
  };
}

export function parseFont(bytes: Uint8Array): DocumentFont {
  const face = create(bytes);
  const unitsPerEm = face.unitsPerEm;
  // pdf-lib asks each document's font for a new subset; give the subsets the stream it expects. The
  // face itself is shared by every document of this isolate (its glyph and table caches too).
  const createSubset = face.createSubset.bind(face);
  keepDecodedGlyphs(face);
  const adapted = Object.assign(face, {
    createSubset: () => {
      const subset = createSubset();
      return Object.assign(subset, { encodeStream: () => streamOf(() => subset.encode()) });
    },
    // Japanese text needs no shaping: glyphs straight from the character map, each advanced by its
    // own width (pdf-lib reads nothing else of a layout). This skips fontkit's OpenType layout, the
    // costliest part of drawing text, and draws exactly the widths layout.ts measured, so centred
    // and right-aligned text lands where it was placed (no kerning of Latin pairs, by design).
    layout: (text: string) => ({ glyphs: face.glyphsForString(text) }),
  }) as unknown as Font;
  const widths = new Map<number, number>();
  return {
    bytes,
    fontkit: { create: () => adapted },
    metrics: {
      advance(codePoint) {
        let width = widths.get(codePoint);
        if (width === undefined) {
          width = face.glyphForCodePoint(codePoint).advanceWidth / unitsPerEm;
          widths.set(codePoint, width);
        }
        return width;
      },
      ascent: face.ascent / unitsPerEm,
      descent: face.descent / unitsPerEm,
    },
  };
}

// The parsed font of this isolate. Only a finished font is kept, never a promise of one: workerd
// cancels a request that awaits I/O another request started, so concurrent first requests each
// fetch the font, and the first to finish is kept.
let loaded: DocumentFont | undefined;

export async function loadFont(source: FontSource): Promise<DocumentFont> {
  if (loaded !== undefined) return loaded;
  const font = parseFont(await fetchFontBytes(source));
  loaded ??= font;
  return loaded;
}
