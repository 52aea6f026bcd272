// Who is looking at a logged-in page, from GET /api/v1/me: a page either gets its user, or a
// response to send instead (the login page, the code page), or a problem to show (wrong role).
import type { Api, Problem } from "./api.ts";

export type Role = "contractor" | "staff";

export interface Me {
  id: string;
  email: string;
  role: Role;
  company?: { id: string; name: string; status: "pending" | "approved" };
  guarantor?: { id: string; name: string };
}

export type Access = { me: Me } | { response: Response } | { problem: Problem; me?: Me };

/** Where each role starts. */
export const homeOf = (role: Role): string => (role === "staff" ? "/desk/" : "/app/");

/**
 * `next` as given to the login page, if it is a path on this site (never another host, never a
 * scheme-relative //host, never a backslash trick): else null.
 */
export function safeNext(next: string | null | undefined): string | null {
  if (next === null || next === undefined || next.length > 512) return null;
  if (!/^\/(?![/\\])[^\s\\]*$/.test(next)) return null;
  const url = new URL(next, "https://same.invalid");
  if (url.origin !== "https://same.invalid") return null;
  if (url.pathname.startsWith("/logout") || url.pathname.startsWith("/login")) return null;
  return `${url.pathname}${url.search}`;
}

export const loginUrl = (path: string): string => `/login/?next=${encodeURIComponent(path)}`;

/** The page's own path and query, for `next`. */
export const hereOf = (url: URL): string => `${url.pathname}${url.search}`;

/** The logged-in user of this page, of `role` when given. */
export async function requireUser(api: Api, here: string, role?: Role): Promise<Access> {
  const res = await api.get<Me>("/api/v1/me");
  if (!res.ok) {
    if (res.status === 401) {
      const to = res.problem.code === "second_factor_required" ? "/login/totp/" : "/login/";
      return { response: api.redirect(`${to}?next=${encodeURIComponent(here)}`) };
    }
    return { problem: res.problem };
  }
  const me = res.data;
  if (role !== undefined && me.role !== role) {
    return {
      me,
      problem: {
        status: 403,
        code: "forbidden",
        title:
          role === "staff" ? "このページは保証会社の担当者のみが利用できます" : "このページは受注者（申込みをする会社）のみが利用できます",
      },
    };
  }
  return { me };
}
