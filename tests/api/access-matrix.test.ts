// Who may call what: every role × route × owner cell of the logged-in API, asserted one by one.
// Principals: no one; the owning contractor; another approved contractor; a contractor whose
// company is still pending; staff of the application's guarantor; staff of another guarantor;
// staff of the right guarantor who gave the password but not yet the TOTP code. Then every
// state-changing route again from a foreign Origin. Denials run first, so the allowed calls that
// change state (issue, reject, approve) find their fixtures untouched.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { companies } from "../../db/schema/index.ts";
import { cookieOf } from "../http.ts";
import { hiokiApplication } from "../support/fixtures.ts";
import { makeStaff } from "./factories.ts";
import { json, useTestDatabase } from "./helpers.ts";

const database = useTestDatabase();
const ORIGIN = "http://localhost";
let serial = 0;

type Principal = "anonymous" | "owner" | "other" | "pending" | "staff" | "otherStaff" | "halfStaff";
const principals: Principal[] = ["anonymous", "owner", "other", "pending", "staff", "otherStaff", "halfStaff"];

function send(method: string, path: string, cookie: string, body?: unknown, origin = ORIGIN) {
  const headers: Record<string, string> = { cookie };
  if (origin !== "") headers["origin"] = origin;
  if (body !== undefined) headers["content-type"] = "application/json";
  return database.call(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

async function register(approved: boolean) {
  const res = await send("POST", "/api/v1/auth/register", "", {
    email: `m${serial++}-${Date.now()}@example.jp`,
    password: "matrix password",
    company: { name: `株式会社マトリクス${serial}`, address: "鹿児島県日置市伊集院町1番地", representative: "代表 日置" },
  });
  expect(res.status).toBe(201);
  const { company } = await json<{ company: { id: string } }>(res);
  if (approved) await database.db().update(companies).set({ status: "approved" }).where(eq(companies.id, company.id));
  return { cookie: cookieOf(res), companyId: company.id };
}

async function staffLogin(guarantorId: string) {
  const { email, password } = await makeStaff(database.db(), { guarantorId });
  const res = await send("POST", "/api/v1/auth/login", "", { email, password });
  expect(res.status).toBe(200);
  return cookieOf(res);
}

/** Staff who enrolled TOTP, then logged in again with the password only. */
async function halfStaff() {
  const account = await makeStaff(database.db(), { guarantorId: "wjcs" });
  const first = cookieOf(await send("POST", "/api/v1/auth/login", "", { email: account.email, password: account.password }));
  const { secret } = await json<{ secret: string }>(await send("POST", "/api/v1/auth/totp/enrol", first, {}));
  const code = generateTOTP(decodeBase32IgnorePadding(secret), 30, 6);
  expect((await send("POST", "/api/v1/auth/totp/confirm", first, { code })).status).toBe(200);
  const again = await send("POST", "/api/v1/auth/login", "", { email: account.email, password: account.password });
  expect(await json(again)).toEqual({ secondFactor: true, enrolment: false });
  return cookieOf(again);
}

const application = (name: string) => hiokiApplication({ name });

interface Route {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  /** Expected status per principal; a [status, code] pair also checks the problem's code. */
  expect: Record<Principal, number | [number, string]>;
}

const SF: [number, string] = [401, "second_factor_required"];
const NO: [number, string] = [401, "unauthorized"];
const FORBID: [number, string] = [403, "forbidden"];
const MISSING: [number, string] = [404, "not_found"];

describe("the access matrix", () => {
  it("answers every role × route × owner cell as designed", { timeout: 60_000 }, async () => {
    const owner = await register(true);
    const other = await register(true);
    const pending = await register(false);
    const cookies: Record<Principal, string> = {
      anonymous: "",
      owner: owner.cookie,
      other: other.cookie,
      pending: pending.cookie,
      staff: await staffLogin("wjcs"),
      otherStaff: await staffLogin("ejcs"),
      halfStaff: await halfStaff(),
    };
    const create = async (name: string, submit: boolean) => {
      const res = await send("POST", "/api/v1/applications", owner.cookie, application(name));
      const { id } = await json<{ id: string }>(res);
      if (submit) expect((await send("POST", `/api/v1/applications/${id}/submit`, owner.cookie)).status).toBe(200);
      return id;
    };
    const draft = (await json<{ id: string }>(await send("POST", "/api/v1/applications", owner.cookie, { project: { name: "下書き" } })))
      .id;
    const toIssue = await create("発行する工事", true);
    const toReject = await create("不承認にする工事", true);
    const issued = await create("発行済みの工事", true);
    const number = (
      await json<{ guarantees: { contractNumber: string }[] }>(
        await send("POST", `/api/v1/staff/applications/${issued}/issue`, cookies.staff),
      )
    ).guarantees[0]?.contractNumber;
    const outbox = await json<{ items: { links: string[] }[] }>(await send("GET", "/api/v1/dev/outbox", ""));
    const link = new URL(outbox.items[0]?.links[0] ?? "").pathname.split("/")[2];

    const contractorOnly = (ownerStatus: number, others: number | [number, string], pendingStatus = others): Route["expect"] => ({
      anonymous: NO,
      owner: ownerStatus,
      other: others,
      pending: pendingStatus,
      staff: FORBID,
      otherStaff: FORBID,
      halfStaff: SF,
    });
    const staffOnly = (own: number, otherGuarantor: number | [number, string]): Route["expect"] => ({
      anonymous: NO,
      owner: FORBID,
      other: FORBID,
      pending: FORBID,
      staff: own,
      otherStaff: otherGuarantor,
      halfStaff: SF,
    });
    const routes: Route[] = [
      {
        name: "me",
        method: "GET",
        path: "/api/v1/me",
        expect: { anonymous: NO, owner: 200, other: 200, pending: 200, staff: 200, otherStaff: 200, halfStaff: SF },
      },
      { name: "list applications", method: "GET", path: "/api/v1/applications", expect: contractorOnly(200, 200) },
      {
        name: "create application",
        method: "POST",
        path: "/api/v1/applications",
        body: { project: { name: "新しい下書き" } },
        expect: contractorOnly(201, 201, [403, "company_not_approved"]),
      },
      { name: "read application", method: "GET", path: `/api/v1/applications/${draft}`, expect: contractorOnly(200, MISSING) },
      {
        name: "edit application",
        method: "PATCH",
        path: `/api/v1/applications/${draft}`,
        body: { message: "追記" },
        expect: contractorOnly(200, MISSING),
      },
      {
        name: "submit application",
        method: "POST",
        path: `/api/v1/applications/${draft}/submit`,
        expect: contractorOnly(422, MISSING, [403, "company_not_approved"]),
      },
      { name: "list guarantees", method: "GET", path: "/api/v1/guarantees", expect: contractorOnly(200, 200) },
      { name: "read guarantee", method: "GET", path: `/api/v1/guarantees/${number}`, expect: contractorOnly(200, MISSING) },
      { name: "show auth key", method: "GET", path: `/api/v1/guarantees/${number}/auth-key`, expect: contractorOnly(200, MISSING) },
      { name: "list companies", method: "GET", path: "/api/v1/staff/companies", expect: staffOnly(200, 200) },
      {
        name: "approve company",
        method: "POST",
        path: `/api/v1/staff/companies/${pending.companyId}/approve`,
        expect: staffOnly(200, 200),
      },
      { name: "desk queue", method: "GET", path: "/api/v1/staff/applications", expect: staffOnly(200, 200) },
      { name: "desk application", method: "GET", path: `/api/v1/staff/applications/${toIssue}`, expect: staffOnly(200, MISSING) },
      { name: "desk draft", method: "GET", path: `/api/v1/staff/applications/${draft}`, expect: staffOnly(404, MISSING) },
      { name: "issue", method: "POST", path: `/api/v1/staff/applications/${toIssue}/issue`, expect: staffOnly(200, MISSING) },
      {
        name: "reject",
        method: "POST",
        path: `/api/v1/staff/applications/${toReject}/reject`,
        body: { reason: "書類不足" },
        expect: staffOnly(200, MISSING),
      },
      {
        name: "signed link",
        method: "GET",
        path: `/api/v1/links/${link}`,
        expect: { anonymous: 200, owner: 200, other: 200, pending: 200, staff: 200, otherStaff: 200, halfStaff: 200 },
      },
    ];

    const failures: string[] = [];
    let cells = 0;
    for (const route of routes) {
      // Denials first, then the allowed calls (2xx) in a fixed order.
      const ordered = [...principals].sort((a, b) => Number(expected(route, a)[0] < 300) - Number(expected(route, b)[0] < 300));
      for (const who of ordered) {
        const [status, code] = expected(route, who);
        const res = await send(route.method, route.path, cookies[who], route.body);
        cells++;
        const body = res.headers.get("content-type")?.startsWith("application/problem+json") ? await json<{ code: string }>(res) : null;
        if (res.status !== status || (code !== undefined && body?.code !== code)) {
          failures.push(`${route.name} as ${who}: expected ${status}${code ? ` ${code}` : ""}, got ${res.status} ${body?.code ?? ""}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cells).toBe(routes.length * principals.length);

    // Another company's list never shows the owner's rows.
    const theirs = await json<{ items: { id: string }[] }>(await send("GET", "/api/v1/applications", other.cookie));
    expect(theirs.items.map((i) => i.id)).not.toContain(draft);
    const theirGuarantees = await json<{ items: unknown[] }>(await send("GET", "/api/v1/guarantees", other.cookie));
    expect(theirGuarantees.items).toEqual([]);
    const otherQueue = await json<{ items: { id: string }[] }>(await send("GET", "/api/v1/staff/applications", cookies.otherStaff));
    expect(otherQueue.items.map((i) => i.id)).not.toContain(toIssue);

    // Every state-changing route refuses a foreign or missing Origin, even for the allowed principal.
    const changing = routes.filter((r) => r.method !== "GET");
    for (const route of changing) {
      const who = route.path.includes("/staff/") ? "staff" : "owner";
      for (const origin of ["https://evil.example", "null", ""]) {
        const res = await send(route.method, route.path, cookies[who], route.body, origin);
        const body = await json<{ code: string }>(res);
        if (res.status !== 403 || body.code !== "cross_origin")
          failures.push(`${route.name} from ${origin || "(no origin)"}: ${res.status} ${body.code}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

function expected(route: Route, who: Principal): [number, string | undefined] {
  const e = route.expect[who];
  return Array.isArray(e) ? e : [e, undefined];
}
