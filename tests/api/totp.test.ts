// The staff second factor (TOTP): enrolment, confirmation, verification at login, replay, skew,
// throttling, who may call what, and secrets at rest. Codes are computed here with @oslojs/otp
// from the secret the enrolment returns, at fixed clocks.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, sessions, users } from "../../db/schema/index.ts";
import { importDataKey, open, SecretBoxError, seal } from "../../edge/security/secret-box.ts";
import { totpBoxContext } from "../../edge/services/totp.ts";
import { cookieOf } from "../http.ts";
import { makeStaff } from "./factories.ts";
import { expectProblem, json, useTestDatabase } from "./helpers.ts";

const { call, db, env } = useTestDatabase();
const ORIGIN = "http://localhost";
const JAPANESE = /[ぁ-んァ-ヶ一-龠]/;

/** 5 s into a 30 s step, so ±1 step never crosses a boundary by accident. */
const T0 = Date.parse("2026-12-01T09:00:05Z");
const at = (steps: number) => () => new Date(T0 + steps * 30_000);
const stepOf = (steps: number) => Math.floor((T0 + steps * 30_000) / 30_000);
const codeAt = (secret: string, steps: number) => generateHOTP(decodeBase32IgnorePadding(secret), BigInt(stepOf(steps)), 6);

interface CallOptions {
  cookie?: string;
  steps?: number;
  headers?: Record<string, string>;
}

function post(path: string, body: unknown, options: CallOptions = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: ORIGIN, ...options.headers };
  if (options.cookie !== undefined) headers["cookie"] = options.cookie;
  return call(`/api/v1${path}`, { method: "POST", body: JSON.stringify(body), headers }, { clock: at(options.steps ?? 0) });
}
const get = (path: string, cookie: string, steps = 0) => call(`/api/v1${path}`, { headers: { cookie } }, { clock: at(steps) });

async function login(account: { email: string; password: string }, steps = 0) {
  const res = await post("/auth/login", { email: account.email, password: account.password }, { steps });
  expect(res.status).toBe(200);
  return { cookie: cookieOf(res), body: await json<{ secondFactor: boolean; enrolment: boolean }>(res) };
}

interface Enrolment {
  otpauthUri: string;
  qrSvg: string;
  secret: string;
}

/** A staff member enrolled at step `steps` (code of that step accepted), logged out again. */
async function enrolledStaff(steps = -20) {
  const staff = await makeStaff(db());
  const { cookie } = await login(staff, steps);
  const enrolment = await json<Enrolment>(await post("/auth/totp/enrol", {}, { cookie, steps }));
  expect((await post("/auth/totp/confirm", { code: codeAt(enrolment.secret, steps) }, { cookie, steps })).status).toBe(200);
  expect((await post("/auth/logout", {}, { cookie, steps })).status).toBe(204);
  return { staff, secret: enrolment.secret };
}

const actions = async (userId: string) =>
  (await db().select().from(auditLog).where(eq(auditLog.subject, userId))).map((entry) => entry.action);

describe("staff without TOTP", () => {
  it("log in with the password alone", async () => {
    const staff = await makeStaff(db());
    const { cookie, body } = await login(staff);
    expect(body).toEqual({ secondFactor: false, enrolment: false });
    const me = await get("/me", cookie);
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ id: staff.id, role: "staff", guarantor: { id: staff.guarantorId } });
  });
});

