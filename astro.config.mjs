// @ts-check
import cloudflare from "@astrojs/cloudflare";
import { defineConfig } from "astro/config";
import { strictScripts } from "./site/integrations/csp.ts";
import { pdfFont } from "./site/integrations/pdf-font.ts";
import { serviceWorker } from "./site/integrations/service-worker.ts";

// ASTRO_OUT_DIR / ASTRO_CACHE_DIR let parallel builds (tests, benchmarks) stay out of each other's way.
const outDir = process.env.ASTRO_OUT_DIR ?? "./dist";

export default defineConfig({
  srcDir: "./site",
  publicDir: "./public",
  outDir,
  cacheDir: process.env.ASTRO_CACHE_DIR ?? "./node_modules/.astro",
  output: "static",
  trailingSlash: "ignore",
  adapter: cloudflare({ imageService: "passthrough" }),
  server: { port: Number(process.env.PORT ?? 4321), host: "127.0.0.1" },
  build: { inlineStylesheets: "always", format: "directory" },
  integrations: [serviceWorker(), strictScripts(), pdfFont()],
  // No Astro sessions (the API has its own): no SESSION KV binding for the Worker to hold.
  session: false,
  // Astro's own origin check would answer cross-origin form posts with an English text/plain 403
  // before the Worker sees them. /api/* never reaches Astro (edge/worker.ts), and the API makes its
  // own same-origin check on cookie-authenticated calls, in Japanese problem+json.
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
  vite: { build: { assetsInlineLimit: 0 } },
});
