// POST /api/v1/verify and /verify/batch: the certificate for the right pair, the same 404 for an
// unknown number and a wrong key, 400 for a key that fails its format (no attempt counted), an
// exact lockout per number (also under concurrent attempts), a per-client limit, and the JWS
// checked with jose against the served JWKS.
import { eq, like } from "drizzle-orm";
import { compactVerify, createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { companies, throttles, verifications } from "../../db/schema/index.ts";
import { ALPHABET } from "../../edge/domain/auth-key.ts";
import { cookieOf, tally } from "../http.ts";
import { hiokiProject } from "../support/fixtures.ts";
import { otherKey } from "../support/keys.ts";
import { makeStaff } from "./factories.ts";
import { expectProblem, json, useTestDatabase } from "./helpers.ts";

const { call, db } = useTestDatabase();
const ORIGIN = "http://localhost";
let serial = 0;
let ip = 0;
/** Each test speaks from its own client address, so the per-client limit is its own. */
const nextClient = () => `198.51.100.${++ip}`;

function send(method: string, path: string, cookie: string, body?: unknown) {
  const headers: Record<string, string> = { cookie, origin: ORIGIN };
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}
const verify = (body: unknown, client: string, headers: Record<string, string> = {}) =>
  call("/api/v1/verify", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": client, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const batch = (items: unknown, client: string) =>
  call("/api/v1/verify/batch", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": client },
    body: JSON.stringify({ items }),
  });

async function issuedGuarantee(options: { paper?: boolean } = {}) {
  const reg = await send("POST", "/api/v1/auth/register", "", {
    email: `v${serial++}@example.jp`,
    password: "contractor password",
    company: { name: "株式会社照会建設", address: "鹿児島県日置市伊集院町1番地", representative: "代表 日置" },
  });
  const { company } = await json<{ company: { id: string } }>(reg);
  await db().update(companies).set({ status: "approved" }).where(eq(companies.id, company.id));
  const contractor = cookieOf(reg);
  const { email, password } = await makeStaff(db(), { guarantorId: "wjcs" });
  const staff = cookieOf(await send("POST", "/api/v1/auth/login", "", { email, password }));
  const created = await send("POST", "/api/v1/applications", contractor, {
    project: hiokiProject("照会確認工事"),
    guarantees: [
      { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: "鹿児島銀行　本店" },
      { kind: "contract", amount: 5_000_000, delivery: options.paper ? "paper" : "electronic" },
    ],
    branchId: "wjcs-kagoshima",
    contact: { name: "鹿児島太郎", phone: "099-000-0000" },
  });
  const { id } = await json<{ id: string }>(created);
  expect((await send("POST", `/api/v1/applications/${id}/submit`, contractor)).status).toBe(200);
  const issued = await json<{ guarantees: { contractNumber: string }[] }>(
    await send("POST", `/api/v1/staff/applications/${id}/issue`, staff),
  );
  const [advance, contract] = issued.guarantees.map((g) => g.contractNumber);
  const { authKey } = await json<{ authKey: string }>(await send("GET", `/api/v1/guarantees/${advance}/auth-key`, contractor));
  return { contractor, number: advance ?? "", other: contract ?? "", authKey };
}

describe("POST /api/v1/verify", () => {
  it("shows the current certificate, its history and a JWS that checks against the JWKS", async () => {
    const g = await issuedGuarantee();
    const res = await verify({ contractNumber: g.number, authKey: g.authKey }, nextClient());
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await json<{ certificate: Record<string, unknown>; versions: unknown[]; jws: string }>(res);
    expect(body.certificate).toMatchObject({
      contractNumber: g.number,
      kind: "advance",
      kindLabel: "前払金保証",
      version: 1,
      versionLabel: "新規",
      status: "active",
      beneficiary: "日置市長",
      amount: 20_000_000,
    });
    expect(body.versions).toEqual([{ version: 1, label: "新規", issuedAt: body.certificate["issuedAt"], reason: "新規" }]);
    const jwks = await json<{ keys: { kid: string }[] }>(await call("/.well-known/jwks.json"));
    expect(jwks.keys.length).toBeGreaterThan(0);
    const { payload, protectedHeader } = await compactVerify(body.jws, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]));
    expect(protectedHeader.alg).toBe("ES256");
    expect(jwks.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(body.certificate);
    // The contractor now sees that the agency viewed it; the viewing is recorded.
    const seen = await json<{ agencyViewedAt: string | null }>(await send("GET", `/api/v1/guarantees/${g.number}`, g.contractor));
    expect(seen.agencyViewedAt).toEqual(expect.any(String));
    expect(await db().select().from(verifications)).toContainEqual(expect.objectContaining({ version: 1, via: "single" }));
  });

  it("reads the key as people type it, and needs no cookie or Origin", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    const plain = g.authKey.replaceAll("-", "");
    const typed = [
      g.authKey.toLowerCase(),
      plain,
      g.authKey.replaceAll("-", " "),
      g.authKey.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    ];
    for (const authKey of typed) expect((await verify({ contractNumber: g.number, authKey }, client)).status).toBe(200);
    expect((await verify({ contractNumber: g.number, authKey: g.authKey }, client, { origin: "https://agency.example" })).status).toBe(200);
  });

  it("answers an unknown number and a wrong key alike", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    const wrong = await expectProblem(await verify({ contractNumber: g.number, authKey: otherKey(g.authKey) }, client), 404, "not_found");
    const unknown = await expectProblem(await verify({ contractNumber: "2079999999", authKey: g.authKey }, client), 404, "not_found");
    const { requestId: _a, ...a } = wrong as unknown as Record<string, unknown>;
    const { requestId: _b, ...b } = unknown as unknown as Record<string, unknown>;
    expect(a).toEqual(b);
    // A paper guarantee has no key: its number is as unknown as any.
    const paper = await issuedGuarantee({ paper: true });
    await expectProblem(await verify({ contractNumber: paper.other, authKey: g.authKey }, client), 404, "not_found");
  });

  it("refuses a key that fails its format or check with 400, before any lookup, counting no attempt", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    const plain = g.authKey.replaceAll("-", "");
    const typo = plain.slice(0, 3) + ALPHABET[(ALPHABET.indexOf(plain[3] ?? "0") + 1) % 32] + plain.slice(4);
    for (const authKey of [typo, plain.slice(0, 15), `${plain}X`, "UUUU-UUUU-UUUU-UUUU", "", "' OR 1=1 --", "<script>", "鍵".repeat(16)]) {
      const p = await expectProblem(await verify({ contractNumber: g.number, authKey }, client), 400, "invalid_format");
      expect(p.errors?.[0]?.field).toBe("authKey");
    }
    const badNumber = await expectProblem(await verify({ contractNumber: "12-34", authKey: g.authKey }, client), 400, "invalid_format");
    expect(badNumber.errors?.map((e) => e.field)).toEqual(["contractNumber"]);
    expect(
      await db()
        .select()
        .from(throttles)
        .where(eq(throttles.key, `verify:number:${g.number}`)),
    ).toEqual([]);
    expect((await verify({ contractNumber: g.number, authKey: g.authKey }, client)).status).toBe(200);
  });

  it("is 400 for malformed JSON and 422 for wrong types, in Japanese", async () => {
    const client = nextClient();
    await expectProblem(await verify("{nope", client), 400, "malformed_request");
    const p = await expectProblem(await verify({ contractNumber: 2070000001, authKey: ["x"] }, client), 422, "validation_failed");
    expect(p.errors?.map((e) => e.field).sort()).toEqual(["authKey", "contractNumber"]);
    await expectProblem(await verify({ contractNumber: "2070000001", authKey: "A".repeat(129) }, client), 422, "validation_failed");
    // A body that is no object at all: a Japanese sentence, no validator words.
    for (const body of ["[]", "null", "5", '"text"']) {
      const root = await expectProblem(await verify(body, client), 422, "validation_failed");
      const message = root.errors?.[0]?.message ?? "";
      expect(message).toContain("JSON オブジェクト");
      expect(message).not.toMatch(/object|array|null|期待/i);
    }
  });

  it("locks a number after 10 failed attempts within the hour, the right key included", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    const wrong = otherKey(g.authKey);
    for (let i = 0; i < 10; i++) await expectProblem(await verify({ contractNumber: g.number, authKey: wrong }, client), 404, "not_found");
    const locked = await verify({ contractNumber: g.number, authKey: g.authKey }, nextClient());
    await expectProblem(locked.clone(), 429, "too_many_attempts");
    const wait = Number(locked.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThanOrEqual(3600);
    // A refused right key is no viewing: nothing recorded, the contractor still sees 未閲覧.
    const seen = await json<{ agencyViewedAt: string | null }>(await send("GET", `/api/v1/guarantees/${g.number}`, g.contractor));
    expect(seen.agencyViewedAt).toBeNull();
    // The other guarantee of the same application is not locked.
    const other = await issuedGuarantee();
    expect((await verify({ contractNumber: other.number, authKey: other.authKey }, client)).status).toBe(200);
  });

  it("holds the lockout exactly under 40 concurrent wrong attempts: 10 judged, 30 refused", async () => {
    const g = await issuedGuarantee();
    const wrong = otherKey(g.authKey);
    const results = await Promise.all(Array.from({ length: 40 }, () => verify({ contractNumber: g.number, authKey: wrong }, nextClient())));
    expect(tally(results.map((r) => r.status))).toEqual({ 404: 10, 429: 30 });
    await expectProblem(await verify({ contractNumber: g.number, authKey: g.authKey }, nextClient()), 429, "too_many_attempts");
  });

  it("does not let successes add up to a lock", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    for (let i = 0; i < 9; i++) await verify({ contractNumber: g.number, authKey: otherKey(g.authKey) }, client);
    for (let i = 0; i < 5; i++) expect((await verify({ contractNumber: g.number, authKey: g.authKey }, client)).status).toBe(200);
  });

  it("allows one client 60 calls a minute, then 429 with Retry-After; other clients go on", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    const results = await Promise.all(Array.from({ length: 65 }, () => verify({ contractNumber: g.number, authKey: g.authKey }, client)));
    expect(tally(results.map((r) => r.status))).toEqual({ 200: 60, 429: 5 });
    const refused = results.find((r) => r.status === 429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await verify({ contractNumber: g.number, authKey: g.authKey }, nextClient())).status).toBe(200);
    // Exactly the 60 answered calls are recorded as viewings.
    expect(await db().select().from(verifications).where(eq(verifications.client, client))).toHaveLength(60);
  });

  it("counts no failure against a number for a client past its limit", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    const wrong = otherKey(g.authKey);
    const first = await Promise.all(Array.from({ length: 60 }, () => verify({ contractNumber: g.number, authKey: g.authKey }, client)));
    expect(tally(first.map((r) => r.status))).toEqual({ 200: 60 });
    for (let i = 0; i < 15; i++)
      await expectProblem(await verify({ contractNumber: g.number, authKey: wrong }, client), 429, "too_many_attempts");
    const counted = await db()
      .select()
      .from(throttles)
      .where(eq(throttles.key, `verify:number:${g.number}`));
    expect(counted).toEqual([]);
    expect((await verify({ contractNumber: g.number, authKey: g.authKey }, nextClient())).status).toBe(200);
  });
});

