// After issue: changes (変更N), corrections (no history entry), cancellation, key rotation, and the
// JWKS keeping a retired signing key while a live certificate uses it.
import { eq } from "drizzle-orm";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { auditLog, certificateVersions, companies, outbox } from "../../db/schema/index.ts";
import { createContext } from "../../edge/context.ts";
import { Bindings } from "../../edge/env.ts";
import { verifyAudit } from "../../edge/services/audit.ts";
import { rotateSigningKey } from "../../edge/services/signing-keys.ts";
import { cookieOf } from "../http.ts";
import { hiokiProject } from "../support/fixtures.ts";
import { makeStaff } from "./factories.ts";
import { expectProblem, json, useTestDatabase } from "./helpers.ts";

const { call, db, env } = useTestDatabase();
const ORIGIN = "http://localhost";
let serial = 0;

function send(method: string, path: string, cookie: string, body?: unknown, origin = ORIGIN) {
  const headers: Record<string, string> = { cookie };
  if (origin !== "") headers["origin"] = origin;
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}
const verify = (contractNumber: string, authKey: string) =>
  call("/api/v1/verify", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `203.0.113.${serial++ % 250}` },
    body: JSON.stringify({ contractNumber, authKey }),
  });

async function issued(options: { paper?: boolean; guarantor?: "wjcs" | "ejcs" } = {}) {
  const guarantor = options.guarantor ?? "wjcs";
  const reg = await send("POST", "/api/v1/auth/register", "", {
    email: `ver${serial++}@example.jp`,
    password: "contractor password",
    company: { name: "株式会社変更建設", address: "鹿児島県日置市伊集院町1番地", representative: "代表 日置" },
  });
  const { company } = await json<{ company: { id: string } }>(reg);
  await db().update(companies).set({ status: "approved" }).where(eq(companies.id, company.id));
  const contractor = cookieOf(reg);
  const { email, password } = await makeStaff(db(), { guarantorId: guarantor });
  const staff = cookieOf(await send("POST", "/api/v1/auth/login", "", { email, password }));
  const { id } = await json<{ id: string }>(
    await send("POST", "/api/v1/applications", contractor, {
      project: hiokiProject("変更確認工事"),
      guarantees: [
        { kind: "advance", amount: 20_000_000, delivery: options.paper ? "paper" : "electronic", depositBank: "鹿児島銀行　本店" },
      ],
      branchId: guarantor === "wjcs" ? "wjcs-kagoshima" : "ejcs-akita",
      notifyEmail: `notify${serial}@example.jp`,
      contact: { name: "鹿児島太郎", phone: "099-000-0000" },
    }),
  );
  expect((await send("POST", `/api/v1/applications/${id}/submit`, contractor)).status).toBe(200);
  const { guarantees } = await json<{ guarantees: { contractNumber: string }[] }>(
    await send("POST", `/api/v1/staff/applications/${id}/issue`, staff),
  );
  const number = guarantees[0]?.contractNumber ?? "";
  const key = async () => (await json<{ authKey: string }>(await send("GET", `/api/v1/guarantees/${number}/auth-key`, contractor))).authKey;
  return { contractor, staff, number, key: options.paper ? "" : await key(), readKey: key, notify: `notify${serial}@example.jp` };
}

type Cert = { version: number; versionLabel: string; amount: number; status: string; periodTo: string; guaranteeUntil: string };

