// @ts-check
import cloudflare from "@astrojs/cloudflare";
import { defineConfig } from "astro/config";
import { strictScripts } from "./site/integrations/csp.ts";
import { pdfFont } from "./site/integrations/pdf-font.ts";
import { serviceWorker } from "./site/integrations/service-worker.ts";
import { shareCards } from "./site/integrations/share-cards.ts";

// ASTRO_OUT_DIR / ASTRO_CACHE_DIR let parallel builds (tests, benchmarks) stay out of each other's way.
const outDir = process.env.ASTRO_OUT_DIR ?? "./dist";

export default defineConfig({
  // The public origin, for the absolute URLs of Open Graph (og:url, og:image): set SITE_URL when
  // building for production. Without it they name the build's own http://localhost origin.
  ...(process.env.SITE_URL ? { site: process.env.SITE_URL } : {}),
  srcDir: "./site",
  publicDir: "./public",
  outDir,
  cacheDir: process.env.ASTRO_CACHE_DIR ?? "./node_modules/.astro",
  output: "static",
  trailingSlash: "ignore",
  adapter: cloudflare({ imageService: "passthrough" }),
  server: { port: Number(process.env.PORT ?? 4321), host: "127.0.0.1" },
  build: { inlineStylesheets: "always", format: "directory" },
  // shareCards before serviceWorker: sw.js is written from the output as served (cards drawn, their input gone).
  integrations: [shareCards(), serviceWorker(), strictScripts(), pdfFont()],
  // No Astro sessions (the API has its own): no SESSION KV binding for the Worker to hold.
  session: false,
  // Astro's own origin check would answer cross-origin form posts with an English text/plain 403
  // before the Worker sees them. /api/* never reaches Astro (edge/worker.ts), and the API makes its
  // own same-origin check on cookie-authenticated calls, in Japanese problem+json.
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
  vite: { build: { assetsInlineLimit: 0 } },
});
