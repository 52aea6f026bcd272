// The on-demand pages' edge: the same security headers as the static pages (script policy 'self'
// only, no inline script), never stored (no-store, and never by the service worker, which says it is
// offline instead of showing old data), Japanese error pages with those headers, and form posts
// from another site refused by the API's own same-origin check.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cookieOf } from "../http.ts";
import { directives, login } from "./app-pages.ts";
import { launch } from "./chromium.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
let browser: Browser;
let contractor = "";
let staff = "";
let staticPolicy = new Map<string, string>();

async function apiLogin(email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return cookieOf(res);
}

beforeAll(async () => {
  browser = await launch();
  [contractor, staff] = await Promise.all([
    apiLogin(demo.contractor.email, demo.contractor.password),
    apiLogin(demo.staff.email, demo.staff.password),
  ]);
  const home = await fetch(`${base}/`);
  await home.body?.cancel();
  staticPolicy = directives(home.headers.get("content-security-policy") ?? "");
});
afterAll(async () => {
  await browser.close();
});

const get = (path: string, cookie = "") => fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });

/** The headers of public/_headers, with a script policy of 'self' alone, and no-store (the link page: no referrer at all). */
function expectOnDemandHeaders(headers: Headers, referrer = "strict-origin-when-cross-origin") {
  const policy = directives(headers.get("content-security-policy") ?? "");
  expect(policy.get("script-src")).toBe("'self'");
  expect(policy.get("frame-ancestors")).toBe("'none'");
  // Every other directive exactly as the static pages have it.
  const rest = (m: Map<string, string>) => [...m].filter(([k]) => k !== "script-src").sort();
  expect(rest(policy)).toEqual(rest(staticPolicy));
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("referrer-policy")).toBe(referrer);
  expect(headers.get("permissions-policy")).toContain("geolocation=()");
  expect(headers.get("cache-control")).toBe("no-store");
  expect(headers.has("strict-transport-security")).toBe(false); // never on a local run
}