describe("enrol, confirm, then a code at every login", () => {
  it("walks the whole journey, and a code works once", async () => {
    const staff = await makeStaff(db());
    const first = await login(staff);
    const enrolRes = await post("/auth/totp/enrol", {}, { cookie: first.cookie });
    expect(enrolRes.status).toBe(200);
    const enrolment = await json<Enrolment>(enrolRes);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits, base32
    expect(enrolment.otpauthUri.startsWith(`otpauth://totp/Denshi-Hosho:${encodeURIComponent(staff.email)}?`)).toBe(true);
    const uri = new URL(enrolment.otpauthUri);
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: "Denshi-Hosho",
      algorithm: "SHA1",
      secret: enrolment.secret,
      period: "30",
      digits: "6",
    });
    expect(enrolment.qrSvg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1" role="img" aria-label="[^"]*QR/);
    expect(enrolment.qrSvg).toMatch(/<path fill="#000" d="M/);

    // Until confirmed, the account still logs in with the password alone.
    expect((await login(staff)).body).toEqual({ secondFactor: false, enrolment: false });
    const confirmed = await post("/auth/totp/confirm", { code: codeAt(enrolment.secret, 0) }, { cookie: first.cookie });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ level: "full" });
    expect((await get("/me", first.cookie)).status).toBe(200);
    expect((await call("/api/v1/auth/logout", { method: "POST", headers: { cookie: first.cookie, origin: ORIGIN } })).status).toBe(204);

    const second = await login(staff, 2);
    expect(second.body).toEqual({ secondFactor: true, enrolment: false });
    const refused = await expectProblem(await get("/me", second.cookie, 2), 401, "second_factor_required");
    expect(refused.title).toMatch(JAPANESE);
    const status = await get("/auth/totp", second.cookie, 2);
    expect(await status.json()).toEqual({ level: "second_factor", enrolled: true, required: false, pending: false });

    const code = codeAt(enrolment.secret, 2);
    const verified = await post("/auth/totp/verify", { code }, { cookie: second.cookie, steps: 2 });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ level: "full" });
    expect((await get("/me", second.cookie, 2)).status).toBe(200);

    // The same code again, on a new login within its 30 seconds: refused.
    const third = await login(staff, 2);
    const replay = await expectProblem(
      await post("/auth/totp/verify", { code }, { cookie: third.cookie, steps: 2 }),
      401,
      "totp_code_used",
    );
    expect(replay.title).toMatch(JAPANESE);
    await expectProblem(await get("/me", third.cookie, 2), 401, "second_factor_required");
    // The next step's code lets it in.
    expect((await post("/auth/totp/verify", { code: codeAt(enrolment.secret, 3) }, { cookie: third.cookie, steps: 3 })).status).toBe(200);

    expect(await actions(staff.id)).toEqual(
      expect.arrayContaining(["totp.enrolment_started", "totp.enrolled", "totp.verified", "totp.failed"]),
    );
  });

  it("accepts one step of clock skew either way, never two, and never a step older than the last", async () => {
    const { staff, secret } = await enrolledStaff();
    const a = await login(staff);
    await expectProblem(await post("/auth/totp/verify", { code: codeAt(secret, -2) }, { cookie: a.cookie }), 401, "invalid_totp_code");
    await expectProblem(await post("/auth/totp/verify", { code: codeAt(secret, 2) }, { cookie: a.cookie }), 401, "invalid_totp_code");
    expect((await post("/auth/totp/verify", { code: codeAt(secret, -1) }, { cookie: a.cookie })).status).toBe(200);
    const b = await login(staff);
    expect((await post("/auth/totp/verify", { code: codeAt(secret, 1) }, { cookie: b.cookie })).status).toBe(200);
    // Step 0 is within the window but older than the accepted step +1: refused as spent.
    const c = await login(staff);
    await expectProblem(await post("/auth/totp/verify", { code: codeAt(secret, 0) }, { cookie: c.cookie }), 401, "totp_code_used");
    const [row] = await db().select({ last: users.totpLastStep }).from(users).where(eq(users.id, staff.id));
    expect(row?.last).toBe(stepOf(1));
  });

  it("takes the code as people type it (full-width digits, a space), and names a malformed one in Japanese", async () => {
    const { staff, secret } = await enrolledStaff();
    const { cookie } = await login(staff);
    const problem = await expectProblem(await post("/auth/totp/verify", { code: "12345" }, { cookie }), 422, "validation_failed");
    expect(problem.errors?.[0]).toMatchObject({ field: "code" });
    expect(problem.errors?.[0]?.message).toMatch(JAPANESE);
    const code = codeAt(secret, 0);
    const typed = `${code.slice(0, 3)} ${code.slice(3)}`.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect((await post("/auth/totp/verify", { code: typed }, { cookie })).status).toBe(200);
  });

  it("answers a wrong code in Japanese, and locks after 5 tries in 15 minutes, even the right code", async () => {
    const { staff, secret } = await enrolledStaff();
    const { cookie } = await login(staff);
    const right = codeAt(secret, 0);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const problem = await expectProblem(await post("/auth/totp/verify", { code: wrong }, { cookie }), 401, "invalid_totp_code");
      expect(problem.title).toMatch(JAPANESE);
    }
    const locked = await post("/auth/totp/verify", { code: right }, { cookie });
    const problem = await expectProblem(locked, 429, "too_many_attempts");
    expect(problem.title).toMatch(JAPANESE);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(15 * 60);
    await expectProblem(await get("/me", cookie), 401, "second_factor_required");
    expect(await actions(staff.id)).toContain("totp.throttled");
    // 15 minutes (30 steps) later the window is over.
    expect((await post("/auth/totp/verify", { code: codeAt(secret, 31) }, { cookie, steps: 31 })).status).toBe(200);
  });

  it("lets exactly one of 10 simultaneous uses of one code through", async () => {
    const { staff, secret } = await enrolledStaff();
    const logins = [];
    for (let i = 0; i < 10; i++) logins.push(await login(staff));
    const code = codeAt(secret, 0);
    const answers = await Promise.all(logins.map(({ cookie }) => post("/auth/totp/verify", { code }, { cookie })));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const s of statuses) expect([200, 401, 429]).toContain(s);
    // At least five were counted within the limit and judged: all but the winner found the code spent.
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(4);
    const levels = await db().select({ level: sessions.level }).from(sessions).where(eq(sessions.userId, staff.id));
    expect(levels.filter((row) => row.level === "full")).toHaveLength(1);
  });
});

