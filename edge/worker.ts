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

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (isApi(new URL(request.url).pathname)) return app.fetch(request, env, ctx);
    const pageEnv = { ...env, ASSETS: assetsAt(new URL(request.url).origin, env["ASSETS"] as Assets) };
    return handle(request, pageEnv, ctx as Parameters<typeof handle>[2]);
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
