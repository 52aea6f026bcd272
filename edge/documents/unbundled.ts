// Stands in, in the Worker's bundle only, for modules that pdf-lib and fontkit import but these
// documents never run (site/integrations/pdf-font.ts swaps them in when pdf-lib or fontkit imports
// them): brotli (WOFF2 fonts: ours is TrueType), the metrics of the 14 standard PDF fonts (only
// the embedded Japanese font is used), UPNG (no images) and pako (streams are deflated natively,
// edge/documents/pdf.ts). About 0.7 MB less Worker. Anything that reaches one fails loudly.
const unavailable = (what: string) => () => {
  throw new Error(`${what} is not in the Worker's bundle (edge/documents/unbundled.ts)`);
};

/** brotli/decompress.js (default), UPNG (default .decode …) and pako (default .deflate …) in one. */
const stub = Object.assign(unavailable("brotli (WOFF2 decoding)"), {
  decode: unavailable("UPNG (PNG images)"),
  toRGBA8: unavailable("UPNG (PNG images)"),
  deflate: unavailable("pako (JavaScript deflate)"),
  inflate: unavailable("pako (JavaScript inflate)"),
});
export default stub;

// @pdf-lib/standard-fonts: the names stay (pdf-lib tells standard fonts from font files by them).
export const FontNames = {
  Courier: "Courier",
  CourierBold: "Courier-Bold",
  CourierOblique: "Courier-Oblique",
  CourierBoldOblique: "Courier-BoldOblique",
  Helvetica: "Helvetica",
  HelveticaBold: "Helvetica-Bold",
  HelveticaOblique: "Helvetica-Oblique",
  HelveticaBoldOblique: "Helvetica-BoldOblique",
  TimesRoman: "Times-Roman",
  TimesRomanBold: "Times-Bold",
  TimesRomanItalic: "Times-Italic",
  TimesRomanBoldItalic: "Times-BoldItalic",
  Symbol: "Symbol",
  ZapfDingbats: "ZapfDingbats",
} as const;
export const Encodings = {};
export const Font = { load: unavailable("@pdf-lib/standard-fonts (standard 14 font metrics)") };
