import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * DATA_ENCRYPTION_KEY for the workerd tests only (base64 of 32 bytes, "test-only-data-encryption-key-32"):
 * a binding here, and given to tests/api/helpers.ts through inject() for the env it passes the app.
 */
const TEST_DATA_ENCRYPTION_KEY = "dGVzdC1vbmx5LWRhdGEtZW5jcnlwdGlvbi1rZXktMzI=";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["tests/unit/**/*.test.ts", "tests/content/**/*.test.ts", "tests/db/**/*.test.ts"],
        },
      },
      {
        // API tests run inside workerd, against the loopback libSQL server started by global-setup.
        plugins: [
          cloudflareTest({
            miniflare: {
              compatibilityDate: "2026-10-01",
              compatibilityFlags: ["nodejs_compat"],
              bindings: { APP_ENV: "test", DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY },
              // .wasm imports (argon2) as compiled modules, as wrangler ships them in the Worker.
              modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["tests/api/**/*.test.ts"],
          globalSetup: ["tests/api/global-setup.ts"],
          provide: { dataEncryptionKey: TEST_DATA_ENCRYPTION_KEY },
        },
      },
      {
        // The built site and Worker served by workerd (wrangler dev), driven by real Chromium
        // (tests/browser) and by plain HTTP bursts and Cron triggers (tests/e2e).
        test: {
          name: "browser",
          environment: "node",
          include: ["tests/browser/**/*.test.ts", "tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/browser/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
