// The one Workers runtime module the site imports (the Astro catch-all hands the request to Hono).
declare module "cloudflare:workers" {
  export const env: Record<string, unknown>;
}
