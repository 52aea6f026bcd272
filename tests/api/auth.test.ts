// Accounts of API.md: registration, login, logout, me; sessions, same-origin checks, throttling.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, sessions, users } from "../../db/schema/index.ts";
import { verifyAudit } from "../../edge/services/audit.ts";
import { cookieOf } from "../http.ts";
import { expectProblem, fixedClock, json, useTestDatabase } from "./helpers.ts";

const { call, db } = useTestDatabase();
const ORIGIN = "http://localhost";
let serial = 0;
const email = (name: string) => `${name}-${serial++}@example.jp`;
const company = { name: "株式会社テスト建設", address: "鹿児島県日置市伊集院町郡一丁目100番地", representative: "代表取締役 日置太郎" };

function post(path: string, body: unknown, headers: Record<string, string> = { origin: ORIGIN }, clock?: () => Date) {
  return call(
    path,
    { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } },
    clock ? { clock } : {},
  );
}
const me = (cookie: string, clock?: () => Date) => call("/api/v1/me", { headers: { cookie } }, clock ? { clock } : {});

async function register(address = email("c"), password = "correct horse battery") {
  const res = await post("/api/v1/auth/register", { email: address, password, company });
  expect(res.status).toBe(201);
  return { res, email: address, password, cookie: cookieOf(res) };
}