describe("staff created with --require-totp", () => {
  it("go from the first login straight to enrolment, and are refused everything else until confirmed", async () => {
    const staff = await makeStaff(db(), { totpRequired: true });
    const { cookie, body } = await login(staff);
    expect(body).toEqual({ secondFactor: true, enrolment: true });
    const refused = await expectProblem(await get("/me", cookie), 401, "second_factor_required");
    expect(refused.title).toMatch(/登録/);
    await expectProblem(await post("/auth/totp/verify", { code: "123456" }, { cookie }), 409, "totp_enrolment_required");
    await expectProblem(await post("/auth/totp/confirm", { code: "123456" }, { cookie }), 409, "enrolment_not_started");

    const enrolment = await json<Enrolment>(await post("/auth/totp/enrol", {}, { cookie }));
    const wrong = codeAt(enrolment.secret, 5);
    await expectProblem(await post("/auth/totp/confirm", { code: wrong }, { cookie }), 401, "invalid_totp_code");
    await expectProblem(await get("/me", cookie), 401, "second_factor_required");
    expect((await post("/auth/totp/confirm", { code: codeAt(enrolment.secret, 0) }, { cookie })).status).toBe(200);
    expect((await get("/me", cookie)).status).toBe(200);

    const next = await login(staff, 1);
    expect(next.body).toEqual({ secondFactor: true, enrolment: false });
  });

  it("must confirm within 15 minutes", async () => {
    const staff = await makeStaff(db(), { totpRequired: true });
    const { cookie } = await login(staff);
    const enrolment = await json<Enrolment>(await post("/auth/totp/enrol", {}, { cookie }));
    await expectProblem(
      await post("/auth/totp/confirm", { code: codeAt(enrolment.secret, 31) }, { cookie, steps: 31 }),
      409,
      "enrolment_not_started",
    );
  });
});

describe("who may enrol", () => {
  it("not a password-only session of an enrolled account (that would skip the code)", async () => {
    const { staff, secret } = await enrolledStaff();
    const { cookie } = await login(staff);
    await expectProblem(await post("/auth/totp/enrol", {}, { cookie }), 401, "second_factor_required");
    // A full session may enrol again, but the old secret stays until the new one is confirmed.
    expect((await post("/auth/totp/verify", { code: codeAt(secret, 0) }, { cookie })).status).toBe(200);
    expect((await post("/auth/totp/enrol", {}, { cookie })).status).toBe(200);
    const later = await login(staff, 1);
    expect((await post("/auth/totp/verify", { code: codeAt(secret, 1) }, { cookie: later.cookie, steps: 1 })).status).toBe(200);
  });

  it("not a contractor, not without a session, not from another site", async () => {
    const registered = await post("/auth/register", {
      email: `contractor-${crypto.randomUUID()}@example.jp`,
      password: "correct horse battery",
      company: { name: "株式会社テスト建設", address: "鹿児島県日置市伊集院町郡一丁目100番地", representative: "代表取締役 日置太郎" },
    });
    expect(registered.status).toBe(201);
    const contractor = cookieOf(registered);
    await expectProblem(await post("/auth/totp/enrol", {}, { cookie: contractor }), 403, "forbidden");
    await expectProblem(await post("/auth/totp/verify", { code: "123456" }, { cookie: contractor }), 403, "forbidden");
    await expectProblem(await post("/auth/totp/enrol", {}), 401, "unauthorized");
    await expectProblem(await post("/auth/totp/verify", { code: "123456" }), 401, "unauthorized");

    const staff = await makeStaff(db());
    const { cookie } = await login(staff);
    await expectProblem(await post("/auth/totp/enrol", {}, { cookie, headers: { origin: "https://evil.example" } }), 403, "cross_origin");
    await expectProblem(
      await post("/auth/totp/verify", { code: "123456" }, { cookie, headers: { origin: "https://evil.example" } }),
      403,
      "cross_origin",
    );
    const [row] = await db().select().from(users).where(eq(users.id, staff.id));
    expect(row?.totpPendingSecret).toBeNull();
  });
});