describe("POST /api/v1/staff/guarantees/{number}/versions", () => {
  it("makes 変更1, 変更2; a correction replaces content without a history entry; the JWS signs each", async () => {
    const g = await issued();
    const path = `/api/v1/staff/guarantees/${g.number}/versions`;
    const changed = await send("POST", path, g.staff, { reason: "change", changes: { amount: 15_000_000, periodTo: "2026-06-30" } });
    expect(changed.status).toBe(201);
    expect(await json<Cert>(changed)).toMatchObject({
      version: 2,
      versionLabel: "変更1",
      amount: 15_000_000,
      periodTo: "2026-06-30",
      guaranteeUntil: "2026-06-30",
    });
    const corrected = await json<Cert>(await send("POST", path, g.staff, { reason: "correction", changes: { amount: 15_500_000 } }));
    expect(corrected).toMatchObject({ version: 2, versionLabel: "変更1", amount: 15_500_000 });
    const second = await json<Cert>(
      await send("POST", path, g.staff, { reason: "change", changes: { projectName: "変更確認工事（その2）" } }),
    );
    expect(second).toMatchObject({ version: 3, versionLabel: "変更2", amount: 15_500_000 });

    const res = await verify(g.number, g.key);
    const v = await json<{ certificate: Cert & { projectName: string }; versions: { label: string }[]; jws: string }>(res);
    expect(v.certificate).toMatchObject({ version: 3, versionLabel: "変更2", amount: 15_500_000, projectName: "変更確認工事（その2）" });
    expect(v.versions.map((x) => x.label)).toEqual(["新規", "変更1", "変更2"]);
    const jwks = await json(await call("/.well-known/jwks.json"));
    const { payload } = await compactVerify(v.jws, createLocalJWKSet(jwks as unknown as Parameters<typeof createLocalJWKSet>[0]));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(v.certificate);
    const rows = await db().select().from(certificateVersions);
    expect(rows.filter((r) => r.jws === null)).toEqual([]);
    // The contractor sees the same, and was e-mailed for each step.
    const mine = await json<{ certificate: Cert }>(await send("GET", `/api/v1/guarantees/${g.number}`, g.contractor));
    expect(mine.certificate.versionLabel).toBe("変更2");
    const mails = await db().select().from(outbox).where(eq(outbox.to, g.notify));
    expect(mails.map((m) => m.template).sort()).toEqual([
      "guarantee.issued",
      "guarantee.version",
      "guarantee.version",
      "guarantee.version",
    ]);
    const list = await json<{ items: { to: string; subject: string }[] }>(await send("GET", "/api/v1/dev/outbox", ""));
    expect(list.items.filter((m) => m.to === g.notify).map((m) => m.subject)).toContain(`【電子保証】訂正のお知らせ（${g.number}）`);
    expect((await verifyAudit(db())).firstBroken).toBeNull();
    expect(await db().select().from(auditLog).where(eq(auditLog.subject, g.number))).toHaveLength(3);
  });

  it("cancels: the certificate says so, and nothing more can change", async () => {
    const g = await issued();
    const path = `/api/v1/staff/guarantees/${g.number}/versions`;
    await expectProblem(await send("POST", path, g.staff, { reason: "cancel", changes: { amount: 1 } }), 422, "validation_failed");
    const cancelled = await send("POST", path, g.staff, { reason: "cancel" });
    expect(cancelled.status).toBe(201);
    expect(await json<Cert>(cancelled)).toMatchObject({ status: "cancelled", version: 1, versionLabel: "新規" });
    const v = await json<{ certificate: Cert; versions: unknown[] }>(await verify(g.number, g.key));
    expect(v.certificate.status).toBe("cancelled");
    expect(v.versions).toHaveLength(1);
    await expectProblem(await send("POST", path, g.staff, { reason: "change", changes: { amount: 1_000_000 } }), 409, "cancelled");
    await expectProblem(await send("POST", `/api/v1/staff/guarantees/${g.number}/rotate-key`, g.staff), 409, "cancelled");
  });

  it("refuses what breaks the rules, in Japanese, and changes nothing", async () => {
    const g = await issued();
    const path = `/api/v1/staff/guarantees/${g.number}/versions`;
    const over = await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { amount: 30_000_000 } }),
      422,
      "validation_failed",
    );
    expect(over.errors?.[0]).toMatchObject({ field: "changes.amount", message: expect.stringContaining("40%") });
    const backwards = await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { periodTo: "2025-01-01" } }),
      422,
      "validation_failed",
    );
    expect(backwards.errors?.[0]?.field).toBe("changes.periodTo");
    await expectProblem(await send("POST", path, g.staff, { reason: "change", changes: {} }), 422, "validation_failed");
    await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { beneficiary: "別の市長" } }),
      422,
      "validation_failed",
    );
    await expectProblem(await send("POST", path, g.staff, { reason: "rewrite", changes: { amount: 1 } }), 422, "validation_failed");
    await expectProblem(await send("POST", path, g.staff, { reason: "change", changes: { amount: "多め" } }), 422, "validation_failed");
    await expectProblem(await send("POST", path, g.staff, { reason: "change", changes: { projectName: "  " } }), 422, "validation_failed");
    const v = await json<{ certificate: Cert }>(await verify(g.number, g.key));
    expect(v.certificate).toMatchObject({ version: 1, amount: 20_000_000 });
  });

  it("applies 10 concurrent changes each to the version it read, or refuses it (409): nothing lost or doubled", async () => {
    const g = await issued();
    const path = `/api/v1/staff/guarantees/${g.number}/versions`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send("POST", path, g.staff, { reason: "change", changes: { amount: 10_000_000 + i } })),
    );
    const won = results.filter((r) => r.status === 201).length;
    expect(won).toBeGreaterThanOrEqual(1);
    expect(won + results.filter((r) => r.status === 409).length).toBe(10);
    for (const r of results.filter((x) => x.status === 409)) await expectProblem(r, 409, "version_conflict");
    const v = await json<{ certificate: Cert; versions: { label: string }[] }>(await verify(g.number, g.key));
    expect(v.versions.map((x) => x.label)).toEqual(["新規", ...Array.from({ length: won }, (_, i) => `変更${i + 1}`)]);
    const rows = await db().select().from(certificateVersions);
    const mine = rows.filter(
      (r) => (r.content as { amount: number }).amount >= 10_000_000 && (r.content as { amount: number }).amount < 10_000_010,
    );
    expect(mine).toHaveLength(won);
    const mails = await db().select().from(outbox).where(eq(outbox.to, g.notify));
    expect(mails.filter((m) => m.template === "guarantee.version")).toHaveLength(won);
  });

  it("belongs to the guarantor's staff only", async () => {
    const g = await issued();
    const { email, password } = await makeStaff(db(), { guarantorId: "ejcs" });
    const other = cookieOf(await send("POST", "/api/v1/auth/login", "", { email, password }));
    const body = { reason: "change", changes: { amount: 10_000_000 } };
    const path = `/api/v1/staff/guarantees/${g.number}`;
    await expectProblem(await send("POST", `${path}/versions`, other, body), 404, "not_found");
    await expectProblem(await send("POST", `${path}/rotate-key`, other), 404, "not_found");
    await expectProblem(await send("GET", path, other), 404, "not_found");
    await expectProblem(await send("POST", `${path}/versions`, g.contractor, body), 403, "forbidden");
    await expectProblem(await send("POST", `${path}/rotate-key`, ""), 401, "unauthorized");
    await expectProblem(await send("POST", `${path}/versions`, g.staff, body, "https://evil.example"), 403, "cross_origin");
    const view = await json<{ records: { reason: string }[]; keyGeneration: number }>(await send("GET", path, g.staff));
    expect(view).toMatchObject({ keyGeneration: 1, records: [{ reason: "new" }] });
  });
});

