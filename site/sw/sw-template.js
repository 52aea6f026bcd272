// The guide's service worker (generated: the build fills in VERSION, CORE and PACKS, and inlines
// site/sw/substitute.js where marked). install: cache the core assets and data one by one, then
// unpack the page packs (every other page, adopted agencies first) into the cache; whatever a weak
// link cut off is fetched again after activation and on the next visit, telling the pages how far
// it got. Pages are served stale-while-revalidate, so a weak signal never blocks reading; /api/
// always goes to the network, and a link to it opens the offline page when there is none. The
// pages of agencies the sources say nothing about are not downloaded at all: offline, they are
// built from a template and the table (same bytes as online).
// The logged-in pages and the mailed links are never stored: they always come from the network,
// and offline they say so instead of showing anything old (see PRIVATE).
const VERSION = "__VERSION__";
const CORE = __CORE__;
/** [{ url, paths }]: each pack's file holds [path, html] pairs for its paths. */
const PACKS = __PACKS__;
const CACHE = `guide-${VERSION}`;
const PAGE_COUNT = PACKS.reduce((n, pack) => n + pack.paths.length, 0);
/** How long an uncached unknown agency's page waits for the network before it is built from its template. */
const NETWORK_WAIT_MS = 3000;
const AGENCY_PAGE = /^\/agencies\/([^/]+)\/$/;
/**
 * Pages rendered on demand for one user (login, the contractor's and the desk's pages, the mailed
 * links with their keys): network only, never cached, never the offline fallback of another page.
 */
const PRIVATE = ["/app/", "/desk/", "/login/", "/logout/", "/register/", "/links/"];
const isPrivate = (path) => PRIVATE.some((p) => path === p.slice(0, -1) || path.startsWith(p));
/** A response that asked not to be stored (every on-demand page does) is never put in the cache. */
const storable = (res) => res.ok && res.type === "basic" && !/no-store|private/i.test(res.headers.get("cache-control") || "");
/** Security headers every page is served with (public/_headers): a page taken from a pack keeps them. */
const PAGE_HEADERS = ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "permissions-policy"];

/* __SUBSTITUTE__ */

// The parsed offline table, once per worker start; a failed read is retried next time.
let offlineTable = null;
function loadOfflineTable() {
  if (offlineTable === null) {
    const loading = caches
      .open(CACHE)
      .then((cache) => cache.match(OFFLINE_TABLE_PATH))
      .then((res) => (res ? res.json() : null))
      .catch(() => null)
      .then((table) => {
        if (table === null) offlineTable = null;
        return table;
      });
    offlineTable = loading;
  }
  return offlineTable;
}

async function broadcast(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

/** The headers a page from a pack is served with: the pack's own security headers, as HTML. */
function packedHeaders(res) {
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "x-offline-page": "pack" });
  for (const name of PAGE_HEADERS) if (res.headers.has(name)) headers.set(name, res.headers.get(name));
  return headers;
}

/** Fetches one pack and stores each of its pages that `missing` names; false when the network failed. */
async function unpack(cache, pack, missing) {
  try {
    // The version in the query: a pack from an older build (an HTTP cache, a CDN) is never taken for this one.
    const res = await fetch(`${pack.url}?v=${VERSION}`, { credentials: "omit", cache: "no-cache" });
    if (!res.ok) return false;
    const headers = packedHeaders(res);
    const pages = await res.json();
    await Promise.all(pages.filter(([path]) => missing.has(path)).map(([path, html]) => cache.put(path, new Response(html, { headers }))));
    return true;
  } catch {
    return false; // offline or cut off: the next fill fetches this pack again
  }
}

/** Stores every page not yet in the cache, a pack at a time (in parallel), reporting after each. */
async function fill() {
  const cache = await caches.open(CACHE);
  const stored = async () => new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
  const before = await stored();
  const total = CORE.length + PAGE_COUNT;
  // Core files count as done: the install stores them alongside (and fails without them).
  let done = CORE.length;
  const todo = PACKS.map((pack) => ({ pack, missing: new Set(pack.paths.filter((p) => !before.has(p))) })).filter(
    (t) => t.missing.size > 0,
  );
  done += PAGE_COUNT - todo.reduce((n, t) => n + t.missing.size, 0);
  await broadcast({ type: "progress", done, total });
  await Promise.all(
    todo.map(async ({ pack, missing }) => {
      if (await unpack(cache, pack, missing)) done += missing.size;
      await broadcast({ type: "progress", done, total });
    }),
  );
  // What the guide can show offline: the stored files plus the agency pages it can build.
  const now = await stored();
  const table = await loadOfflineTable();
  const buildable = table === null ? 0 : table.agencies.id.filter((id) => !now.has(`/agencies/${id}/`)).length;
  const agencies = [...now].filter((p) => AGENCY_PAGE.test(p)).length + buildable;
  const complete = PACKS.every((pack) => pack.paths.every((p) => now.has(p)));
  await broadcast({ type: "precached", count: now.size + buildable, agencies, complete });
}

