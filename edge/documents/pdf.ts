// Writes a laid-out page (layout.ts) as a one-page A4 PDF with pdf-lib: real text in the embedded
// subset of the Japanese font (selectable, searchable), rules and boxes as vector paths.
import {
  fill,
  PDFContentStream,
  type PDFContext,
  PDFDocument,
  PDFName,
  PDFRawStream,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingRgbColor,
} from "pdf-lib";
import type { DocumentFont } from "./font.ts";
import { A4, type Color, type Op } from "./layout.ts";

export interface PdfMeta {
  title: string;
  subject: string;
  /** Who the document is from (the guarantor). */
  author: string;
  keywords: string[];
  createdAt: Date;
}

const colour = (c: Color) => rgb(c[0], c[1], c[2]);
const round = (n: number) => Math.round(n * 100) / 100;

export async function writePdf(ops: readonly Op[], font: DocumentFont, meta: PdfMeta): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Streams are compressed at the end, natively (see compressStreams): until then, store them plain.
  doc.context.flateStream = (contents, dict = {}) => doc.context.stream(contents, dict);
  doc.registerFontkit(font.fontkit);
  const face = await doc.embedFont(font.bytes, { subset: true });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setAuthor(meta.author);
  doc.setKeywords(meta.keywords);
  doc.setCreator("電子保証プラットフォーム");
  doc.setProducer("電子保証プラットフォーム (pdf-lib)");
  doc.setLanguage("ja-JP");
  doc.setCreationDate(meta.createdAt);
  doc.setModificationDate(meta.createdAt);

  const page = doc.addPage([A4.width, A4.height]);
  const flip = (y: number) => A4.height - y;
  for (const o of ops) {
    switch (o.op) {
      case "text":
        page.drawText(o.text, { x: round(o.x), y: round(flip(o.y)), size: o.size, font: face, color: colour(o.color) });
        break;
      case "rect":
        page.drawRectangle({
          x: round(o.x),
          y: round(flip(o.y + o.h)),
          width: round(o.w),
          height: round(o.h),
          ...(o.fill === null ? {} : { color: colour(o.fill) }),
          ...(o.stroke === null ? { borderWidth: 0 } : { borderColor: colour(o.stroke), borderWidth: o.lineWidth }),
        });
        break;
      case "line":
        page.drawLine({
          start: { x: round(o.x1), y: round(flip(o.y1)) },
          end: { x: round(o.x2), y: round(flip(o.y2)) },
          thickness: o.lineWidth,
          color: colour(o.color),
        });
        break;
      case "cells":
        // One path of rectangles, one fill: a QR code is a few hundred of them.
        page.pushOperators(
          pushGraphicsState(),
          setFillingRgbColor(o.color[0], o.color[1], o.color[2]),
          ...o.cells.map((c) => rectangle(round(c.x), round(flip(c.y + c.h)), round(c.w), round(c.h))),
          fill(),
          popGraphicsState(),
        );
        break;
    }
  }
  await doc.flush(); // embeds the font subset: every stream now exists
  await compressStreams(doc.context);
  // Without object streams, whose compression pdf-lib would do in JavaScript again (about 3 KB more).
  return doc.save({ useObjectStreams: false });
}

/**
 * Deflates every stream with the runtime's own zlib (CompressionStream, in workerd and Node) rather
 * than pdf-lib's JavaScript deflate (pako), which took about half of a notice's CPU time.
 */
async function compressStreams(context: PDFContext): Promise<void> {
  const filter = PDFName.of("Filter");
  const jobs: Promise<void>[] = [];
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (object instanceof PDFContentStream) {
      // Page content: its dictionary already says FlateDecode; pdf-lib would deflate on writing.
      jobs.push(deflate(object.getUnencodedContents()).then((bytes) => context.assign(ref, PDFRawStream.of(object.dict, bytes))));
    } else if (object instanceof PDFRawStream && !object.dict.has(filter)) {
      // The font file and its ToUnicode map, left plain by the flateStream above.
      object.dict.set(filter, PDFName.of("FlateDecode"));
      jobs.push(deflate(object.getContents()).then((bytes) => context.assign(ref, PDFRawStream.of(object.dict, bytes))));
    }
  }
  await Promise.all(jobs);
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const compressed = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}
