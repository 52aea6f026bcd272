// The guide's service worker (generated: the build fills in VERSION, CORE and REST).
// install: cache the core pages and assets; activate: fill in every other page in the
// background, telling the pages how far it got. Pages are served stale-while-revalidate, so a
// weak signal never blocks reading; /api/ always goes to the network.
const VERSION = "__VERSION__";
const CORE = __CORE__;
const REST = __REST__;
const CACHE = `guide-${VERSION}`;
const BATCH = 8;

async function broadcast(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function fill() {
  const cache = await caches.open(CACHE);
  const cached = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  const todo = REST.filter((p) => !cached.has(p));
  let done = CORE.length + REST.length - todo.length;
  const total = CORE.length + REST.length;
  for (let i = 0; i < todo.length; i += BATCH) {
    await Promise.all(
      todo.slice(i, i + BATCH).map(async (path) => {
        try {
          const res = await fetch(path, { credentials: "omit" });
          if (res.ok) await cache.put(path, res);
        } catch {
          // offline or flaky: the next visit resumes where this one stopped
        }
      }),
    );
    done = Math.min(total, done + BATCH);
    await broadcast({ type: "progress", done, total });
  }
  await broadcast({ type: "precached", count: (await cache.keys()).length });
}

// One fill at a time, however many pages ask for it.
let filling = null;
function fillOnce() {
  if (filling === null) filling = fill().finally(() => (filling = null));
  return filling;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(CORE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith("guide-") && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
      await broadcast({ type: "progress", done: CORE.length, total: CORE.length + REST.length });
    })(),
  );
  // Not waited on: the background fill must not hold activation back.
  fillOnce();
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "fill") event.waitUntil(fillOnce());
});

function normalise(url) {
  // Pages are stored under their directory path; /x/index.html and /x both mean /x/.
  let path = url.pathname.replace(/index\.html$/, "");
  if (!path.endsWith("/") && !/\.[a-z0-9]+$/i.test(path)) path += "/";
  return path;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const key = normalise(url);
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(key);
      const network = fetch(event.request)
        .then(async (res) => {
          if (res.ok && res.type === "basic") await cache.put(key, res.clone());
          return res;
        })
        .catch(() => undefined);
      if (hit) {
        if (!url.pathname.startsWith("/_astro/")) event.waitUntil(network);
        return hit;
      }
      const res = await network;
      if (res) return res;
      if (event.request.mode === "navigate") {
        const fallback = await cache.match("/offline/");
        if (fallback) return fallback;
      }
      return new Response("オフラインのため表示できません。", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
    })(),
  );
});
