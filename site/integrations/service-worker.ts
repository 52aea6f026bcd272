// Writes sw.js after the build: every prerendered page and asset, core ones first.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

/** Pages a contractor needs first; agency pages follow in the background. */
const CORE_PREFIXES = ["/", "/agencies/", "/check/", "/map/", "/faq/", "/guide/", "/sources/", "/offline/", "/prefectures/"];
const SKIP = new Set(["/sw.js", "/_headers", "/_redirects", "/_routes.json", "/.assetsignore"]);

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

export function toUrlPath(root: string, file: string): string {
  const rel = `/${relative(root, file).split(sep).join("/")}`;
  return rel.endsWith("/index.html") ? rel.slice(0, -"index.html".length) : rel;
}

export function isCore(path: string): boolean {
  if (path.startsWith("/_astro/") || !path.endsWith("/")) return true; // assets, data, icons, manifest
  if (/^\/agencies\/[^/]+\/$/.test(path)) return false;
  return CORE_PREFIXES.some((p) => path === p || (p !== "/" && path.startsWith(p)));
}

export function serviceWorker(): AstroIntegration {
  return {
    name: "denshi-hosho:service-worker",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const paths = (await walk(root))
          .map((f) => toUrlPath(root, f))
          .filter((p) => !SKIP.has(p) && !p.endsWith(".map"))
          .sort();
        const core = paths.filter(isCore);
        const rest = paths.filter((p) => !isCore(p));
        const hash = createHash("sha256");
        for (const p of paths) hash.update(p).update(await readFile(join(root, p.endsWith("/") ? `${p}index.html` : p)));
        const template = await readFile(new URL("../sw/sw-template.js", import.meta.url), "utf8");
        const sw = template
          .replace("__VERSION__", hash.digest("hex").slice(0, 12))
          .replace("__CORE__", JSON.stringify(core))
          .replace("__REST__", JSON.stringify(rest));
        await writeFile(join(root, "sw.js"), sw);
        logger.info(`sw.js: ${core.length} core + ${rest.length} background files`);
      },
    },
  };
}
