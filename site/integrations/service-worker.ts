// Writes sw.js after the build: every prerendered page and asset, in as few requests as a weak
// phone link allows. Assets, data, the home and offline pages are fetched one by one (the core);
// every other page travels in a few packs (/offline-pages-N.json: the pages' exact bytes, which
// gzip together to a twentieth of the pages sent one by one), adopted agencies first. Unknown
// agencies' pages are not sent at all: the service worker builds them from templates and a table
// (site/sw/substitute.js), so this step folds the template pages into that table and checks every
// page it stands for against the built file.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { AstroIntegration } from "astro";
import { OFFLINE_TABLE_PATH, type OfflineTable, offlinePage, TEMPLATE_PAGE_PREFIX } from "../sw/substitute.js";
import { walkFiles } from "./files.ts";

/** Pages fetched one by one at install: the first page most people open, and the page shown when one is missing. */
const CORE_PAGES = new Set(["/", "/offline/"]);
/** The packs' order: the adopted agencies' pages first, then the pages a contractor opens next. */
const PACK_ORDER = ["/agencies/", "/check/", "/faq/", "/prefectures/", "/map/", "/guide/", "/sources/"];
/** A pack's size before compression: small enough to parse on a phone, large enough that gzip finds the pages' shared parts. */
const PACK_BYTES = 1_000_000;
export const PACK_PREFIX = "/offline-pages-";
// /404.html: the asset server answers it with a redirect to /404; the Worker serves 404s itself.
const SKIP = new Set(["/sw.js", "/_headers", "/_redirects", "/_routes.json", "/.assetsignore", "/404.html"]);
/** Files for others, never precached: the share cards that chat apps and mail clients fetch (site/integrations/share-cards.ts). */
export const NOT_PRECACHED_PREFIXES = ["/og/"];

/** Whether sw.js lists a built file (core or background). */
export const isPrecached = (path: string): boolean =>
  !SKIP.has(path) && !path.endsWith(".map") && !NOT_PRECACHED_PREFIXES.some((p) => path.startsWith(p));

export function toUrlPath(root: string, file: string): string {
  const rel = `/${relative(root, file).split(sep).join("/")}`;
  return rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel;
}

/** Fetched one by one at install: assets, data (the offline table too), icons, the manifest, the home and offline pages. */
export function isCore(path: string): boolean {
  return !path.endsWith("/") || CORE_PAGES.has(path);
}

const packRank = (path: string) => {
  const rank = PACK_ORDER.findIndex((p) => path.startsWith(p));
  return rank < 0 ? PACK_ORDER.length : rank;
};

export interface Pack {
  url: string;
  paths: string[];
  bytes: number;
}

/**
 * Splits the pages into packs in PACK_ORDER (the agencies' pages before the rest), each at most
 * PACK_BYTES unless one page alone is larger. `size` gives a page's length in bytes.
 */
export function packPages(paths: string[], size: (path: string) => number): Pack[] {
  const ordered = [...paths].sort((a, b) => packRank(a) - packRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const packs: Pack[] = [];
  let current: Pack | undefined;
  for (const path of ordered) {
    const bytes = size(path);
    if (current === undefined || (current.bytes + bytes > PACK_BYTES && current.paths.length > 0)) {
      current = { url: `${PACK_PREFIX}${packs.length + 1}.json`, paths: [], bytes: 0 };
      packs.push(current);
    }
    current.paths.push(path);
    current.bytes += bytes;
  }
  return packs;
}

/** A pack's file: `[path, html]` pairs, the pages' text exactly as built (`html` gives a page's built text). */
export async function writePacks(root: string, packs: Pack[], html: (path: string) => string): Promise<number> {
  let gzip = 0;
  for (const pack of packs) {
    const pages = pack.paths.map((p) => [p, html(p)]);
    const json = JSON.stringify(pages);
    await writeFile(join(root, pack.url), json);
    gzip += gzipSync(json, { level: 9 }).length;
  }
  return gzip;
}

/** Where two pages first differ, for a build error a person can act on. */
function firstDifference(built: string, synthesized: string): string {
  let i = 0;
  while (i < built.length && built[i] === synthesized[i]) i++;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 60), i + 60));
  return `at character ${i}:\n  built:       ${around(built)}\n  synthesized: ${around(synthesized)}`;
}

export interface OfflinePages {
  /** Page paths the service worker builds instead of fetching. */
  paths: Set<string>;
  variants: string[];
  tableGzip: number;
}

