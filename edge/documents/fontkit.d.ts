// The few parts of fontkit 2 (no types of its own) that the documents use. Its fonts have the API
// that pdf-lib 1.17 describes for fontkit 1, except that a subset has encode() where pdf-lib calls
// encodeStream() (edge/documents/font.ts adapts that one method).
declare module "fontkit" {
  import type { Font } from "pdf-lib/cjs/types/fontkit";

  export interface Subset {
    includeGlyph(glyph: number | { id: number }): number;
    /** The subset font file. */
    encode(): Uint8Array;
  }
  export type FontkitFont = Omit<Font, "createSubset"> & { createSubset(): Subset };
  export function create(buffer: Uint8Array, postscriptName?: string): FontkitFont;
}
