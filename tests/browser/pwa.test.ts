// Installable as an app: Chromium's own installability check finds nothing missing.
import { describe, expect, inject, it } from "vitest";
import { launchProfile } from "./chromium.ts";

const base = inject("baseUrl");
describe("progressive web app", () => {
  it("serves a manifest with a name, start URL, standalone display and PNG icons", async () => {
    const res = await fetch(`${base}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(manifest).toMatchObject({ name: "電子保証ガイド", start_url: "/", display: "standalone" });
    for (const size of ["192x192", "512x512"]) {
      const icon = manifest.icons.find((i) => i.sizes === size && i.type === "image/png");
      expect(icon, size).toBeDefined();
      expect((await fetch(`${base}${icon?.src ?? ""}`)).headers.get("content-type")).toContain("image/png");
    }
  });
  it("passes Chromium's installability check once the service worker controls the page", async () => {
    const profile = await launchProfile();
    try {
      const page = await profile.newPage();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
      const cdp = await profile.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
      expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
    } finally {
      await profile.close();
    }
  });
});