describe("on-demand pages", () => {
  it("the static pages' policy has script hashes (what the on-demand pages do without)", () => {
    expect(staticPolicy.get("script-src")).toMatch(/^'self'( 'sha256-[A-Za-z0-9+/=]+')+$/);
  });

  it.each([
    ["/login/", "anonymous", 200],
    ["/register/", "anonymous", 200],
    ["/login/totp/enrol/", "anonymous", 303],
    ["/app/", "anonymous", 303],
    ["/app/", "contractor", 200],
    ["/app/applications/new/", "contractor", 200],
    ["/desk/", "staff", 200],
    ["/desk/companies/", "staff", 200],
    ["/login/totp/enrol/", "staff", 200],
    ["/logout/", "contractor", 200],
    ["/report/send/?received=0123456789", "anonymous", 200],
    ["/report/send/", "anonymous", 303],
  ] as const)("%s (%s) answers %i with the page headers, no-store and no inline script", async (path, who, status) => {
    const res = await get(path, who === "contractor" ? contractor : who === "staff" ? staff : "");
    expect(res.status).toBe(status);
    expectOnDemandHeaders(res.headers);
    const html = await res.text();
    if (status === 200) {
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(html).toContain('<html lang="ja"');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it.each([
    ["/desk/", "contractor", 403, "このページは保証会社の担当者のみが利用できます"],
    ["/app/", "staff", 403, "このページは受注者（申込みをする会社）のみが利用できます"],
    ["/app/applications/00000000-0000-4000-8000-000000000000/", "contractor", 404, "該当する申込みが見つかりません"],
    ["/desk/applications/00000000-0000-4000-8000-000000000000/", "staff", 404, "該当する申込みが見つかりません"],
    ["/app/guarantees/0000000000/", "contractor", 404, "見つかりません"],
    ["/links/not-a-link/", "anonymous", 404, "このリンクは使えません"],
  ] as const)("%s (%s) is a Japanese %i page with the same headers", async (path, who, status, text) => {
    const res = await get(path, who === "contractor" ? contractor : who === "staff" ? staff : "");
    expect(res.status).toBe(status);
    expectOnDemandHeaders(res.headers, path.startsWith("/links/") ? "no-referrer" : undefined);
    const html = await res.text();
    expect(html).toContain('<html lang="ja"');
    expect(html).toContain(text);
    expect(html).not.toMatch(/\bat \S+ \(|Error:|stack/); // never a stack
  });

  it("sends a logged-out visitor to the login page with where they were going", async () => {
    const res = await get("/app/applications/new/?x=1");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/login/?next=${encodeURIComponent("/app/applications/new/?x=1")}`);
  });

  it.each(["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"])(
    "ignores next=%s after login (only paths on this site)",
    async (next) => {
      const res = await fetch(`${base}/login/?next=${encodeURIComponent(next)}`, {
        method: "POST",
        redirect: "manual",
        headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: demo.contractor.email, password: demo.contractor.password }),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/app/");
    },
  );

  it("a login throttled by the API says so in Japanese with the wait, on the login page", async () => {
    // An unknown address from a documentation-range client: only this test's counters move.
    const email = `throttled-${crypto.randomUUID().slice(0, 8)}@example.jp`;
    const post = () =>
      fetch(`${base}/login/`, {
        method: "POST",
        headers: { origin: base, "cf-connecting-ip": "203.0.113.61", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email, password: "wrong-password-0" }),
      });
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await post();
      if (last.status === 429) break;
      expect(last.status).toBe(401);
      await last.body?.cancel();
    }
    expect(last?.status).toBe(429);
    expectOnDemandHeaders(last?.headers ?? new Headers());
    const html = (await last?.text()) ?? "";
    expect(html).toContain("ログインの失敗が続いたため");
    expect(html).toMatch(/(約\d+分|\d+秒)ほどお待ちください/);
    expect(html).toContain(`value="${email}"`); // the address stays in the form
  });

  it.each([
    ["/login/", "anonymous"],
    ["/register/", "anonymous"],
    ["/app/", "contractor"],
    ["/app/applications/new/", "contractor"],
    ["/desk/", "staff"],
    ["/desk/companies/", "staff"],
  ] as const)("%s runs in Chromium without a policy violation", async (path, who) => {
    const context = await browser.newContext({ locale: "ja-JP" });
    const cookie = who === "contractor" ? contractor : who === "staff" ? staff : "";
    if (cookie !== "") {
      const [name = "", value = ""] = cookie.split("=");
      await context.addCookies([{ name, value, url: base }]);
    }
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    page.on("pageerror", (e) => violations.push(e.message));
    const res = await page.goto(`${base}${path}`);
    expect(res?.status()).toBe(200);
    await page.waitForLoadState("networkidle");
    await context.close();
    expect(violations).toEqual([]);
  });
});

describe("form posts from another site", () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);
  async function applications(): Promise<number> {
    const res = await fetch(`${base}/api/v1/applications`, { headers: { cookie: contractor } });
    return ((await res.json()) as { items: unknown[] }).items.length;
  }

  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["no Origin and Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }],
    ["no Origin and no Sec-Fetch-Site", {}],
  ])("are refused with %s: a Japanese 403 page, nothing saved", async (_what, headers) => {
    const before = await applications();
    const res = await fetch(`${base}/app/applications/new/`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: contractor, "content-type": "application/x-www-form-urlencoded", ...headers },
      body: form({ "project.name": "他サイトからの申込み", action: "save", createKey: crypto.randomUUID() }),
    });
    expect(res.status).toBe(403);
    expectOnDemandHeaders(res.headers);
    expect(await res.text()).toContain("このサイト以外からの操作は受け付けられません");
    expect(await applications()).toBe(before);
  });

  it("are judged against the host the page is served under (a production host, not localhost)", async () => {
    // workerd keeps the Host header in request.url, as production does: the page's in-process API
    // call must see the same origin the browser does.
    const post = (origin: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(base);
        const body = new URLSearchParams({ email: "nobody@example.jp", password: "wrong-password-0" }).toString();
        const req = request(
          {
            hostname,
            port,
            path: "/login/",
            method: "POST",
            headers: {
              host: "guide.example.jp",
              origin,
              "content-type": "application/x-www-form-urlencoded",
              "cf-connecting-ip": "203.0.113.62",
            },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              text += chunk;
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const same = await post("http://guide.example.jp");
    expect(same.status).toBe(401); // reached the password check
    expect(same.body).toContain("メールアドレスまたはパスワードが正しくありません");
    const other = await post(base);
    expect(other.status).toBe(403);
    expect(other.body).toContain("このサイト以外からの操作は受け付けられません");
  });

  it("cannot approve a company or log anyone out", async () => {
    const approve = await fetch(`${base}/desk/companies/`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: staff, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: form({ companyId: demo.contractor.companyId }),
    });
    expect(approve.status).toBe(403);
    const logout = await fetch(`${base}/logout/`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: contractor, origin: "https://evil.example" },
    });
    expect(logout.status).toBe(403);
    expect((await fetch(`${base}/api/v1/me`, { headers: { cookie: contractor } })).status).toBe(200);
  });

  it("a real cross-site form in Chromium does not log the user out", async () => {
    // Another origin (127.0.0.1 is not localhost) whose page posts a form to the platform at once.
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><form id="f" method="post" action="${base}/logout/"></form><script>document.getElementById("f").submit()</script>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const context = await browser.newContext({ locale: "ja-JP" });
    try {
      const page = await context.newPage();
      await login(page, base, demo.contractor.email, demo.contractor.password);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${base}/logout/`),
        page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`),
      ]);
      expect(response.status()).toBe(403);
      await page.goto(`${base}/app/`);
      expect(new URL(page.url()).pathname).toBe("/app/");
    } finally {
      await context.close();
      evil.close();
    }
  });
});

describe("the service worker and the logged-in pages", () => {
  it("never stores them, and offline says so instead of showing old data", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: "ja-JP" });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.getElementById("offline-status")?.dataset["state"] === "ready", null, { timeout: 90_000 });
    await login(page, base, demo.contractor.email, demo.contractor.password);
    for (const path of ["/app/", "/app/applications/new/", "/login/", "/register/", "/links/not-a-link/"])
      await page.goto(`${base}${path}`);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const stored = await page.evaluate(async () => {
      const paths: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys()) paths.push(new URL(req.url).pathname);
      return paths;
    });
    expect(stored).toContain("/faq/"); // the guide is stored …
    expect(stored.filter((p) => /^\/(app|desk|login|logout|register|links)\//.test(p))).toEqual([]); // … these never

    await context.setOffline(true);
    const res = await page.goto(`${base}/app/`);
    expect(res?.status()).toBe(503);
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).toContain("オフラインです");
    expect(text).not.toContain(demo.contractor.companyName);
    const guide = await page.goto(`${base}/faq/`);
    expect(guide?.ok()).toBe(true); // the guide still works offline
    await context.close();
  });
});