describe("POST /api/v1/auth/register", () => {
  it("creates a pending company and its clerk, logged in", async () => {
    const { res, cookie, email: address } = await register();
    const body = await json<{ id: string; company: { id: string; status: string } }>(res);
    expect(body.company.status).toBe("pending");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^session=[\w-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // http://localhost
    const who = await json(await me(cookie));
    expect(who).toEqual({
      id: body.id,
      email: address,
      role: "contractor",
      company: { id: body.company.id, name: company.name, status: "pending" },
    });
  });
  it("sets a Secure __Host- cookie over https", async () => {
    const res = await call("https://guide.example.jp/api/v1/auth/register", {
      method: "POST",
      body: JSON.stringify({ email: email("s"), password: "correct horse battery", company }),
      headers: { "content-type": "application/json", origin: "https://guide.example.jp" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toMatch(/^__Host-session=[\w-]{43};.*Secure/i);
  });
  it("refuses a second account for the same e-mail, whatever its case", async () => {
    const { email: address } = await register();
    await expectProblem(
      await post("/api/v1/auth/register", { email: address.toUpperCase(), password: "another password!", company }),
      409,
      "email_taken",
    );
  });
  it("names every wrong field in Japanese", async () => {
    const problem = await expectProblem(
      await post("/api/v1/auth/register", { email: "not-an-email", password: "short", company: { name: "", address: 3 } }),
      422,
      "validation_failed",
    );
    expect(problem.errors?.map((e) => e.field).sort()).toEqual([
      "company.address",
      "company.name",
      "company.representative",
      "email",
      "password",
    ]);
    for (const e of problem.errors ?? []) expect(e.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  });
  it("refuses calls from another site, or with no origin at all", async () => {
    const body = { email: email("x"), password: "correct horse battery", company };
    await expectProblem(await post("/api/v1/auth/register", body, { origin: "https://evil.example" }), 403, "cross_origin");
    await expectProblem(await post("/api/v1/auth/register", body, {}), 403, "cross_origin");
    await expectProblem(await post("/api/v1/auth/register", body, { "sec-fetch-site": "cross-site" }), 403, "cross_origin");
    expect((await post("/api/v1/auth/register", body, { "sec-fetch-site": "same-origin" })).status).toBe(201);
  });
  it("stores no password and no session token in the database", async () => {
    const { cookie, password } = await register(email("d"), "unique-password-ねこ-42");
    const token = cookie.split("=")[1] ?? "";
    const dump = JSON.stringify([await db().select().from(users), await db().select().from(sessions), await db().select().from(auditLog)]);
    expect(dump).not.toContain(password);
    expect(dump).not.toContain(token);
    expect(dump).toContain("$argon2id$v=19$m=19456,t=2,p=1$");
  });
});

describe("login, me and logout", () => {
  it("logs in, reads me, and logs out for real (the old cookie is dead server-side)", async () => {
    const account = await register();
    const res = await post("/api/v1/auth/login", { email: account.email, password: account.password });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ secondFactor: false, enrolment: false });
    const cookie = cookieOf(res);
    expect((await me(cookie)).status).toBe(200);
    const out = await call("/api/v1/auth/logout", { method: "POST", headers: { cookie, origin: ORIGIN } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^session=;/);
    await expectProblem(await me(cookie), 401, "unauthorized");
  });
  it("answers a wrong password and an unknown e-mail alike", async () => {
    const account = await register();
    const wrong = await expectProblem(
      await post("/api/v1/auth/login", { email: account.email, password: "wrong password" }),
      401,
      "invalid_credentials",
    );
    const unknown = await expectProblem(
      await post("/api/v1/auth/login", { email: email("nobody"), password: "wrong password" }),
      401,
      "invalid_credentials",
    );
    expect(unknown.title).toBe(wrong.title);
  });
  it("ends sessions after 12 hours", async () => {
    const account = await register();
    const at = fixedClock("2026-12-01T00:00:00Z");
    const cookie = cookieOf(await post("/api/v1/auth/login", { email: account.email, password: account.password }, { origin: ORIGIN }, at));
    expect((await me(cookie, fixedClock("2026-12-01T11:59:00Z"))).status).toBe(200);
    await expectProblem(await me(cookie, fixedClock("2026-12-01T12:00:01Z")), 401, "unauthorized");
  });
  it("refuses missing, tampered and made-up cookies", async () => {
    const { cookie } = await register();
    await expectProblem(await me(""), 401, "unauthorized");
    await expectProblem(await me(`${cookie.slice(0, -1)}${cookie.endsWith("A") ? "B" : "A"}`), 401, "unauthorized");
    await expectProblem(await me("session=../../etc/passwd"), 401, "unauthorized");
    await expectProblem(await me(`session=${"A".repeat(43)}`), 401, "unauthorized");
  });
  it("is never cached", async () => {
    const { cookie } = await register();
    expect((await me(cookie)).headers.get("cache-control")).toBe("no-store");
  });
});

describe("login throttling", () => {
  it("locks an account after 10 attempts in 15 minutes, even for the right password, then lets it in again", async () => {
    const account = await register();
    const at = (iso: string) => fixedClock(iso);
    for (let i = 0; i < 10; i++) {
      await expectProblem(
        await post("/api/v1/auth/login", { email: account.email, password: `wrong ${i}` }, { origin: ORIGIN }, at("2026-12-01T00:00:00Z")),
        401,
        "invalid_credentials",
      );
    }
    const locked = await post(
      "/api/v1/auth/login",
      { email: account.email, password: account.password },
      { origin: ORIGIN },
      at("2026-12-01T00:05:00Z"),
    );
    expect(locked.headers.get("retry-after")).toBe("600");
    await expectProblem(locked, 429, "too_many_attempts");
    const later = await post(
      "/api/v1/auth/login",
      { email: account.email, password: account.password },
      { origin: ORIGIN },
      at("2026-12-01T00:15:01Z"),
    );
    expect(later.status).toBe(200);
  });
  it("counts exactly under concurrency: of 25 simultaneous wrong attempts, 10 are judged and 15 refused", async () => {
    const account = await register();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        post("/api/v1/auth/login", { email: account.email, password: `wrong ${i}` }).then((r) => r.status),
      ),
    );
    expect(results.filter((s) => s === 401)).toHaveLength(10);
    expect(results.filter((s) => s === 429)).toHaveLength(15);
  });
  it("records failures in the audit log, whose chain verifies", async () => {
    const account = await register();
    await post("/api/v1/auth/login", { email: account.email, password: "wrong" });
    const [user] = await db().select().from(users).where(eq(users.email, account.email));
    const failures = await db().select().from(auditLog).where(eq(auditLog.action, "login.failed"));
    expect(failures.some((f) => f.subject === user?.id)).toBe(true);
    const check = await verifyAudit(db());
    expect(check.firstBroken).toBeNull();
    expect(check.unsealed).toBe(0);
    expect(check.entries).toBeGreaterThan(3);
  });
});

describe("login throttling per client", () => {
  it("counts only failures against a client address: 120 good logins in a row pass", { timeout: 60_000 }, async () => {
    const accounts = await Promise.all(Array.from({ length: 4 }, () => register()));
    for (let i = 0; i < 120; i++) {
      const account = accounts[i % accounts.length];
      if (account === undefined) throw new Error("no account");
      const res = await post(
        "/api/v1/auth/login",
        { email: account.email, password: account.password },
        { origin: ORIGIN, "cf-connecting-ip": "203.0.113.7" },
      );
      expect(res.status).toBe(200);
    }
  });
  it("locks a client address after 100 failures across accounts", { timeout: 60_000 }, async () => {
    const headers = { origin: ORIGIN, "cf-connecting-ip": "203.0.113.9" };
    const statuses = await Promise.all(
      Array.from({ length: 110 }, (_, i) =>
        post("/api/v1/auth/login", { email: email(`spray${i}`), password: "Winter2026!" }, headers).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });
});
