// The one error edge: whatever layer fails, /api answers problem+json in Japanese, never 500.
import { createRoute, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { createApp } from "../../edge/app.ts";
import { Conflict, Forbidden, TooMany, Unauthorized } from "../../edge/domain/errors.ts";
import { createRouter } from "../../edge/http/router.ts";
import { expectProblem, useTestDatabase } from "./helpers.ts";

const { call, env } = useTestDatabase();

// A JSON POST route like the ones accounts and verification will add, plus routes that raise
// each domain error, mounted only in this test's app.
const probe = createRouter();
probe.openapi(
  createRoute({
    method: "post",
    path: "/probe",
    request: {
      body: {
        required: true,
        content: { "application/json": { schema: z.object({ name: z.string().min(1), count: z.number().int().min(0) }) } },
      },
    },
    responses: { 200: { description: "ok" } },
  }),
  (c) => c.json(c.req.valid("json"), 200),
);
const raising = { conflict: new Conflict("既に登録されています"), forbidden: new Forbidden(), unauthorized: new Unauthorized() };
probe.get("/raise/:kind", (c) => {
  const kind = c.req.param("kind");
  if (kind === "too_many") throw new TooMany(42);
  if (kind === "crash") throw new Error("secret internal detail");
  throw raising[kind as keyof typeof raising];
});
const probeApp = createApp({ extraRoutes: [probe] });
const post = (body: BodyInit, headers: Record<string, string>) =>
  probeApp.request("/api/v1/probe", { method: "POST", body, headers }, env());

const hasJapanese = /[ぁ-んァ-ヶ一-龠]/;
const validatorEnglish = /\b(NaN|string|number|undefined|Invalid|expected|received|Required)\b/i;

describe("bodies", () => {
  it("accepts a well-formed JSON body", async () => {
    const res = await post(JSON.stringify({ name: "a", count: 1 }), { "content-type": "application/json" });
    expect(res.status).toBe(200);
  });
  it("answers malformed JSON with 400, not 500", async () => {
    for (const body of ["{", "{'name': 1}", "nul", "\u0000"]) {
      const problem = await expectProblem(await post(body, { "content-type": "application/json" }), 400, "malformed_request");
      expect(problem.title).toMatch(hasJapanese);
    }
  });
  it("answers a well-formed but invalid body with 422 naming each field in Japanese", async () => {
    const problem = await expectProblem(
      await post(JSON.stringify({ name: 5, count: "x" }), { "content-type": "application/json" }),
      422,
      "validation_failed",
    );
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["count", "name"]);
    for (const e of problem.errors ?? []) expect(e.message).toMatch(hasJapanese);
    await expectProblem(await post("null", { "content-type": "application/json" }), 422, "validation_failed");
    await expectProblem(await post("[]", { "content-type": "application/json" }), 422, "validation_failed");
  });
  it("refuses other content types with 415, whatever the Origin (no Astro 403)", async () => {
    await expectProblem(await post("name=a", { "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
    await expectProblem(
      await post("name=a", { "content-type": "text/plain", origin: "https://evil.example" }),
      415,
      "unsupported_media_type",
    );
    await expectProblem(await post('{"name":"a","count":1}', {}), 415, "unsupported_media_type");
  });
  it("refuses bodies over 64 KB with 413 before parsing", async () => {
    const big = JSON.stringify({ name: "あ".repeat(30_000), count: 1 });
    const problem = await expectProblem(await post(big, { "content-type": "application/json" }), 413, "payload_too_large");
    expect(problem.title).toContain("64 KB");
    // Also when the length is not declared up front (a stream).
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(8192)));
        controller.close();
      },
    });
    const res = await probeApp.request(
      "/api/v1/probe",
      { method: "POST", body: stream, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit,
      env(),
    );
    await expectProblem(res, 413, "payload_too_large");
  });
});

describe("domain errors, mapped in one place", () => {
  it.each([
    ["conflict", 409, "conflict"],
    ["forbidden", 403, "forbidden"],
    ["unauthorized", 401, "unauthorized"],
    ["too_many", 429, "too_many_requests"],
  ])("%s → %i", async (kind, status, code) => {
    const res = await probeApp.request(`/api/v1/raise/${kind}`, {}, env());
    if (kind === "too_many") expect(res.headers.get("retry-after")).toBe("42");
    await expectProblem(res, status, code);
  });
  it("hides unexpected errors behind a generic 500 with the request id", async () => {
    const res = await probeApp.request("/api/v1/raise/crash", {}, env());
    const text = await res.clone().text();
    expect(text).not.toContain("secret internal detail");
    const problem = await expectProblem(res, 500, "internal_error");
    expect((problem as unknown as { requestId: string }).requestId).toBe(res.headers.get("x-request-id"));
  });
});