// One fill at a time, however many pages ask for it.
let filling = null;
function fillOnce() {
  if (filling === null) filling = fill().finally(() => (filling = null));
  return filling;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // The packs first (adopted agencies' pages lead), then the core files, all on the link at once.
      // A pack the link cuts off is fetched again after activation; a core file that fails fails the install.
      const pages = fillOnce();
      await cache.addAll(CORE);
      await pages;
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith("guide-") && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
  // Not waited on: a fill must not hold activation back.
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

/** The headers of a page built from its template: those of a stored page, so it runs under the same policy. */
async function pageHeaders() {
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "x-offline-page": "template" });
  const stored = await (await caches.open(CACHE)).match("/");
  if (stored) for (const name of PAGE_HEADERS) if (stored.headers.has(name)) headers.set(name, stored.headers.get(name));
  return headers;
}

/**
 * An unknown agency's page that is not in the cache: the network's answer if it comes within
 * NETWORK_WAIT_MS (cached by `network`), else the page built from its template. A late answer is
 * still cached. Undefined when the table does not cover `id`, so the caller carries on as for any page.
 */
async function agencyPage(event, id, network) {
  const table = await loadOfflineTable();
  if (table === null || !table.agencies.id.includes(id)) return undefined;
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(() => resolve("slow"), NETWORK_WAIT_MS);
  });
  const raced = await Promise.race([network, slow]);
  clearTimeout(timer);
  if (raced === "slow") event.waitUntil(network);
  const res = raced === "slow" ? undefined : raced;
  if (res && res.status < 500) return res;
  try {
    const html = offlinePage(table, id);
    if (html !== null) return new Response(html, { headers: await pageHeaders() });
  } catch {
    // the template and the table disagree (the build checks they cannot): fall back as for any page
  }
  return res;
}

const unavailable = () =>
  new Response("オフラインのため表示できません。", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });

/** The guide's offline page, for a page that needs the network or is not stored yet. */
async function offlineFallback() {
  const page = await (await caches.open(CACHE)).match("/offline/");
  return page || unavailable();
}

/** What a private page says offline: nothing of the user's, only how to carry on. */
function privateOffline() {
  const html =
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>オフラインです | 電子保証プラットフォーム</title></head><body><main>" +
    "<h1>オフラインです</h1><p>このページはログインが必要なため、通信できるときだけ表示します（端末には保存しません）。" +
    "接続を確かめてから、もう一度読み込んでください。</p>" +
    '<p><a href="/">電子保証ガイド（オフラインでも使えます）</a></p></main></body></html>';
  return new Response(html, {
    status: 503,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
    },
  });
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  // The API and the share cards (/og/: for chat apps, never shown by the guide) go to the network as
  // they are; a link to them opened without a network shows the guide's offline page.
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/og/")) {
    if (event.request.mode === "navigate") event.respondWith(fetch(event.request).catch(() => offlineFallback()));
    return;
  }
  if (isPrivate(url.pathname)) {
    if (event.request.mode === "navigate") event.respondWith(fetch(event.request).catch(() => privateOffline()));
    return;
  }
  const key = normalise(url);
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(key);
      const network = fetch(event.request)
        .then(async (res) => {
          if (storable(res)) await cache.put(key, res.clone());
          return res;
        })
        .catch(() => undefined);
      if (hit) {
        if (!url.pathname.startsWith("/_astro/")) event.waitUntil(network);
        return hit;
      }
      const agency = AGENCY_PAGE.exec(key);
      if (agency) {
        const page = await agencyPage(event, agency[1], network);
        if (page) return page;
      }
      const res = await network;
      if (res) return res;
      return event.request.mode === "navigate" ? offlineFallback() : unavailable();
    })(),
  );
});
