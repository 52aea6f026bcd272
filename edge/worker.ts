// The Worker entry: Hono answers /api/* and /.well-known/* (the API decides everything there,
// in problem+json); Astro answers the pages; Cron Triggers run the scheduled jobs.
import { handle } from "@astrojs/cloudflare/handler";
import type { ExecutionContext } from "hono";
import { app } from "./app.ts";
import { createContext } from "./context.ts";
import { Bindings } from "./env.ts";
import { runScheduledJobs } from "./services/scheduled.ts";

interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
}
type Env = Record<string, unknown>;

const isApi = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/") || pathname.startsWith("/.well-known/");

interface Assets {
  fetch(input: Request | URL | string, init?: RequestInit): Promise<Response>;
}

/**
 * The assets binding, asked under the request's own origin. Astro's handler fetches the prerendered
 * 404 page from ASSETS at http(s)://localhost/404 (it trusts no Host header without
 * security.allowedDomains); the assets then apply public/_headers to it, CSP hashes and all, but its
 * host rules (no HSTS on localhost) would see "localhost" in production too. The files are the same
 * under every host, so this only lets _headers see the real one: the policy stays in one place.
 */
function assetsAt(origin: string, assets: Assets): Assets {
  return {
    fetch(input, init) {
      const url = new URL(input instanceof Request ? input.url : input);
      const own = new URL(`${url.pathname}${url.search}`, origin);
      return assets.fetch(input instanceof Request ? new Request(own, input) : own, init);
    },
  };
}

/**
 * The headers public/_headers gives every page, for the pages Astro renders on demand (login, the
 * contractor's and the desk's pages, mailed links, their error pages): the assets' rules never see
 * those. The same policy but for scripts: 'self' only, with no hashes, since these pages carry no
 * inline script (their scripts are bundled files; tests/browser/pages-security.test.ts holds both
 * to it and compares the two policies).
 */
const ON_DEMAND_PAGE_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(self), geolocation=(), microphone=()",
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * An answer of Astro's: a file from the assets (the 404 page) already has the headers of
 * public/_headers; a page rendered on demand gets them here, is never stored by any cache (they
 * show a user's own data, or a form), and gets HSTS in production as the API does.
 */
function pageHeaders(res: Response, url: URL, env: Env): Response {
  if (res.headers.has("content-security-policy")) return res;
  // Astro's status text is "OK" whatever the status; the runtime gives each its own.
  const out = new Response(res.body, { status: res.status, headers: res.headers });
  if (out.headers.get("content-type") === "text/html") out.headers.set("content-type", "text/html; charset=utf-8");
  // A page may only tighten one (the mailed link's page sends no referrer at all).
  for (const [name, value] of Object.entries(ON_DEMAND_PAGE_HEADERS)) if (!out.headers.has(name)) out.headers.set(name, value);
  out.headers.set("cache-control", "no-store");
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if ((env["APP_ENV"] ?? "production") === "production" && !local) out.headers.set("strict-transport-security", HSTS);
  return out;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (isApi(url.pathname)) return app.fetch(request, env, ctx);
    const pageEnv = { ...env, ASSETS: assetsAt(url.origin, env["ASSETS"] as Assets) };
    return pageHeaders(await handle(request, pageEnv, ctx as Parameters<typeof handle>[2]), url, env);
  },

  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    const parsed = Bindings.safeParse(env);
    if (!parsed.success) throw new Error(`scheduled: bad environment: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    const ctx = createContext({ env: parsed.data, requestId: `cron-${crypto.randomUUID()}` });
    const { outcome, detail } = await runScheduledJobs({ ctx, cron: controller.cron, scheduledTime: controller.scheduledTime });
    console.log(`scheduled ${controller.cron}: ${outcome}`, detail);
    // A failed run throws, so Cloudflare's Cron Trigger history shows it as failed.
    if (outcome === "failed") throw new Error(`scheduled run ${ctx.requestId} failed`);
  },
};
