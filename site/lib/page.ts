// What every on-demand page does with a form post: read it within a size limit, take its fields
// as typed, and say whether it came at all.
import type { Problem } from "./api.ts";

/** The API takes 64 KB of JSON; a form is never bigger than that for good reason. */
export const MAX_FORM_BYTES = 64 * 1024;

export type FormRead = { ok: true; form: FormData } | { ok: false; problem: Problem };

/**
 * Whether a form post came from another site: its Origin is not this page's, or (no Origin, or
 * "null" under a no-referrer policy) the browser's Sec-Fetch-Site does not say same-origin. The API
 * checks the same for every call it gets; this covers what a page does before or without calling it
 * (e.g. showing the form again with what was posted when the session ended).
 */
export function isCrossSite(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== "null") return origin !== new URL(request.url).origin;
  return request.headers.get("sec-fetch-site") !== "same-origin";
}

const crossSite: Problem = {
  status: 403,
  code: "cross_origin",
  title: "このサイト以外からの操作は受け付けられません。このサイトのページから操作してください",
};

export async function readForm(request: Request): Promise<FormRead> {
  if (isCrossSite(request)) return { ok: false, problem: crossSite };
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) return { ok: false, problem: tooLarge };
  try {
    const raw = await request.arrayBuffer();
    if (raw.byteLength > MAX_FORM_BYTES) return { ok: false, problem: tooLarge };
    const type = request.headers.get("content-type") ?? "application/x-www-form-urlencoded";
    return { ok: true, form: await new Response(raw, { headers: { "content-type": type } }).formData() };
  } catch {
    return {
      ok: false,
      problem: { status: 400, code: "malformed_request", title: "送信された内容を読み取れませんでした。もう一度お試しください" },
    };
  }
}

const tooLarge: Problem = {
  status: 413,
  code: "payload_too_large",
  title: `送信された内容が大きすぎます（上限 ${MAX_FORM_BYTES / 1024} KB）。連絡事項などを短くしてください`,
};

/** A text field as typed ("" when absent or a file). */
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** A random token for an Idempotency-Key carried by a form (a double post acts once). */
export function formToken(): string {
  return crypto.randomUUID();
}

/** A token from the form, if it has the shape the API accepts; else a new one. */
export function tokenFrom(form: FormData, name: string): string {
  const value = text(form, name);
  return /^[\w.:-]{1,64}$/.test(value) ? value : formToken();
}