describe("POST /api/v1/verify/batch", () => {
  it("answers each pair in order as the single call would, counting each as an attempt", async () => {
    const a = await issuedGuarantee();
    const b = await issuedGuarantee();
    const client = nextClient();
    const res = await batch(
      [
        { contractNumber: a.number, authKey: a.authKey },
        { contractNumber: b.number, authKey: otherKey(b.authKey) },
        { contractNumber: "2079999998", authKey: a.authKey },
        { contractNumber: a.number, authKey: "1234" },
        { contractNumber: b.number, authKey: b.authKey.toLowerCase() },
      ],
      client,
    );
    expect(res.status).toBe(200);
    const { items } = await json<{ items: Record<string, unknown>[] }>(res);
    expect(items).toHaveLength(5);
    expect(items[0]).toMatchObject({ certificate: { contractNumber: a.number }, jws: expect.any(String) });
    expect(items[1]).toMatchObject({ status: 404, code: "not_found" });
    expect(items[2]).toMatchObject({ status: 404, code: "not_found" });
    expect(items[3]).toMatchObject({ status: 400, code: "invalid_format" });
    expect(items[4]).toMatchObject({ certificate: { contractNumber: b.number } });
    const [count] = await db()
      .select()
      .from(throttles)
      .where(eq(throttles.key, `verify:number:${b.number}`));
    expect(count?.count).toBe(1);
  });

  it("locks within a batch as across calls: 12 wrong pairs for one number give 10 × 404 and 2 × 429", async () => {
    const g = await issuedGuarantee();
    const wrong = otherKey(g.authKey);
    const { items } = await json<{ items: { status: number; code: string; retryAfter?: number }[] }>(
      await batch(
        Array.from({ length: 12 }, () => ({ contractNumber: g.number, authKey: wrong })),
        nextClient(),
      ),
    );
    expect(tally(items.map((i) => i.status))).toEqual({ 404: 10, 429: 2 });
    expect(items.at(-1)).toMatchObject({ code: "too_many_attempts", retryAfter: expect.any(Number) });
  });

  it("takes 1 to 100 pairs: 0 or 101 are 422, a non-array is 422, malformed JSON 400", async () => {
    const client = nextClient();
    await expectProblem(await batch([], client), 422, "validation_failed");
    const many = Array.from({ length: 101 }, () => ({ contractNumber: "2070000001", authKey: "0000-0000-0000-0000" }));
    const p = await expectProblem(await batch(many, client), 422, "validation_failed");
    expect(p.errors?.[0]?.message).toBe("一度に照会できるのは100組までです");
    await expectProblem(await batch("nope", client), 422, "validation_failed");
    const hundred = await batch(many.slice(0, 100), client);
    expect(hundred.status).toBe(200);
    expect((await json<{ items: unknown[] }>(hundred)).items).toHaveLength(100);
    expect(await db().select().from(throttles).where(like(throttles.key, "verify:client:%"))).not.toEqual([]);
  });

  it("answers a malformed pair with its own 422, as the single call would, and judges the others", async () => {
    const g = await issuedGuarantee();
    const client = nextClient();
    const res = await batch([5, { contractNumber: g.number }, { contractNumber: g.number, authKey: g.authKey }, null], client);
    expect(res.status).toBe(200);
    const { items } = await json<{ items: { status?: number; code?: string; errors?: { field: string }[]; jws?: string }[] }>(res);
    expect(items).toHaveLength(4);
    expect(items[0]).toMatchObject({ status: 422, code: "validation_failed" });
    expect(items[1]).toMatchObject({ status: 422, code: "validation_failed", errors: [{ field: "authKey" }] });
    expect(typeof items[2]?.jws).toBe("string");
    expect(items[3]).toMatchObject({ status: 422, code: "validation_failed" });
    // The single call answers the same malformed pair alike.
    await expectProblem(await verify({ contractNumber: g.number }, nextClient()), 422, "validation_failed");
  });
});
