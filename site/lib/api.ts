// The logged-in pages are clients of the public API, in process: each call is a Request handed to
// the same Hono app that answers /api/v1/*, with the browser's cookie, and for state changes the
// browser's Origin and Sec-Fetch-Site as they came. So the API's own rules (sessions, roles,
// ownership, the same-origin check) guard the form posts too, and the pages hold no rules of their own.
import { env } from "cloudflare:workers";
import type { AstroGlobal } from "astro";
import { app } from "../../edge/app";
import type { FieldError } from "../../edge/domain/errors.ts";

/** An API error (RFC 9457 problem+json), as the pages show it. */
export interface Problem {
  status: number;
  title: string;
  code: string;
  errors?: FieldError[];
  requestId?: string;
  /** Seconds from Retry-After (429). */
  retryAfter?: number;
}

export type ApiResult<T> = { ok: true; status: number; data: T; headers: Headers } | { ok: false; status: number; problem: Problem };

type Page = Pick<AstroGlobal, "request" | "url" | "locals" | "response">;

/** Request headers every call carries over from the browser. */
const FORWARDED = ["cookie", "cf-connecting-ip", "accept-language", "user-agent"] as const;
/** And state changes: the API's same-origin check reads these, so they pass through untouched. */
const FORWARDED_UNSAFE = ["origin", "sec-fetch-site"] as const;

function parseCookies(header: string | null): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) jar.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return jar;
}

async function problemOf(res: Response): Promise<Problem> {
  let body: Partial<Problem> = {};
  try {
    body = (await res.json()) as Partial<Problem>;
  } catch {
    // not problem+json: keep the generic words below
  }
  const retry = Number(res.headers.get("retry-after"));
  return {
    status: res.status,
    title: typeof body.title === "string" ? body.title : "処理できませんでした",
    code: typeof body.code === "string" ? body.code : "error",
    ...(Array.isArray(body.errors) ? { errors: body.errors } : {}),
    ...(typeof body.requestId === "string" ? { requestId: body.requestId } : {}),
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : {}),
  };
}

export class Api {
  readonly #page: Page;
  /** The browser's cookies, updated by what the API sets (a login's session is used at once). */
  readonly #jar: Map<string, string>;
  readonly #setCookies: string[] = [];

  constructor(page: Page) {
    this.#page = page;
    this.#jar = parseCookies(page.request.headers.get("cookie"));
  }

  async call<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResult<T>> {
    const headers = new Headers({ accept: "application/json" });
    for (const name of FORWARDED) {
      const value = this.#page.request.headers.get(name);
      if (value !== null && name !== "cookie") headers.set(name, value);
    }
    const cookie = [...this.#jar].map(([k, v]) => `${k}=${v}`).join("; ");
    if (cookie !== "") headers.set("cookie", cookie);
    if (method !== "GET" && method !== "HEAD") {
      for (const name of FORWARDED_UNSAFE) {
        const value = this.#page.request.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
    }
    for (const [k, v] of Object.entries(options.headers ?? {})) headers.set(k, v);
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(options.body);
    }
    const request = new Request(new URL(path, this.#page.url.origin), { method, headers, ...(body === undefined ? {} : { body }) });
    const res = await app.fetch(request, env, this.#page.locals.cfContext);
    this.#keepCookies(res.headers);
    if (!res.ok) return { ok: false, status: res.status, problem: await problemOf(res) };
    const data = (res.status === 204 ? undefined : await res.json()) as T;
    return { ok: true, status: res.status, data, headers: res.headers };
  }

  get<T>(path: string): Promise<ApiResult<T>> {
    return this.call<T>("GET", path);
  }
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult<T>> {
    return this.call<T>("POST", path, { body, ...(headers === undefined ? {} : { headers }) });
  }
  patch<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResult<T>> {
    return this.call<T>("PATCH", path, { body, ...(headers === undefined ? {} : { headers }) });
  }

  /** Post/Redirect/Get: a 303 to `to` that carries the cookies the API set (login, logout). */
  redirect(to: string): Response {
    const headers = new Headers({ location: to });
    for (const c of this.#setCookies) headers.append("set-cookie", c);
    return new Response(null, { status: 303, headers });
  }

  /** For a page rendered after API calls: the cookies the API set go onto the page's response. */
  commit(): void {
    for (const c of this.#setCookies.splice(0)) this.#page.response.headers.append("set-cookie", c);
  }

  #keepCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      this.#setCookies.push(line);
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const gone = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || pair.slice(at + 1).trim() === "";
      if (gone) this.#jar.delete(name);
      else this.#jar.set(name, pair.slice(at + 1).trim());
    }
  }
}

/**
 * One API call answered as is (a PDF, say), for a page that passes it on: the browser's client
 * address and language go along; no cookie (the call needs none).
 */
export async function rawApiCall(page: Page, path: string, init: { method: string; headers: Headers; body?: string }): Promise<Response> {
  for (const name of ["cf-connecting-ip", "accept-language", "user-agent"]) {
    const value = page.request.headers.get(name);
    if (value !== null) init.headers.set(name, value);
  }
  return app.fetch(new Request(new URL(path, page.url.origin), init), env, page.locals.cfContext);
}