/**
 * Moves the template pages (/agencies/_offline-template-{variant}/) into the offline table and
 * out of the output, so they exist only as service-worker input, never as pages anyone can open.
 * Then builds every row's page exactly as the service worker will and compares it with the built
 * file: a mismatch fails the build, since the offline guide must never show a page that differs
 * from the online one.
 */
export async function prepareOfflinePages(root: string): Promise<OfflinePages> {
  const agenciesDir = join(root, "agencies");
  const templates = new Map<string, string>();
  if (existsSync(agenciesDir)) {
    for (const name of await readdir(agenciesDir)) {
      if (!name.startsWith(TEMPLATE_PAGE_PREFIX)) continue;
      templates.set(name.slice(TEMPLATE_PAGE_PREFIX.length), await readFile(join(agenciesDir, name, "index.html"), "utf8"));
      await rm(join(agenciesDir, name), { recursive: true });
    }
  }
  const tableFile = join(root, OFFLINE_TABLE_PATH);
  if (!existsSync(tableFile)) return { paths: new Set(), variants: [], tableGzip: 0 };
  const table: OfflineTable = JSON.parse(await readFile(tableFile, "utf8"));
  for (const variant of table.variants) {
    const template = templates.get(variant);
    if (template === undefined) throw new Error(`offline pages: no template page for variant "${variant}"`);
    table.templates[variant] = template;
  }
  const paths = new Set<string>();
  for (const id of table.agencies.id) {
    const path = `/agencies/${id}/`;
    const built = await readFile(join(root, path, "index.html"), "utf8");
    const synthesized = offlinePage(table, id);
    if (synthesized !== built) {
      throw new Error(
        synthesized === null
          ? `offline pages: ${path} has no template`
          : `offline pages: ${path} built from its template differs from the built page ${firstDifference(built, synthesized)}`,
      );
    }
    paths.add(path);
  }
  const json = JSON.stringify(table);
  await writeFile(tableFile, json);
  return { paths, variants: table.variants, tableGzip: gzipSync(json, { level: 9 }).length };
}

/** substitute.js as a classic script: the worker is registered without `type: "module"`. */
async function inlineSubstitute(): Promise<string> {
  const source = await readFile(new URL("../sw/substitute.js", import.meta.url), "utf8");
  if (/^\s*(import|export\s+(default|\{|\*))/m.test(source))
    throw new Error("site/sw/substitute.js must have no imports and only `export` declarations");
  return source.replace(/^export /gm, "");
}

export function serviceWorker(): AstroIntegration {
  return {
    name: "denshi-hosho:service-worker",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const offline = await prepareOfflinePages(root);
        const paths = (await walkFiles(root))
          .map((f) => toUrlPath(root, f))
          .filter(isPrecached)
          .sort();
        const core = paths.filter(isCore);
        const pages = paths.filter((p) => !isCore(p) && !offline.paths.has(p));
        const hash = createHash("sha256");
        const contents = new Map<string, Buffer>();
        for (const p of paths) {
          const content = await readFile(join(root, p.endsWith("/") ? `${p}index.html` : p));
          contents.set(p, content);
          hash.update(p).update(content);
        }
        const packs = packPages(pages, (p) => contents.get(p)?.length ?? 0);
        // Read once above for the version hash; the packs take the same bytes.
        const packGzip = await writePacks(root, packs, (p) => {
          const content = contents.get(p);
          if (content === undefined) throw new Error(`packs: ${p} was not read`);
          return content.toString("utf8");
        });
        const template = await readFile(new URL("../sw/sw-template.js", import.meta.url), "utf8");
        const substitute = await inlineSubstitute();
        // Replacer functions: a string replacement would read "$&" and the like in the inlined code.
        const sw = template
          .replace("__VERSION__", () => hash.digest("hex").slice(0, 12))
          .replace("__CORE__", () => JSON.stringify(core))
          .replace("__PACKS__", () => JSON.stringify(packs.map((p) => ({ url: p.url, paths: p.paths }))))
          .replace("/* __SUBSTITUTE__ */", () => substitute);
        await writeFile(join(root, "sw.js"), sw);
        logger.info(
          `sw.js: ${core.length} core files + ${pages.length} pages in ${packs.length} packs (${(packGzip / 1024).toFixed(1)} KB gzip)`,
        );
        logger.info(
          `offline pages: ${offline.paths.size} unknown agencies built from templates (${offline.variants.join(", ")}), ` +
            `table ${(offline.tableGzip / 1024).toFixed(1)} KB gzip`,
        );
      },
    },
  };
}