describe("secrets at rest", () => {
  it("never stores a TOTP secret in clear", async () => {
    const staff = await makeStaff(db(), { totpRequired: true });
    const { cookie } = await login(staff);
    const pending = await json<Enrolment>(await post("/auth/totp/enrol", {}, { cookie }));
    const dumpOf = async () =>
      JSON.stringify([
        await db().select().from(users).where(eq(users.id, staff.id)),
        await db().select().from(auditLog).where(eq(auditLog.subject, staff.id)),
      ]);
    const beforeConfirm = await dumpOf();
    expect(beforeConfirm).not.toContain(pending.secret);
    expect(beforeConfirm.toLowerCase()).not.toContain(pending.secret.toLowerCase());
    expect((await post("/auth/totp/confirm", { code: codeAt(pending.secret, 0) }, { cookie })).status).toBe(200);
    const afterConfirm = await dumpOf();
    expect(afterConfirm).not.toContain(pending.secret);
    const [row] = await db().select().from(users).where(eq(users.id, staff.id));
    expect(row?.totpSecret).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/);
    expect(row?.totpPendingSecret).toBeNull();
  });

  it("seals with AES-GCM bound to its context: another context, another key or one changed character fails", async () => {
    const key = await importDataKey(String(env()["DATA_ENCRYPTION_KEY"]));
    const plain = new TextEncoder().encode("a secret");
    const box = await seal(key, plain, "totp:a");
    expect(box).not.toBe(await seal(key, plain, "totp:a")); // a new IV each time
    expect(new TextDecoder().decode(await open(key, box, "totp:a"))).toBe("a secret");
    await expect(open(key, box, "totp:b")).rejects.toBeInstanceOf(SecretBoxError);
    const other = await importDataKey(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
    await expect(open(other, box, "totp:a")).rejects.toBeInstanceOf(SecretBoxError);
    const last = box.at(-2) === "A" ? "B" : "A";
    await expect(open(key, `${box.slice(0, -2)}${last}${box.at(-1)}`, "totp:a")).rejects.toBeInstanceOf(SecretBoxError);
    await expect(open(key, box.replace(/^v1/, "v2"), "totp:a")).rejects.toBeInstanceOf(SecretBoxError);
    await expect(importDataKey(btoa("too short"))).rejects.toThrow(/32 bytes/);
  });

  it("without DATA_ENCRYPTION_KEY refuses TOTP with a 500 but logs in as before; a malformed key is a bad environment", async () => {
    const staff = await makeStaff(db());
    const { DATA_ENCRYPTION_KEY: _key, ...keyless } = env();
    const headers = { "content-type": "application/json", origin: ORIGIN };
    const loggedIn = await call(
      "/api/v1/auth/login",
      { method: "POST", headers, body: JSON.stringify({ email: staff.email, password: staff.password }) },
      { env: keyless },
    );
    expect(loggedIn.status).toBe(200);
    const cookie = cookieOf(loggedIn);
    const enrol = await call("/api/v1/auth/totp/enrol", { method: "POST", headers: { ...headers, cookie } }, { env: keyless });
    await expectProblem(enrol, 500, "internal_error");
    const malformed = { ...env(), DATA_ENCRYPTION_KEY: "not base64 of 32 bytes" };
    await expectProblem(await call("/api/v1/health", {}, { env: malformed }), 500, "bad_environment");
  });

  it("a secret copied to another user's row does not open for them", async () => {
    const { staff: owner, secret } = await enrolledStaff();
    const thief = await makeStaff(db());
    const [ownerRow] = await db().select().from(users).where(eq(users.id, owner.id));
    const box = ownerRow?.totpSecret ?? "";
    await db().update(users).set({ totpSecret: box }).where(eq(users.id, thief.id));
    const key = await importDataKey(String(env()["DATA_ENCRYPTION_KEY"]));
    await expect(open(key, box, totpBoxContext(thief.id))).rejects.toBeInstanceOf(SecretBoxError);

    const { cookie, body } = await login(thief);
    expect(body.secondFactor).toBe(true);
    await expectProblem(await post("/auth/totp/verify", { code: codeAt(secret, 0) }, { cookie }), 500, "internal_error");
    await expectProblem(await get("/me", cookie), 401, "second_factor_required");
    const levels = await db()
      .select({ level: sessions.level })
      .from(sessions)
      .where(inArray(sessions.userId, [thief.id]));
    expect(levels.every((row) => row.level === "second_factor")).toBe(true);
  });
});
