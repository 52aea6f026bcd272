// The desk's company approval: every role × route cell, same-origin, idempotency, audit.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { applications, auditLog, companies, users } from "../../db/schema/index.ts";
import { verifyAudit } from "../../edge/services/audit.ts";
import { cookieOf } from "../http.ts";
import { makeStaff } from "./factories.ts";
import { expectProblem, json, useTestDatabase } from "./helpers.ts";

const { call, db } = useTestDatabase();
const ORIGIN = "http://localhost";
let serial = 0;
const company = { name: "株式会社承認待ち", address: "島根県松江市殿町1番地", representative: "代表 松江一郎" };
const send = (method: string, path: string, cookie: string, body?: unknown, origin = ORIGIN) =>
  call(path, {
    method,
    headers: { cookie, ...(origin === "" ? {} : { origin }), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function contractor() {
  const email = `c${serial++}@example.jp`;
  const res = await send("POST", "/api/v1/auth/register", "", { email, password: "contractor password", company });
  const body = await json<{ company: { id: string } }>(res);
  return { cookie: cookieOf(res), companyId: body.company.id };
}

async function staff(guarantorId = "wjcs") {
  const { email, password } = await makeStaff(db(), { guarantorId: guarantorId });
  const res = await send("POST", "/api/v1/auth/login", "", { email, password });
  expect(res.status).toBe(200);
  return { cookie: cookieOf(res) };
}

describe("POST /api/v1/staff/companies/{id}/approve", () => {
  it("lets staff approve a pending company, after which the contractor's me says approved", async () => {
    const c = await contractor();
    const s = await staff();
    const pending = await json<{ items: { id: string; status: string }[] }>(
      await send("GET", "/api/v1/staff/companies?status=pending", s.cookie),
    );
    expect(pending.items.map((i) => i.id)).toContain(c.companyId);
    const res = await send("POST", `/api/v1/staff/companies/${c.companyId}/approve`, s.cookie);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: c.companyId, status: "approved", approvedAt: expect.any(String) });
    expect(await json(await send("GET", "/api/v1/me", c.cookie))).toMatchObject({ company: { id: c.companyId, status: "approved" } });
  });
  it("is idempotent, and records one audit entry however often it is called", async () => {
    const c = await contractor();
    const s = await staff("ejcs");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => send("POST", `/api/v1/staff/companies/${c.companyId}/approve`, s.cookie)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const entries = await db().select().from(auditLog).where(eq(auditLog.subject, c.companyId));
    expect(entries.filter((e) => e.action === "company.approved")).toHaveLength(1);
    expect((await verifyAudit(db())).firstBroken).toBeNull();
  });
  it("is 404 for an unknown company, with no audit entry", async () => {
    const s = await staff();
    await expectProblem(await send("POST", "/api/v1/staff/companies/no-such-company/approve", s.cookie), 404, "not_found");
    expect(await db().select().from(auditLog).where(eq(auditLog.subject, "no-such-company"))).toEqual([]);
  });
  it("refuses every other caller (the access matrix)", async () => {
    const c = await contractor();
    const s = await staff();
    const approve = `/api/v1/staff/companies/${c.companyId}/approve`;
    const list = "/api/v1/staff/companies";
    // anonymous
    await expectProblem(await send("GET", list, ""), 401, "unauthorized");
    await expectProblem(await send("POST", approve, ""), 401, "unauthorized");
    // a contractor, even of this company
    await expectProblem(await send("GET", list, c.cookie), 403, "forbidden");
    await expectProblem(await send("POST", approve, c.cookie), 403, "forbidden");
    // staff, from another site or with no Origin
    await expectProblem(await send("POST", approve, s.cookie, undefined, "https://evil.example"), 403, "cross_origin");
    await expectProblem(await send("POST", approve, s.cookie, undefined, ""), 403, "cross_origin");
    // a logged-out staff cookie
    await send("POST", "/api/v1/auth/logout", s.cookie);
    await expectProblem(await send("GET", list, s.cookie), 401, "unauthorized");
    const [row] = await db().select().from(companies).where(eq(companies.id, c.companyId));
    expect(row?.status).toBe("pending");
  });
  it("validates the status filter in Japanese", async () => {
    const s = await staff();
    const problem = await expectProblem(await send("GET", "/api/v1/staff/companies?status=maybe", s.cookie), 422, "validation_failed");
    expect(problem.errors?.[0]?.message).toMatch(/^状態（status）は/);
  });
});

describe("the desk's queue", () => {
  async function applicationFor(companyId: string, guarantorId: string, status: "draft" | "submitted", name: string) {
    const id = crypto.randomUUID();
    const [creator] = await db().select().from(users).where(eq(users.companyId, companyId));
    const at = new Date().toISOString();
    await db()
      .insert(applications)
      .values({
        id,
        companyId,
        createdBy: creator?.id ?? "",
        status,
        body: { project: { name } },
        guarantorId,
        createdAt: at,
        updatedAt: at,
        submittedAt: status === "submitted" ? at : null,
      });
    return id;
  }
  it("shows staff their own guarantor's submitted applications, never drafts or another guarantor's", async () => {
    const c = await contractor();
    const mine = await applicationFor(c.companyId, "wjcs", "submitted", "国道226号改良工事");
    const draft = await applicationFor(c.companyId, "wjcs", "draft", "下書きの工事");
    const theirs = await applicationFor(c.companyId, "ejcs", "submitted", "他社宛ての工事");
    const wjcs = await staff("wjcs");
    const ejcs = await staff("ejcs");
    const queue = await json<{ items: { id: string; projectName: string; company: { name: string } }[] }>(
      await send("GET", "/api/v1/staff/applications?status=submitted", wjcs.cookie),
    );
    const ids = queue.items.map((i) => i.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(draft);
    expect(ids).not.toContain(theirs);
    expect(queue.items.find((i) => i.id === mine)).toMatchObject({ projectName: "国道226号改良工事", company: { name: company.name } });
    expect((await send("GET", `/api/v1/staff/applications/${mine}`, wjcs.cookie)).status).toBe(200);
    await expectProblem(await send("GET", `/api/v1/staff/applications/${mine}`, ejcs.cookie), 404, "not_found");
    await expectProblem(await send("GET", `/api/v1/staff/applications/${draft}`, wjcs.cookie), 404, "not_found");
    await expectProblem(await send("GET", `/api/v1/staff/applications/${mine}`, c.cookie), 403, "forbidden");
    await expectProblem(await send("GET", "/api/v1/staff/applications", ""), 401, "unauthorized");
  });
});

describe("the accounts routes' own body edge", () => {
  it("answers malformed JSON with 400 and a form with 415 on a real route", async () => {
    const headers = { origin: ORIGIN };
    await expectProblem(
      await call("/api/v1/auth/login", { method: "POST", body: "{", headers: { ...headers, "content-type": "application/json" } }),
      400,
      "malformed_request",
    );
    await expectProblem(
      await call("/api/v1/auth/login", {
        method: "POST",
        body: "email=a&password=b",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
      "unsupported_media_type",
    );
  });
});
