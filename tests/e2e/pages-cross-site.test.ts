// A form post from another site to a page is refused before the page does anything with it — in
// particular the application form never echoes a cross-site post back as "your form, please log in
// and press again" (the cookie is SameSite=Lax, so such a post arrives without a session).
import { describe, expect, inject, it } from "vitest";

const base = inject("baseUrl");
const attack = new URLSearchParams({
  notifyEmail: "attacker@evil.test",
  "guarantees.0.depositBank": "偽銀行　本店",
  intent: "save",
}).toString();

describe("cross-site form posts to pages", () => {
  for (const path of ["/app/applications/new/", "/register/", "/desk/companies/", "/app/applications/some-id/", "/report/send/"]) {
    it(`refuses ${path} from another site, echoing nothing`, async () => {
      for (const headers of [
        { origin: "https://evil.example" },
        { "sec-fetch-site": "cross-site" },
        { origin: "null", "sec-fetch-site": "cross-site" },
        {},
      ]) {
        const res = await fetch(`${base}${path}`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          body: attack,
        });
        // Refused (403), or for a page that needs a login first, sent to the login (303): never taken.
        expect([403, 303], JSON.stringify(headers)).toContain(res.status);
        const html = await res.text();
        expect(html).not.toContain("attacker@evil.test");
        expect(html).not.toContain("偽銀行");
        if (res.status === 403) expect(html).toContain("このサイト以外からの操作は受け付けられません");
        else expect(res.headers.get("location")).toMatch(/^\/login\//);
        expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      }
    });
  }
  it("still takes a same-origin post (here: no session, so the login page)", async () => {
    const res = await fetch(`${base}/app/applications/new/`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base, "sec-fetch-site": "same-origin" },
      body: attack,
    });
    expect(res.status).not.toBe(403);
  });
});
