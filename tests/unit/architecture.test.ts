// The house rules of ARCHITECTURE.md as tests: arrows point down only, and routes reach the
// database through the request context, never by importing drizzle or db/ themselves.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return /\.(ts|astro)$/.test(name) ? [path] : [];
  });
}

const importsOf = (file: string): string[] =>
  [...readFileSync(join(root, file), "utf8").matchAll(/(?:^|\n)\s*(?:import|export)[^"'`]*?from\s+["']([^"']+)["']/g)].map(
    (m) => m[1] ?? "",
  );

function violations(dir: string, forbidden: (specifier: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    importsOf(file)
      .filter((s) => forbidden(s, file))
      .map((s) => `${relative(root, join(root, file))} → ${s}`),
  );
}

describe("who may import what", () => {
  it("edge/domain imports nothing with I/O: only zod, wanakana and its own modules", () => {
    expect(violations("edge/domain", (s) => !(s === "zod" || s === "wanakana" || s.startsWith("./")))).toEqual([]);
  });
  it("routes and the HTTP layer never import drizzle or db/ (the database comes from ctx.db)", () => {
    const forbidden = (s: string) => s.startsWith("drizzle-orm") || /(^|\/)db\//.test(s) || s.startsWith("@libsql/");
    expect([...violations("edge/routes", forbidden), ...violations("edge/http", forbidden)]).toEqual([]);
  });
  it("db/ imports nothing of edge/ or site/", () => {
    expect(violations("db", (s) => /(^|\/)(edge|site)\//.test(s))).toEqual([]);
  });
  it("site/ never imports db/ or edge/ beyond edge/domain (but for the API catch-all and the pages' API client)", () => {
    // site/pages/api/[...path].ts keeps one on-demand route, so Astro emits the Worker, and hands
    // anything that reaches it to the Hono app (edge/worker.ts normally routes /api first).
    // site/lib/api.ts is how the on-demand pages call the same API, in process.
    const mayCallTheApp = new Set(["site/pages/api/[...path].ts", "site/lib/api.ts"]);
    const forbidden = (s: string, file: string) =>
      /(^|\/)db\//.test(s) || (/(^|\/)edge\//.test(s) && !/edge\/domain\//.test(s) && !(mayCallTheApp.has(file) && s.endsWith("edge/app")));
    expect(violations("site", forbidden)).toEqual([]);
  });
  it("the on-demand pages call the API through site/lib/api.ts (the check sees that import)", () => {
    expect(importsOf("site/lib/api.ts")).toContain("../../edge/app");
  });
  it("finds imports at all (the check itself works)", () => {
    expect(importsOf("edge/routes/public.ts")).toContain("../services/catalogue.ts");
  });
});
