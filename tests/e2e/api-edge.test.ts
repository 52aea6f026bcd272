// Through the real Worker, nothing answers under /api but the API: Astro's own origin check
// (an English text/plain 403 for cross-origin form posts) and its 404 page never reach /api.
import { describe, expect, inject, it } from "vitest";

const base = inject("baseUrl");

async function expectProblem(res: Response, status: number): Promise<{ code: string; title: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(res.headers.get("strict-transport-security")).toBeNull(); // not on localhost
  const body = (await res.json()) as { code: string; title: string; status: number };
  expect(body.status).toBe(status);
  expect(body.title).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  return body;
}

describe("the API's edge in the Worker", () => {
  it.each([
    ["application/x-www-form-urlencoded", "contractNumber=1&authKey=2"],
    ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n"],
    ["text/plain", "hello"],
  ])("answers a cross-origin %s POST in problem+json, not Astro's 403", async (type, body) => {
    for (const path of ["/api/v1/verify", "/api/v1/agencies", "/api/v1/nowhere"]) {
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        body,
        headers: { "content-type": type, origin: "https://evil.example" },
      });
      // verify exists and takes JSON only (415); agencies has no POST (405); nowhere is nothing (404).
      const expected = { "/api/v1/verify": [415, "unsupported_media_type"], "/api/v1/agencies": [405, "method_not_allowed"] }[path] ?? [
        404,
        "not_found",
      ];
      const problem = await expectProblem(res, expected[0] as number);
      expect(problem.code).toBe(expected[1]);
    }
  });
  it("answers unknown paths under /api and /.well-known with problem+json, not the 404 page", async () => {
    for (const path of ["/api", "/api/", "/api/v1", "/api/x/y/z", "/.well-known/security.txt", "/api/v1/agencies/%00"]) {
      const res = await fetch(`${base}${path}`);
      expect([404]).toContain(res.status);
      await expectProblem(res, 404);
    }
  });
  it("refuses a 100 KB JSON body with 413 before parsing", async () => {
    const res = await fetch(`${base}/api/v1/agencies`, {
      method: "POST",
      body: JSON.stringify({ q: "x".repeat(100_000) }),
      headers: { "content-type": "application/json" },
    });
    const problem = await expectProblem(res, 413);
    expect(problem.code).toBe("payload_too_large");
  });
});
