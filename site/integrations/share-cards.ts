// Draws the share cards (Open Graph images) after the build, in Node: satori lays out each card's
// Japanese lines in BIZ UDPGothic (the PDFs' font, pdfFontSources()) as SVG paths, resvg turns
// them into PNG. The cards' facts come from the prerendered /og/cards.json (site/pages/og/
// cards.json.ts, the pages' own catalogue); that file is build input only and deleted here.
//
// List this integration before the service worker's: the worker's lists leave /og/ out anyway
// (chat apps fetch the cards, the offline guide never shows them), but its version hash and lists
// should see the output as it will be served, without the input file.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { crc32, deflate } from "node:zlib";
import { type RenderedImage, renderAsync } from "@resvg/resvg-js";
import type { AstroIntegration } from "astro";
import satori from "satori";
import { CARD_HEIGHT, CARD_MAX_BYTES, CARD_WIDTH, CARDS_INPUT_PATH, cardNode, type ShareCard, shareImagePath } from "../lib/share-card.ts";
import { pdfFontSources } from "./pdf-font.ts";

/** resvg renders in its own threads: this many cards in flight while satori lays out the next. */
const IN_FLIGHT = 4;

export interface CardRenderer {
  svg(card: ShareCard): Promise<string>;
  /** The PNG (asPng()) and its RGBA pixels, for tests. */
  raster(svg: string): Promise<RenderedImage>;
}

/** A renderer with the font loaded once (satori parses it on first use: about 0.3 s for 4.5 MB). */
export async function cardRenderer(): Promise<CardRenderer> {
  const font = await readFile(pdfFontSources().font);
  const fonts = [{ name: "BIZ UDPGothic", data: font, weight: 400 as const, style: "normal" as const }];
  return {
    svg: (card) => satori(cardNode(card) as Parameters<typeof satori>[0], { width: CARD_WIDTH, height: CARD_HEIGHT, fonts }),
    // Text is already paths: no system fonts to scan (that alone cost ~100 ms a card).
    raster: (svg) => renderAsync(svg, { font: { loadSystemFonts: false }, fitTo: { mode: "original" } }),
  };
}

const deflateAsync = promisify(deflate);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * The same image as an indexed PNG (lossless): a card is flat colours plus resvg's anti-aliasing,
 * about 120 colours in all, and one byte per pixel deflates (zlib default level; 9 saves 8 % at 7 times the time) to about 45 % of resvg's RGBA PNG.
 * Null when the image has transparency or more than 256 colours.
 */
export async function indexedPng(width: number, height: number, rgba: Uint8Array): Promise<Buffer | null> {
  // One pixel as one 32-bit word (byte order does not matter: words are only compared).
  const words = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
  const index = new Map<number, number>();
  const palette: number[] = [];
  const rows = Buffer.alloc((width + 1) * height); // each row: filter byte 0 (none), then indices
  let last = -1;
  let lastIndex = 0;
  for (let y = 0, p = 0; y < height; y++) {
    let o = y * (width + 1) + 1;
    for (let x = 0; x < width; x++, p++, o++) {
      const word = words[p] ?? 0;
      if (word !== last) {
        let n = index.get(word);
        if (n === undefined) {
          const i = p * 4;
          if (rgba[i + 3] !== 255 || index.size === 256) return null;
          n = index.size;
          index.set(word, n);
          palette.push(rgba[i] ?? 0, rgba[i + 1] ?? 0, rgba[i + 2] ?? 0);
        }
        last = word;
        lastIndex = n;
      }
      rows[o] = lastIndex;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8); // 8 bits per index, palette colour, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("PLTE", Buffer.from(palette)),
    chunk("IDAT", await deflateAsync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The card's PNG: indexed where it can be, else resvg's own. */
export const cardPng = async (image: RenderedImage): Promise<Buffer> =>
  (await indexedPng(image.width, image.height, image.pixels)) ?? image.asPng();

export interface CardStats {
  count: number;
  totalBytes: number;
  maxBytes: number;
  largest: string;
  ms: number;
}

/** Draws every card into `root` (the client output), at shareImagePath(card). */
export async function drawCards(root: string, cards: readonly ShareCard[]): Promise<CardStats> {
  const start = performance.now();
  const renderer = await cardRenderer();
  const stats: CardStats = { count: 0, totalBytes: 0, maxBytes: 0, largest: "", ms: 0 };
  const tooBig: string[] = [];
  const dirs = new Set(cards.map((c) => join(root, `og/${c.kind}`)));
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  const inFlight = new Set<Promise<void>>();
  for (const card of cards) {
    const svg = await renderer.svg(card);
    const path = shareImagePath(card);
    const job = renderer
      .raster(svg)
      .then(async (image) => {
        const png = await cardPng(image);
        await writeFile(join(root, path), png);
        stats.count++;
        stats.totalBytes += png.length;
        if (png.length > stats.maxBytes) Object.assign(stats, { maxBytes: png.length, largest: path });
        if (png.length > CARD_MAX_BYTES) tooBig.push(`${path} (${png.length} bytes)`);
      })
      .finally(() => inFlight.delete(job));
    inFlight.add(job);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (tooBig.length > 0) throw new Error(`share cards over ${CARD_MAX_BYTES} bytes: ${tooBig.join(", ")}`);
  stats.ms = performance.now() - start;
  return stats;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function shareCards(): AstroIntegration {
  let site: URL | undefined;
  return {
    name: "denshi-hosho:share-cards",
    hooks: {
      "astro:config:done": ({ config }) => {
        site = config.site === undefined ? undefined : new URL(config.site);
      },
      "astro:build:done": async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const input = join(root, CARDS_INPUT_PATH);
        const cards: ShareCard[] = JSON.parse(await readFile(input, "utf8"));
        await rm(input);
        const stats = await drawCards(root, cards);
        logger.info(
          `share cards: ${stats.count} PNG in ${(stats.ms / 1000).toFixed(1)} s, total ${kb(stats.totalBytes)}, ` +
            `average ${kb(stats.totalBytes / Math.max(1, stats.count))}, largest ${kb(stats.maxBytes)} (${stats.largest})`,
        );
        if (site === undefined)
          logger.warn(
            "share cards: no SITE_URL at build time, so og:url and og:image name the build's own localhost origin; set it for a public build",
          );
      },
    },
  };
}
