// POST /api/v1/reports (「情報の訂正・追加を知らせる」): a report lands in the database with its
// contact sealed; unknown agencies, wrong types, unknown fields, huge bodies and cross-site posts are
// refused in Japanese problem+json; hostile text is stored as inert text; each client may send 5
// reports in 10 minutes (exactly, also at once); no public route ever returns the contact.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reports } from "../../db/schema/index.ts";
import { importDataKey, open } from "../../edge/security/secret-box.ts";
import { contactContext, REPORT_ID_PATTERN } from "../../edge/services/reports.ts";
import { tally } from "../http.ts";
import { expectProblem, fixedClock, json, useTestDatabase } from "./helpers.ts";

const { call, db, env } = useTestDatabase();
const hasJapanese = /[ぁ-んァ-ヶ一-龠]/;
let ip = 0;
/** Each test speaks from its own client address, so the per-client limit is its own. */
const nextClient = () => `203.0.113.${++ip}`;

const report = (body: unknown, client: string, headers: Record<string, string> = {}, clock?: string) =>
  call(
    "/api/v1/reports",
    {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": client, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
    clock === undefined ? {} : { clock: fixedClock(clock) },
  );

const HIOKI = "462161";
const valid = {
  agencyId: HIOKI,
  message: "令和7年4月1日以降に契約する工事から電子保証を導入したと市のホームページにあります。",
  sourceUrl: "https://www.city.hioki.kagoshima.jp/keiyaku/denshi-hosho.html",
};

async function storedRow(id: string) {
  const [row] = await db().select().from(reports).where(eq(reports.id, id));
  if (row === undefined) throw new Error(`report ${id} not stored`);
  return row;
}

describe("POST /api/v1/reports", () => {
  it("stores a report and answers 201 with its 受付番号 and time; the contact is sealed", async () => {
    const contact = "reporter-7f3a@example.jp";
    const res = await report({ ...valid, contact }, nextClient(), { origin: "http://localhost" }, "2026-12-02T03:04:05.000Z");
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await json<{ id: string; receivedAt: string }>(res);
    expect(Object.keys(body).sort()).toEqual(["id", "receivedAt"]);
    expect(body.id).toMatch(REPORT_ID_PATTERN);
    expect(body.receivedAt).toBe("2026-12-02T03:04:05.000Z");
    const row = await storedRow(body.id);
    expect(row).toMatchObject({ agencyId: HIOKI, message: valid.message, sourceUrl: valid.sourceUrl, handledAt: null });
    expect(row.contactBox).not.toContain(contact);
    expect(row.contactBox).toMatch(/^v1\./);
    const key = await importDataKey(String(env()["DATA_ENCRYPTION_KEY"]));
    expect(new TextDecoder().decode(await open(key, row.contactBox ?? "", contactContext(body.id)))).toBe(contact);
    // Bound to its report: the box does not open as another report's.
    await expect(open(key, row.contactBox ?? "", contactContext("0000000000"))).rejects.toThrow();
  });

  it("takes the optional fields as absent when blank or null, and an API client without Origin", async () => {
    const res = await report({ agencyId: HIOKI, message: "  開始日が変わりました  ", sourceUrl: "", contact: null }, nextClient());
    expect(res.status).toBe(201);
    const row = await storedRow((await json<{ id: string }>(res)).id);
    expect(row).toMatchObject({ message: "開始日が変わりました", sourceUrl: null, contactBox: null });
  });

  it("answers an unknown agency with 404 naming the field", async () => {
    const problem = await expectProblem(await report({ ...valid, agencyId: "999999" }, nextClient()), 404, "agency_not_found");
    expect(problem.title).toMatch(hasJapanese);
    expect(problem.errors).toEqual([{ field: "agencyId", message: "該当する発注者が見つかりません" }]);
  });

  it("refuses wrong types with 422 and a Japanese message per field", async () => {
    const problem = await expectProblem(
      await report({ agencyId: 462161, message: ["a"], sourceUrl: 5, contact: { e: "x" } }, nextClient()),
      422,
      "validation_failed",
    );
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["agencyId", "contact", "message", "sourceUrl"]);
    for (const e of problem.errors ?? []) expect(e.message).toMatch(hasJapanese);
    for (const body of ["null", "[]", '"text"', "42"]) await expectProblem(await report(body, nextClient()), 422, "validation_failed");
    await expectProblem(await report({ message: "内容" }, nextClient()), 422, "validation_failed");
  });

  it("refuses unknown fields, naming them", async () => {
    const problem = await expectProblem(await report({ ...valid, status: "adopted", id: "x" }, nextClient()), 422, "validation_failed");
    expect(problem.errors?.[0]?.message).toContain("status");
    expect(problem.errors?.[0]?.message).toMatch(hasJapanese);
  });

  it("checks lengths, the URL and the contact after taking invisible characters out", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, message: "" }, "message"],
      [{ ...valid, message: "\u200b\u200d\u202e \n\t" }, "message"],
      [{ ...valid, message: "あ".repeat(2001) }, "message"],
      [{ ...valid, agencyId: "" }, "agencyId"],
      [{ ...valid, sourceUrl: "javascript:alert(1)" }, "sourceUrl"],
      [{ ...valid, sourceUrl: "ftp://example.jp/a" }, "sourceUrl"],
      [{ ...valid, sourceUrl: "www.city.hioki.kagoshima.jp" }, "sourceUrl"],
      [{ ...valid, sourceUrl: `https://example.jp/${"a".repeat(2000)}` }, "sourceUrl"],
      [{ ...valid, contact: "山田です" }, "contact"],
      [{ ...valid, contact: `${"a".repeat(195)}@example.jp` }, "contact"],
    ];
    for (const [body, field] of cases) {
      const problem = await expectProblem(await report(body, nextClient()), 422, "validation_failed");
      expect(problem.errors?.map((e) => e.field)).toEqual([field]);
      expect(problem.errors?.[0]?.message).toMatch(hasJapanese);
    }
    // 2000 characters exactly, counted as people count them (𠮷 is one), are fine.
    expect((await report({ ...valid, message: "𠮷".repeat(2000) }, nextClient())).status).toBe(201);
    // A phone number in full-width digits is a contact.
    expect((await report({ ...valid, contact: "０９９－２７３－１１１１" }, nextClient())).status).toBe(201);
  });

  it("refuses a huge body with 413, malformed JSON with 400 and a form with 415", async () => {
    const huge = JSON.stringify({ ...valid, message: "あ".repeat(30_000) });
    const problem = await expectProblem(await report(huge, nextClient()), 413, "payload_too_large");
    expect(problem.title).toMatch(hasJapanese);
    await expectProblem(await report("{not json", nextClient()), 400, "malformed_request");
    await expectProblem(
      await report("agencyId=462161&message=x", nextClient(), { "content-type": "application/x-www-form-urlencoded" }),
      415,
      "unsupported_media_type",
    );
  });

  it("stores hostile strings as inert text, without the invisible characters", async () => {
    const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)>'); DROP TABLE reports;-- \u202e\u200bＡ\u0007\u0000${"\u{E0041}"}`;
    const res = await report({ ...valid, message: hostile, contact: "o'brien+<b>x</b>@example.jp" }, nextClient());
    expect(res.status).toBe(201);
    const row = await storedRow((await json<{ id: string }>(res)).id);
    expect(row.message).toBe(`<script>alert("x")</script><img src=x onerror=alert(1)>'); DROP TABLE reports;-- Ａ`);
    const count = await db().all<{ n: number }>(sql`select count(*) as n from reports`);
    expect(count[0]?.n).toBeGreaterThan(0);
  });

  it("refuses a post from another site's page (its Origin), in Japanese", async () => {
    for (const headers of [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { origin: "http://localhost.evil.example" },
    ]) {
      const problem = await expectProblem(await report(valid, nextClient(), headers), 403, "cross_origin");
      expect(problem.title).toMatch(hasJapanese);
    }
    expect((await report(valid, nextClient(), { origin: "http://localhost", "sec-fetch-site": "same-origin" })).status).toBe(201);
  });

  it("allows 5 reports per client in 10 minutes, then 429 with Retry-After; other clients are not held", async () => {
    const client = nextClient();
    const at = "2026-12-02T05:00:00.000Z";
    for (let i = 0; i < 5; i++) expect((await report(valid, client, {}, at)).status).toBe(201);
    const refused = await report(valid, client, {}, "2026-12-02T05:01:00.000Z");
    const problem = await expectProblem(refused, 429, "too_many_requests");
    expect(problem.title).toMatch(hasJapanese);
    expect(Number(refused.headers.get("retry-after"))).toBe(540);
    expect((await report(valid, nextClient(), {}, at)).status).toBe(201);
    // Refused reports are not stored; after the window the client may send again.
    const before = await db().all<{ n: number }>(sql`select count(*) as n from reports`);
    expect((await report(valid, client, {}, "2026-12-02T05:09:59.000Z")).status).toBe(429);
    expect(await db().all<{ n: number }>(sql`select count(*) as n from reports`)).toEqual(before);
    expect((await report(valid, client, {}, "2026-12-02T05:10:00.000Z")).status).toBe(201);
  });

  it("holds the limit exactly under simultaneous reports", { timeout: 30_000 }, async () => {
    const client = nextClient();
    const results = await Promise.all(Array.from({ length: 15 }, () => report(valid, client)));
    expect(tally(results.map((r) => r.status))).toEqual({ 201: 5, 429: 10 });
  });

  it("never returns the contact from any public route", async () => {
    const contact = "never-echoed-91c2@example.jp";
    const created = await report({ ...valid, contact }, nextClient());
    const answers = [await created.text()];
    // A rejected report that carried the contact, whichever field was wrong.
    answers.push(await (await report({ ...valid, message: "", contact }, nextClient())).text());
    answers.push(await (await report({ ...valid, agencyId: "999999", contact }, nextClient())).text());
    answers.push(await (await report({ ...valid, contact, extra: 1 }, nextClient())).text());
    for (const path of [
      `/api/v1/agencies/${HIOKI}`,
      `/api/v1/agencies?q=${encodeURIComponent("日置")}`,
      "/api/v1/agencies?limit=2000",
      "/api/v1/guarantors",
      "/api/v1/openapi.json",
      "/api/v1/health",
      `/api/v1/eligibility?agency=${HIOKI}&guarantee=contract&work=construction&contractedOn=2026-12-01`,
    ]) {
      answers.push(await (await call(path)).text());
    }
    // The table has no reading route at all.
    expect((await call("/api/v1/reports")).status).toBe(405);
    for (const text of answers) expect(text).not.toContain(contact);
  });

  it("keeps reports append-only in the database: no delete, no rewrite, handled only once", async () => {
    const { id } = await json<{ id: string }>(await report(valid, nextClient()));
    await expect(db().run(sql`delete from reports where id = ${id}`)).rejects.toThrow();
    await expect(db().run(sql`update reports set message = 'changed' where id = ${id}`)).rejects.toThrow();
    await db().run(sql`update reports set handled_at = '2026-12-03T00:00:00.000Z' where id = ${id}`);
    await expect(db().run(sql`update reports set handled_at = null where id = ${id}`)).rejects.toThrow();
    expect((await storedRow(id)).message).toBe(valid.message);
  });

  it("is in the OpenAPI document with its request, receipt and problems", async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    }>(await call("/api/v1/openapi.json"));
    const post = doc.paths["/api/v1/reports"]?.["post"];
    expect(Object.keys(post?.responses ?? {}).sort()).toEqual(["201", "400", "403", "404", "413", "415", "422", "429"]);
    expect(doc.components.schemas["ReportRequest"]).toMatchObject({
      required: expect.arrayContaining(["agencyId", "message"]),
      additionalProperties: false,
    });
    expect(doc.components.schemas["ReportReceipt"]).toBeDefined();
  });
});
