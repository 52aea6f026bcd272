// Puts the PDFs' Japanese font among the static assets at build time: BIZ UDPGothic Regular from
// its npm package (a 4.5 MB TrueType font, SIL Open Font License 1.1) to /fonts/, with the licence
// beside it. The Worker loads it through the ASSETS binding (edge/documents/font.ts), so it never
// counts towards the Worker's size, and git holds no copy of it.
//
// List this integration after the service worker's: its sw.js is written from the files present
// when that runs, and the font has no place in the offline guide's cache (PDFs are made online).
//
// It also keeps out of the Worker the modules pdf-lib and fontkit import but the PDFs never run
// (brotli, the standard fonts' metrics, UPNG, pako: about 0.7 MB), replaced by the throwing
// stand-ins of edge/documents/unbundled.ts, only where pdf-lib or fontkit imports them.
import { copyFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import type { Plugin } from "vite";

/** Where the font goes in the build; edge/documents/font.ts FONT_PATH (a unit test holds them equal). */
export const PDF_FONT_PATH = "/fonts/BIZUDPGothic-Regular.ttf";
export const PDF_FONT_LICENCE_PATH = "/fonts/OFL.txt";

const require = createRequire(import.meta.url);
const PACKAGE = "@expo-google-fonts/biz-udpgothic";

/** The font file and its OFL text in node_modules. */
export const pdfFontSources = () => ({
  font: require.resolve(`${PACKAGE}/400Regular/BIZUDPGothic_400Regular.ttf`),
  licence: require.resolve(`${PACKAGE}/LICENSE_FONT`),
});

/** Module → the package whose imports of it are replaced. */
export const UNBUNDLED: Readonly<Record<string, string>> = {
  "brotli/decompress.js": "fontkit",
  "@pdf-lib/standard-fonts": "pdf-lib",
  "@pdf-lib/upng": "pdf-lib",
  pako: "pdf-lib",
};
const standIn = fileURLToPath(new URL("../../edge/documents/unbundled.ts", import.meta.url));

function unbundled(): Plugin {
  return {
    name: "denshi-hosho:pdf-unbundled",
    enforce: "pre",
    resolveId(source, importer) {
      const from = UNBUNDLED[source];
      if (from === undefined || importer === undefined) return null;
      return importer.replaceAll("\\", "/").includes(`/node_modules/${from}/`) ? standIn : null;
    },
  };
}

export function pdfFont(): AstroIntegration {
  return {
    name: "denshi-hosho:pdf-font",
    hooks: {
      "astro:config:setup": ({ updateConfig }) => {
        updateConfig({ vite: { plugins: [unbundled()] } });
      },
      "astro:build:done": async ({ dir, logger }) => {
        const { font, licence } = pdfFontSources();
        await mkdir(new URL("fonts/", dir), { recursive: true });
        await copyFile(font, new URL(`.${PDF_FONT_PATH}`, dir));
        await copyFile(licence, new URL(`.${PDF_FONT_LICENCE_PATH}`, dir));
        logger.info(`PDF font: ${PDF_FONT_PATH} (BIZ UDPGothic, SIL OFL 1.1; licence at ${PDF_FONT_LICENCE_PATH})`);
      },
    },
  };
}