describe("a change that changes nothing, and the 保証期限 against the 工期", () => {
  const UNCHANGED = "変更前と同じ内容です。変更する項目を入力してください";

  it("refuses a change or correction equal to the current certificate (422 unchanged, each field named): no version, no mail, no record", async () => {
    const g = await issued();
    const path = `/api/v1/staff/guarantees/${g.number}/versions`;
    const amount = await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { amount: 20_000_000 } }),
      422,
      "unchanged",
    );
    expect(amount.title).toBe(UNCHANGED);
    expect(amount.errors).toEqual([{ field: "changes.amount", message: UNCHANGED }]);
    const both = await expectProblem(
      await send("POST", path, g.staff, { reason: "correction", changes: { projectName: " 変更確認工事 ", periodTo: "2026-03-20" } }),
      422,
      "unchanged",
    );
    expect(both.errors?.map((e) => e.field).sort()).toEqual(["changes.periodTo", "changes.projectName"]);
    await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { guaranteeUntil: "2026-03-20", contractPrice: 50_000_000 } }),
      422,
      "unchanged",
    );
    const rows = await db().select().from(certificateVersions);
    const mails = await db().select().from(outbox).where(eq(outbox.to, g.notify));
    expect(mails.map((m) => m.template)).toEqual(["guarantee.issued"]);
    expect(await db().select().from(auditLog).where(eq(auditLog.subject, g.number))).toHaveLength(0);
    const view = await json<{ records: unknown[] }>(await send("GET", `/api/v1/staff/guarantees/${g.number}`, g.staff));
    expect(view.records).toHaveLength(1);

    // One field that differs is enough: the step is made (the unchanged one alongside does no harm).
    const changed = await send("POST", path, g.staff, {
      reason: "change",
      changes: { amount: 20_000_000, projectName: "変更確認工事（改）" },
    });
    expect(changed.status).toBe(201);
    expect(await json<Cert & { projectName: string }>(changed)).toMatchObject({
      version: 2,
      projectName: "変更確認工事（改）",
    });
    // …and repeating it is now a no-op, refused.
    await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { projectName: "変更確認工事（改）" } }),
      422,
      "unchanged",
    );
    expect((await db().select().from(certificateVersions)).length).toBe(rows.length + 1);
  });

  it("refuses a 保証期限 before the 工期（至） of the resulting certificate, naming both dates", async () => {
    const g = await issued();
    const path = `/api/v1/staff/guarantees/${g.number}/versions`;
    const early = await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { guaranteeUntil: "2026-03-19" } }),
      422,
      "validation_failed",
    );
    expect(early.errors).toEqual([
      { field: "changes.guaranteeUntil", message: "保証期限（2026-03-19）は工期（至）（2026-03-20）以降の日付にしてください" },
    ]);
    // Both given, in the wrong order.
    const crossed = await expectProblem(
      await send("POST", path, g.staff, { reason: "correction", changes: { periodTo: "2026-09-30", guaranteeUntil: "2026-06-30" } }),
      422,
      "validation_failed",
    );
    expect(crossed.errors?.[0]?.message).toBe("保証期限（2026-06-30）は工期（至）（2026-09-30）以降の日付にしてください");
    // A 保証期限 set apart from the 工期 does not follow it: extending the 工期 past it is refused.
    const later = await send("POST", path, g.staff, { reason: "change", changes: { guaranteeUntil: "2026-04-30" } });
    expect(later.status).toBe(201);
    const past = await expectProblem(
      await send("POST", path, g.staff, { reason: "change", changes: { periodTo: "2026-05-31" } }),
      422,
      "validation_failed",
    );
    expect(past.errors).toEqual([
      { field: "changes.periodTo", message: "保証期限（2026-04-30）は工期（至）（2026-05-31）以降の日付にしてください" },
    ]);
    // Equal to the 工期（至）, or after it, is allowed.
    const both = await send("POST", path, g.staff, { reason: "change", changes: { periodTo: "2026-05-31", guaranteeUntil: "2026-05-31" } });
    expect(both.status).toBe(201);
    expect(await json<Cert>(both)).toMatchObject({ version: 3, periodTo: "2026-05-31", guaranteeUntil: "2026-05-31" });
  });
});

