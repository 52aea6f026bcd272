// edge/worker.ts sends /api/* to the Hono app before Astro sees it. This on-demand route stays so
// that Astro emits a Worker at all (a static build has none), and it hands anything that does reach
// it (e.g. under `astro dev`) to the same app.
import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { app } from "../../../edge/app";

export const prerender = false;
export const ALL: APIRoute = ({ request, locals }) => app.fetch(request, env, locals.cfContext);
