// The service worker's page packs (site/integrations/service-worker.ts) and the weak link the
// offline benchmark and test run through (scripts/throttle.ts).
import { describe, expect, it } from "vitest";
import { LinkDirection, PHONE_LINK } from "../../scripts/throttle.ts";
import { isCore, PACK_PREFIX, packPages } from "../../site/integrations/service-worker.ts";

describe("page packs", () => {
  const paths = ["/faq/", "/prefectures/46/", "/agencies/462161/", "/guide/", "/agencies/", "/check/", "/agencies/052108/", "/map/"];

  it("put the agencies' pages first, then the checker and the FAQ", () => {
    const [pack] = packPages(paths, () => 10);
    expect(pack?.paths).toEqual([
      "/agencies/",
      "/agencies/052108/",
      "/agencies/462161/",
      "/check/",
      "/faq/",
      "/prefectures/46/",
      "/map/",
      "/guide/",
    ]);
    expect(pack?.url).toBe(`${PACK_PREFIX}1.json`);
  });

  it("split at a million bytes, never leaving a page out or in two packs", () => {
    const many = Array.from({ length: 250 }, (_, i) => `/agencies/${String(i).padStart(6, "0")}/`);
    const packs = packPages(many, () => 15_000);
    expect(packs.map((p) => p.paths.length)).toEqual([66, 66, 66, 52]);
    expect(packs.flatMap((p) => p.paths).sort()).toEqual([...many].sort());
    expect(packs.map((p) => p.url)).toEqual([1, 2, 3, 4].map((n) => `${PACK_PREFIX}${n}.json`));
    for (const p of packs) expect(p.bytes).toBeLessThanOrEqual(1_000_000);
  });

  it("give a page larger than a pack a pack of its own", () => {
    const packs = packPages(["/map/", "/faq/"], (p) => (p === "/map/" ? 2_000_000 : 10));
    expect(packs.map((p) => p.paths)).toEqual([["/faq/"], ["/map/"]]);
  });

  it("leave the home and offline pages, assets and data to the core", () => {
    for (const p of ["/", "/offline/", "/_astro/x.js", "/search-index.json", "/offline-agencies.json", "/manifest.webmanifest"])
      expect(isCore(p), p).toBe(true);
    for (const p of ["/agencies/462161/", "/check/", "/faq/", "/prefectures/46/"]) expect(isCore(p), p).toBe(false);
  });
});

describe("the throttled link", () => {
  it("delivers a chunk after its time on the wire plus the one-way delay", () => {
    const down = new LinkDirection(PHONE_LINK.downBps, PHONE_LINK.oneWayMs);
    // 200,000 bytes at 1.6 Mbps take 1 s on the wire.
    expect(down.schedule(200_000, 0)).toBe(1000 + 150);
  });

  it("makes chunks that share the link wait for each other", () => {
    const down = new LinkDirection(1_600_000, 150);
    expect(down.schedule(20_000, 0)).toBe(250); // 100 ms on the wire
    expect(down.schedule(20_000, 0)).toBe(350); // queued behind the first
    expect(down.schedule(20_000, 1000)).toBe(1250); // the link was idle again
    expect(down.bytes).toBe(60_000);
  });

  it("holds a new connection's first bytes until its handshake is done", () => {
    const up = new LinkDirection(800_000, 150);
    expect(up.schedule(100, 0, 300)).toBe(300 + 1 + 150);
  });
});
