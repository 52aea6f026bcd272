import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { app } from "../../../edge/app";

export const prerender = false;
export const ALL: APIRoute = ({ request, locals }) => app.fetch(request, env, locals.cfContext);
