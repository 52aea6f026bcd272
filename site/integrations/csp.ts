// A strict script policy without 'unsafe-inline': after the build, hash every distinct inline
// script in the prerendered pages and write the hashes into the Content-Security-Policy of _headers.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import { walkFiles } from "./files.ts";

const PLACEHOLDER = "script-src 'self' 'unsafe-inline'";

/** The CSP source expressions for the inline scripts of one HTML document. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    const body = match[1] ?? "";
    if (body.trim() === "") continue;
    hashes.push(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return hashes;
}

export function strictScripts(): AstroIntegration {
  return {
    name: "denshi-hosho:csp",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const hashes = new Set<string>();
        for (const file of (await walkFiles(root)).filter((f) => f.endsWith(".html")))
          for (const h of inlineScriptHashes(await readFile(file, "utf8"))) hashes.add(h);
        const headersPath = join(root, "_headers");
        const headers = await readFile(headersPath, "utf8");
        if (!headers.includes(PLACEHOLDER)) throw new Error(`_headers: expected "${PLACEHOLDER}" to replace`);
        await writeFile(headersPath, headers.replace(PLACEHOLDER, ["script-src 'self'", ...[...hashes].sort()].join(" ")));
        logger.info(`CSP: ${hashes.size} inline script hash(es), no 'unsafe-inline' for scripts`);
      },
    },
  };
}