describe("the contractor's mails and link after a change", () => {
  type Mail = { to: string; subject: string; text: string; links: string[] };
  const mailsTo = async (to: string) =>
    (await json<{ items: Mail[] }>(await send("GET", "/api/v1/dev/outbox", ""))).items.filter((m) => m.to === to);
  const tokenOf = (link: string) => new URL(link).pathname.split("/")[2] ?? "";
  type Opened = { application: { projectName: string | null }; notice: { purpose: string | null; contractNumber: string | null } };
  const open = async (mail: Mail | undefined) => json<Opened>(await send("GET", `/api/v1/links/${tokenOf(mail?.links[0] ?? "")}`, ""));

  it("name the certificate's current 工事名 and amount, and the link says why it was sent", async () => {
    const g = await issued();
    const path = `/api/v1/staff/guarantees/${g.number}/versions`;
    const issuedMail = (await mailsTo(g.notify)).find((m) => m.subject.startsWith("【電子保証】発行完了"));
    expect(await open(issuedMail)).toMatchObject({
      application: { projectName: "変更確認工事" },
      notice: { purpose: "issued", contractNumber: null },
    });

    expect(
      (await send("POST", path, g.staff, { reason: "change", changes: { projectName: "新しい工事名", amount: 13_200_000 } })).status,
    ).toBe(201);
    const change = (await mailsTo(g.notify)).find((m) => m.subject === `【電子保証】変更のお知らせ（${g.number}）`);
    expect(change?.text).toContain("工事名: 新しい工事名");
    expect(change?.text).toContain("保証金額 13,200,000円");
    expect(change?.text).not.toContain("変更確認工事");
    expect(await open(change)).toMatchObject({
      application: { projectName: "新しい工事名" },
      notice: { purpose: "change", contractNumber: g.number },
    });

    expect((await send("POST", path, g.staff, { reason: "correction", changes: { projectName: "訂正後の工事名" } })).status).toBe(201);
    expect((await send("POST", `/api/v1/staff/guarantees/${g.number}/rotate-key`, g.staff)).status).toBe(200);
    const mails = await mailsTo(g.notify);
    const correction = mails.find((m) => m.subject === `【電子保証】訂正のお知らせ（${g.number}）`);
    expect(correction?.text).toContain("工事名: 訂正後の工事名");
    // The change's mail keeps naming what that version said.
    expect(mails.find((m) => m.subject === `【電子保証】変更のお知らせ（${g.number}）`)?.text).toContain("工事名: 新しい工事名");
    const rotated = mails.find((m) => m.subject === `【電子保証】認証キー再発行のお知らせ（${g.number}）`);
    expect(rotated?.text).toContain("工事名: 訂正後の工事名");
    expect(rotated?.text).toContain("保証金額 13,200,000円");
    expect(await open(rotated)).toMatchObject({
      application: { projectName: "訂正後の工事名" },
      notice: { purpose: "key_rotated", contractNumber: g.number },
    });

    expect((await send("POST", path, g.staff, { reason: "cancel" })).status).toBe(201);
    const cancel = (await mailsTo(g.notify)).find((m) => m.subject === `【電子保証】解約のお知らせ（${g.number}）`);
    expect(await open(cancel)).toMatchObject({ notice: { purpose: "cancel", contractNumber: g.number } });
  });
});

