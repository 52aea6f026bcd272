// Wall time of a full `astro build` (site, ~1,900 agency pages, Worker, service worker).
// Usage: npm run bench:build
import { rmSync } from "node:fs";
import { root, run } from "../serve.ts";

const dir = `${root}.local/bench-build`;
rmSync(dir, { recursive: true, force: true });
const start = performance.now();
await run("astro", ["build"], { ASTRO_OUT_DIR: `${dir}/dist`, ASTRO_CACHE_DIR: `${dir}/cache` });
console.log(`full build (cold cache): ${((performance.now() - start) / 1000).toFixed(1)} s; target ≤ 120 s`);