describe("paths and methods", () => {
  it("answers a known path with the wrong method with 405 and Allow", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await call("/api/v1/agencies", { method });
      expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
      await expectProblem(res, 405, "method_not_allowed");
    }
    const param = await call("/api/v1/agencies/462161", { method: "DELETE" });
    await expectProblem(param, 405, "method_not_allowed");
    const jwks = await call("/.well-known/jwks.json", { method: "POST" });
    await expectProblem(jwks, 405, "method_not_allowed");
    expect((await call("/api/v1/health", { method: "OPTIONS" })).headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
  it("answers unknown paths under /api with 404 problem+json (trailing slashes included)", async () => {
    for (const path of [
      "/api/v1/nothing-here",
      "/api/v2/health",
      "/api",
      "/api/",
      "/.well-known/nothing",
      "/api/v1/health/",
      "/api/v1/agencies/462161/",
    ]) {
      await expectProblem(await call(path), 404, "not_found");
      await expectProblem(await call(path, { method: "POST", body: "a=1", headers: { "content-type": "text/plain" } }), 404, "not_found");
    }
  });
});

describe("query parameters", () => {
  it("takes numbers only as plain decimal integers, saying the range", async () => {
    for (const limit of ["1e3", "0x10", " 10", "10 ", "+5", "-1", "1.5", "", "NaN", "Infinity", "99999999999", "２０"]) {
      const problem = await expectProblem(await call(`/api/v1/agencies?limit=${encodeURIComponent(limit)}`), 422, "validation_failed");
      expect(problem.errors).toEqual([{ field: "limit", message: "件数（limit）は1から2000までの整数（半角数字）で指定してください" }]);
    }
    expect((await call("/api/v1/agencies?limit=2000")).status).toBe(200);
    expect((await call("/api/v1/agencies?limit=007")).status).toBe(200);
    await expectProblem(await call("/api/v1/agencies?prefecture=48"), 422, "validation_failed");
  });
  it("takes real calendar dates within a plausible range", async () => {
    const base = "/api/v1/eligibility?agency=462161&guarantee=advance&work=construction&bidAnnouncedOn=";
    for (const date of ["2025-02-30", "2025-13-01", "9999-12-31", "7981-01-01", "1999-12-31", "2025-6-1", "20250601", "2025-06-01T00:00"]) {
      const problem = await expectProblem(await call(base + encodeURIComponent(date)), 422, "validation_failed");
      expect(problem.errors).toHaveLength(1); // one message per field: the first thing wrong
      expect(problem.errors?.[0]?.field).toBe("bidAnnouncedOn");
      expect(problem.errors?.[0]?.message).toMatch(/^入札公告日（bidAnnouncedOn）は/);
    }
    expect((await call(`${base}2024-02-29`)).status).toBe(200);
  });
  it("says so when a parameter is given twice", async () => {
    for (const [query, field] of [
      ["limit=5&limit=6", "limit"],
      ["q=a&q=b", "q"],
      ["status=adopted&status=none", "status"],
    ]) {
      const problem = await expectProblem(await call(`/api/v1/agencies?${query}`), 422, "validation_failed");
      expect(problem.errors).toEqual([{ field, message: expect.stringMatching(/は1回だけ指定してください$/) }]);
    }
    const dates = await expectProblem(
      await call("/api/v1/eligibility?agency=462161&guarantee=advance&work=construction&contractedOn=2025-05-01&contractedOn=2025-06-01"),
      422,
      "validation_failed",
    );
    expect(dates.errors).toEqual([{ field: "contractedOn", message: "契約締結日（contractedOn）は1回だけ指定してください" }]);
  });
  it("gives the range message for real dates outside it, however early", async () => {
    for (const date of ["0001-01-01", "0099-12-31", "1900-01-01"]) {
      const problem = await expectProblem(
        await call(`/api/v1/eligibility?agency=462161&guarantee=advance&work=construction&bidAnnouncedOn=${date}`),
        422,
        "validation_failed",
      );
      expect(problem.errors?.[0]?.message).toContain("平成12年1月1日から令和81年12月31日まで");
    }
  });
  it("refuses a contract date before the bid-announcement date", async () => {
    const problem = await expectProblem(
      await call("/api/v1/eligibility?agency=462161&guarantee=advance&work=construction&bidAnnouncedOn=2025-07-01&contractedOn=2025-06-30"),
      422,
      "validation_failed",
    );
    expect(problem.errors).toEqual([{ field: "contractedOn", message: "契約締結日は入札公告日以降の日付を入力してください" }]);
  });
  it("writes every message in Japanese, with no validator English leaking", async () => {
    const bad = [
      "/api/v1/agencies?limit=abc&prefecture=x&status=maybe",
      "/api/v1/agencies?limit=1&limit=2",
      "/api/v1/eligibility",
      "/api/v1/eligibility?agency=&guarantee=1&work=&issuer=bank2&contractedOn=x&bidAnnouncedOn=&originalContractedOn=2025-02-30",
      "/api/v1/eligibility?agency=462161&guarantee=advance&guarantee=contract&work=construction",
    ];
    for (const path of bad) {
      const problem = await expectProblem(await call(path), 422, "validation_failed");
      expect(problem.errors?.length).toBeGreaterThan(0);
      for (const e of problem.errors ?? []) {
        expect(e.message, `${path} ${e.field}`).toMatch(hasJapanese);
        expect(e.message, `${path} ${e.field}`).not.toMatch(validatorEnglish);
      }
    }
  });
});