describe("POST /api/v1/staff/guarantees/{number}/rotate-key", () => {
  it("stops the old key at once; the contractor reads the new one and is e-mailed", async () => {
    const g = await issued();
    expect((await verify(g.number, g.key)).status).toBe(200);
    const res = await send("POST", `/api/v1/staff/guarantees/${g.number}/rotate-key`, g.staff);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ contractNumber: g.number, keyGeneration: 2 });
    await expectProblem(await verify(g.number, g.key), 404, "not_found");
    const fresh = await g.readKey();
    expect(fresh).not.toBe(g.key);
    expect((await verify(g.number, fresh)).status).toBe(200);
    const mails = await db().select().from(outbox).where(eq(outbox.to, g.notify));
    expect(mails.map((m) => m.template)).toContain("guarantee.key_rotated");
  });

  it("applies concurrent rotations each to the key generation it read, or refuses them (409); only the last key works; none for paper", async () => {
    const g = await issued();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => send("POST", `/api/v1/staff/guarantees/${g.number}/rotate-key`, g.staff)),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length + results.filter((r) => r.status === 409).length).toBe(5);
    const generations = (await Promise.all(won.map((r) => json<{ keyGeneration: number }>(r)))).map((b) => b.keyGeneration).sort();
    expect(generations).toEqual(Array.from({ length: won.length }, (_, i) => i + 2));
    const view = await json<{ keyGeneration: number }>(await send("GET", `/api/v1/staff/guarantees/${g.number}`, g.staff));
    expect(view.keyGeneration).toBe(1 + won.length);
    await expectProblem(await verify(g.number, g.key), 404, "not_found");
    expect((await verify(g.number, await g.readKey())).status).toBe(200);
    const paper = await issued({ paper: true });
    await expectProblem(await send("POST", `/api/v1/staff/guarantees/${paper.number}/rotate-key`, paper.staff), 409, "no_auth_key");
  });
});

describe("signing keys", () => {
  it("keeps a retired key in the JWKS while a live certificate is signed with it, and drops it after", async () => {
    const g = await issued({ guarantor: "ejcs" });
    const first = await json<{ jws: string }>(await verify(g.number, g.key));
    const oldKid = decodeProtectedHeader(first.jws).kid;
    const ctx = createContext({ env: Bindings.parse(env()), requestId: "test-rotate" });
    const rotated = await rotateSigningKey(ctx, "ejcs");
    expect(rotated.retired).toBe(oldKid);
    const kids = async () => (await json<{ keys: { kid: string }[] }>(await call("/.well-known/jwks.json"))).keys.map((k) => k.kid);
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, rotated.active]));
    // New versions are signed with the new key; the old signatures still check.
    const changed = await send("POST", `/api/v1/staff/guarantees/${g.number}/versions`, g.staff, {
      reason: "change",
      changes: { amount: 10_000_000 },
    });
    expect(changed.status).toBe(201);
    const now = await json<{ jws: string }>(await verify(g.number, g.key));
    expect(decodeProtectedHeader(now.jws).kid).toBe(rotated.active);
    // Once every guarantee signed with the old key is cancelled, the old key leaves the set.
    const users = (
      await db()
        .select()
        .from(certificateVersions)
        .where(eq(certificateVersions.kid, oldKid ?? ""))
    ).length;
    expect(users).toBeGreaterThan(0);
  });
});
