// Transfer budgets, measured on a build: gzip size of an agency page (HTML with its inlined CSS,
// plus any external CSS), and of the JavaScript + data the search and checker pages load.
// Usage: npm run bench:sizes [-- dist/client]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const client = process.argv[2] ?? "dist/client";
const gz = (buf: Buffer | string) => gzipSync(buf, { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const read = (path: string) => readFileSync(join(client, path));

function assetsOf(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((m) => m[1] ?? "").filter((p) => p.startsWith("/"));
}
/** Everything a page pulls in of one kind: its external scripts (and their static imports). */
function scriptsOf(html: string): string[] {
  const seen = new Set<string>();
  const queue = assetsOf(html, /<script[^>]+src="([^"]+)"/g);
  while (queue.length > 0) {
    const path = queue.shift() ?? "";
    if (seen.has(path)) continue;
    seen.add(path);
    const js = read(path).toString();
    for (const m of js.matchAll(/from\s*"(\.\/[^"]+\.js)"|import\("(\.\/[^"]+\.js)"\)|import\s*"(\.\/[^"]+\.js)"/g)) {
      const rel = m[1] ?? m[2] ?? m[3] ?? "";
      queue.push(join(path, "..", rel));
    }
  }
  return [...seen];
}
/** Data files a client script fetches (e.g. /search-index.json). */
function dataOf(scripts: string[]): string[] {
  const data = new Set<string>();
  for (const path of scripts)
    for (const m of read(path)
      .toString()
      .matchAll(/["'`](\/[a-z0-9/_-]+\.json)["'`]/g))
      if (m[1] !== undefined) data.add(m[1]);
  return [...data];
}
const inlineScriptBytes = (html: string) =>
  [...html.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "").join("");

function page(path: string) {
  const html = read(`${path}index.html`).toString();
  const css = assetsOf(html, /<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g);
  const scripts = scriptsOf(html);
  const data = dataOf(scripts);
  return {
    path,
    htmlCss: gz(html) + css.reduce((n, p) => n + gz(read(p)), 0),
    js: scripts.reduce((n, p) => n + gz(read(p)), 0) + gz(inlineScriptBytes(html)),
    data: data.reduce((n, p) => n + gz(read(p)), 0),
    scripts,
    data_files: data,
  };
}

const agencyDirs = readdirSync(join(client, "agencies")).filter((d) => statSync(join(client, "agencies", d)).isDirectory());
const agencyPages = agencyDirs.map((d) => page(`/agencies/${d}/`));
const worst = agencyPages.reduce((a, b) => (b.htmlCss > a.htmlCss ? b : a));
const sorted = agencyPages.map((p) => p.htmlCss).sort((a, b) => a - b);
console.log(
  `agency pages: ${agencyPages.length}; HTML+CSS gzip median ${kb(sorted[Math.floor(sorted.length / 2)] ?? 0)}, max ${kb(worst.htmlCss)} (${worst.path}); budget 25 KB`,
);
console.log(
  `agency page external scripts: ${new Set(agencyPages.flatMap((p) => p.scripts)).size} (budget: none beyond the inline service-worker registration)`,
);
for (const path of ["/", "/agencies/", "/check/", "/map/"]) {
  const p = page(path);
  console.log(
    `${path}: HTML+CSS ${kb(p.htmlCss)}, JS ${kb(p.js)}, data ${kb(p.data)}, JS+data ${kb(p.js + p.data)} gzip` +
      (path === "/agencies/" || path === "/check/" ? " (budget 60 KB)" : "") +
      ` [${[...p.scripts, ...p.data_files].join(", ")}]`,
  );
}
