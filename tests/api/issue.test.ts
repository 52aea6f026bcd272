// The desk issues and rejects; the contractor reads its guarantees, keys and the e-mailed link.
// Through the app in workerd on this file's own database (and a local stand-in of Resend's API).
import { and, eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { applications, auditLog, certificateVersions, companies, counters, guarantees, outbox } from "../../db/schema/index.ts";
import { createApp } from "../../edge/app.ts";
import { createContext } from "../../edge/context.ts";
import { readKey } from "../../edge/domain/auth-key.ts";
import { numberFormats } from "../../edge/domain/numbering.ts";
import { Bindings } from "../../edge/env.ts";
import { authKeyHash } from "../../edge/security/auth-keys.ts";
import { verifyAudit } from "../../edge/services/audit.ts";
import { runScheduledJobs } from "../../edge/services/scheduled.ts";
import { cookieOf } from "../http.ts";
import { hiokiProject } from "../support/fixtures.ts";
import { makeStaff } from "./factories.ts";
import { expectProblem, json, type TestEnv, useTestDatabase } from "./helpers.ts";

const { env, db } = useTestDatabase();
let now = new Date("2026-12-01T01:00:00Z");
const app = createApp({ clock: () => now });
const ORIGIN = "http://localhost";
let serial = 0;

function send(method: string, path: string, cookie: string, body?: unknown, options: { origin?: string; env?: TestEnv } = {}) {
  const origin = options.origin ?? ORIGIN;
  const headers: Record<string, string> = { cookie, ...(origin === "" ? {} : { origin }) };
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(
    path,
    { method, headers, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) },
    options.env ?? env(),
  );
}

async function contractor(name = "株式会社鹿児島土木") {
  const res = await send("POST", "/api/v1/auth/register", "", {
    email: `i${serial++}@example.jp`,
    password: "contractor password",
    company: { name, address: "鹿児島県日置市伊集院町1番地", representative: "代表 日置一郎" },
  });
  expect(res.status).toBe(201);
  const { company } = await json<{ company: { id: string } }>(res);
  await db().update(companies).set({ status: "approved", approvedAt: now.toISOString() }).where(eq(companies.id, company.id));
  return { cookie: cookieOf(res), companyId: company.id };
}

async function staff(guarantorId = "wjcs") {
  const { email, password } = await makeStaff(db(), { guarantorId });
  const res = await send("POST", "/api/v1/auth/login", "", { email, password });
  expect(res.status).toBe(200);
  return { cookie: cookieOf(res) };
}

const complete = (over: { name?: string; notifyEmail?: string; branchId?: string; paperContract?: boolean } = {}) => ({
  project: hiokiProject(over.name ?? "市道伊集院線改良工事"),
  guarantees: [
    {
      kind: "advance",
      amount: 20_000_000,
      delivery: "electronic",
      depositBank: "鹿児島銀行　本店",
      redeposit: false,
      feePayment: "lump_sum",
    },
    { kind: "contract", amount: 5_000_000, delivery: over.paperContract ? "paper" : "electronic" },
  ],
  branchId: over.branchId ?? "wjcs-kagoshima",
  notifyEmail: over.notifyEmail ?? "soumu@example.jp",
  contact: { department: "工務部", name: "鹿児島太郎", phone: "099-000-0000" },
});

async function submitted(cookie: string, body: unknown = complete()) {
  const created = await send("POST", "/api/v1/applications", cookie, body);
  expect(created.status).toBe(201);
  const { id } = await json<{ id: string }>(created);
  const res = await send("POST", `/api/v1/applications/${id}/submit`, cookie);
  if (res.status !== 200) throw new Error(`submit: ${res.status} ${await res.text()}`);
  return id;
}

type Issued = { guarantees: { contractNumber: string; kind: string; delivery: string }[] };
type Guarantee = {
  certificate: Record<string, unknown> & { contractNumber: string };
  versions: { version: number; label: string }[];
  agencyViewedAt: string | null;
  delivery: string;
};

describe("POST /api/v1/staff/applications/{id}/issue", () => {
  it("numbers each guarantee from the guarantor's sequence, publishes version 1, makes keys, queues the mail and audits, in one write", async () => {
    const c = await contractor();
    const s = await staff();
    const id = await submitted(c.cookie);
    const res = await send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie);
    expect(res.status).toBe(200);
    const issued = await json<Issued>(res);
    expect(issued.guarantees.map((g) => g.kind)).toEqual(["advance", "contract"]);
    const [a, b] = issued.guarantees.map((g) => g.contractNumber);
    expect(a).toMatch(/^\d{10}$/);
    expect(Number(b)).toBe(Number(a) + 1);

    const [app] = await db().select().from(applications).where(eq(applications.id, id));
    expect(app).toMatchObject({ status: "issued", decidedAt: now.toISOString() });
    const rows = await db().select().from(guarantees).where(eq(guarantees.applicationId, id));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.authKeyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.authKeyBox).toMatch(/^v1\./);
      expect(row.issuedAt).toBe("2026-12-01T10:00:00+09:00");
    }
    const versions = await db().select().from(certificateVersions);
    const mine = versions.filter((v) => rows.some((r) => r.id === v.guaranteeId));
    expect(mine.map((v) => [v.version, v.reason])).toEqual([
      [1, "new"],
      [1, "new"],
    ]);
    const mail = await db().select().from(outbox).where(eq(outbox.to, "soumu@example.jp"));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ template: "guarantee.issued", status: "queued", origin: ORIGIN });
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subject, id), eq(auditLog.action, "application.issued")));
    expect(audit).toHaveLength(1);
    expect((await verifyAudit(db())).firstBroken).toBeNull();
  });

  it("lets the contractor read its guarantees, certificate fields and keys; the key is stored only as hash and box", async () => {
    const c = await contractor("株式会社証書確認");
    const s = await staff();
    const id = await submitted(c.cookie);
    const issued = await json<Issued>(await send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie));
    const number = issued.guarantees[0]?.contractNumber ?? "";

    const list = await json<{ items: Guarantee[] }>(await send("GET", "/api/v1/guarantees", c.cookie));
    expect(list.items.map((g) => g.certificate.contractNumber).sort()).toEqual(issued.guarantees.map((g) => g.contractNumber).sort());

    const one = await json<Guarantee>(await send("GET", `/api/v1/guarantees/${number}`, c.cookie));
    expect(one.certificate).toEqual({
      contractNumber: number,
      kind: "advance",
      kindLabel: "前払金保証",
      version: 1,
      versionLabel: "新規",
      status: "active",
      issuedAt: "2026-12-01T10:00:00+09:00",
      contractor: { name: "株式会社証書確認", address: "鹿児島県日置市伊集院町1番地" },
      beneficiary: "日置市長",
      projectName: "市道伊集院線改良工事",
      contractPrice: 50_000_000,
      amount: 20_000_000,
      periodFrom: "2025-07-01",
      periodTo: "2026-03-20",
      guaranteeUntil: "2026-03-20",
      depositBank: "鹿児島銀行　本店",
      guarantor: { id: "wjcs", name: "西日本建設業保証株式会社", branch: "鹿児島支店", tel: expect.any(String), fax: expect.any(String) },
    });
    expect(one.versions).toEqual([{ version: 1, label: "新規", issuedAt: "2026-12-01T10:00:00+09:00", reason: "新規" }]);
    expect(one.agencyViewedAt).toBeNull();

    const { authKey } = await json<{ authKey: string }>(await send("GET", `/api/v1/guarantees/${number}/auth-key`, c.cookie));
    expect(authKey).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const reading = readKey(authKey);
    expect(reading.ok).toBe(true);
    const [row] = await db().select().from(guarantees).where(eq(guarantees.contractNumber, number));
    expect(row?.authKeyHash).toBe(await authKeyHash(reading.ok ? reading.key : ""));
    expect(JSON.stringify(row)).not.toContain(reading.ok ? reading.key : "x");
    // The application shows its numbers now.
    const detail = await json<{ status: string; guarantees: { contractNumber: string }[] }>(
      await send("GET", `/api/v1/applications/${id}`, c.cookie),
    );
    expect(detail.status).toBe("issued");
    expect(detail.guarantees.map((g) => g.contractNumber)).toEqual(issued.guarantees.map((g) => g.contractNumber));
  });

  it("gives a paper guarantee a number but no key", async () => {
    const c = await contractor();
    const s = await staff();
    const id = await submitted(c.cookie, complete({ paperContract: true }));
    const issued = await json<Issued>(await send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie));
    const paper = issued.guarantees.find((g) => g.kind === "contract");
    expect(paper?.delivery).toBe("paper");
    await expectProblem(await send("GET", `/api/v1/guarantees/${paper?.contractNumber}/auth-key`, c.cookie), 404, "no_auth_key");
    const [row] = await db()
      .select()
      .from(guarantees)
      .where(eq(guarantees.contractNumber, paper?.contractNumber ?? ""));
    expect(row).toMatchObject({ authKeyHash: null, authKeyBox: null });
  });

  it("numbers EJCS guarantees in its own format and sequence", async () => {
    const c = await contractor();
    const s = await staff("ejcs");
    const id = await submitted(c.cookie, complete({ branchId: "ejcs-akita" }));
    const res = await send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie);
    expect(res.status).toBe(200);
    const numbers = (await json<Issued>(res)).guarantees.map((g) => g.contractNumber);
    for (const n of numbers) expect(n).toMatch(numberFormats.ejcs.pattern);
    const [counter] = await db().select().from(counters).where(eq(counters.name, "contract-number:ejcs"));
    expect(numbers.at(-1)).toBe(numberFormats.ejcs.format(counter?.value ?? 0));
  });

  it("is idempotent: repeated and concurrent issues of one application give one set of numbers", async () => {
    const c = await contractor();
    const s = await staff();
    const id = await submitted(c.cookie);
    const results = await Promise.all(Array.from({ length: 10 }, () => send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const bodies = await Promise.all(results.map((r) => json<Issued>(r)));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(await db().select().from(guarantees).where(eq(guarantees.applicationId, id))).toHaveLength(2);
    expect(
      await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subject, id), eq(auditLog.action, "application.issued"))),
    ).toHaveLength(1);
    const again = await send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie);
    expect(await json(again)).toEqual(bodies[0]);
  });

  it("issues 50 applications at once with unique, gapless numbers and no lost write", async () => {
    const c = await contractor();
    const s = await staff();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await submitted(c.cookie, complete({ name: `同時発行工事${i}` })));
    const [before] = await db().select().from(counters).where(eq(counters.name, "contract-number:wjcs"));
    const results = await Promise.all(ids.map((id) => send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const numbers = (await Promise.all(results.map((r) => json<Issued>(r)))).flatMap((b) => b.guarantees.map((g) => g.contractNumber));
    expect(numbers).toHaveLength(100);
    expect(new Set(numbers).size).toBe(100);
    const sorted = numbers.map(Number).sort((x, y) => x - y);
    expect((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)).toBe(99);
    const [after] = await db().select().from(counters).where(eq(counters.name, "contract-number:wjcs"));
    expect((after?.value ?? 0) - (before?.value ?? 0)).toBe(100);
    const rows = await db().select({ status: applications.status }).from(applications).where(eq(applications.companyId, c.companyId));
    expect(rows.filter((r) => r.status === "issued")).toHaveLength(50);
    const mails = await db().select().from(outbox).where(eq(outbox.template, "guarantee.issued"));
    expect(mails.filter((m) => ids.includes(String(m.data["applicationId"])))).toHaveLength(50);
  }, 60_000);

  it("refuses every other caller (the access matrix) and changes nothing", async () => {
    const c = await contractor();
    const other = await contractor("株式会社他社");
    const s = await staff();
    const ejcs = await staff("ejcs");
    const id = await submitted(c.cookie);
    const issue = `/api/v1/staff/applications/${id}/issue`;
    const reject = `/api/v1/staff/applications/${id}/reject`;
    const reason = { reason: "書類不足" };
    await expectProblem(await send("POST", issue, ""), 401, "unauthorized");
    await expectProblem(await send("POST", reject, "", reason), 401, "unauthorized");
    await expectProblem(await send("POST", issue, c.cookie), 403, "forbidden");
    await expectProblem(await send("POST", reject, other.cookie, reason), 403, "forbidden");
    await expectProblem(await send("POST", issue, ejcs.cookie), 404, "not_found");
    await expectProblem(await send("POST", reject, ejcs.cookie, reason), 404, "not_found");
    await expectProblem(await send("POST", issue, s.cookie, undefined, { origin: "https://evil.example" }), 403, "cross_origin");
    await expectProblem(await send("POST", reject, s.cookie, reason, { origin: "" }), 403, "cross_origin");
    await expectProblem(await send("POST", "/api/v1/staff/applications/no-such-id/issue", s.cookie), 404, "not_found");
    const [row] = await db().select().from(applications).where(eq(applications.id, id));
    expect(row?.status).toBe("submitted");
    // A draft is invisible to the desk.
    const created = await send("POST", "/api/v1/applications", c.cookie, { project: { name: "下書き" }, branchId: "wjcs-kagoshima" });
    const draftId = (await json<{ id: string }>(created)).id;
    await expectProblem(await send("POST", `/api/v1/staff/applications/${draftId}/issue`, s.cookie), 404, "not_found");
  });
});

describe("POST /api/v1/staff/applications/{id}/reject", () => {
  it("needs a reason, then shows it to the contractor; a rejected application cannot be issued, nor an issued one rejected", async () => {
    const c = await contractor();
    const s = await staff();
    const id = await submitted(c.cookie);
    const empty = await expectProblem(
      await send("POST", `/api/v1/staff/applications/${id}/reject`, s.cookie, { reason: "  " }),
      422,
      "validation_failed",
    );
    expect(empty.errors).toEqual([{ field: "reason", message: "不承認の理由を入力してください" }]);
    await expectProblem(await send("POST", `/api/v1/staff/applications/${id}/reject`, s.cookie, { reason: 42 }), 422, "validation_failed");
    await expectProblem(await send("POST", `/api/v1/staff/applications/${id}/reject`, s.cookie, "{not json"), 400, "malformed_request");
    const res = await send("POST", `/api/v1/staff/applications/${id}/reject`, s.cookie, { reason: "工期の記載に誤りがあります" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id, status: "rejected", rejectionReason: "工期の記載に誤りがあります" });
    const seen = await json<{ status: string; statusLabel: string; rejectionReason: string }>(
      await send("GET", `/api/v1/applications/${id}`, c.cookie),
    );
    expect(seen).toMatchObject({ status: "rejected", statusLabel: "不承認", rejectionReason: "工期の記載に誤りがあります" });
    await expectProblem(await send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie), 409, "not_submitted");
    expect(await db().select().from(guarantees).where(eq(guarantees.applicationId, id))).toEqual([]);
    // The same rejection again is fine; a different one is a conflict.
    expect((await send("POST", `/api/v1/staff/applications/${id}/reject`, s.cookie, { reason: "工期の記載に誤りがあります" })).status).toBe(
      200,
    );
    await expectProblem(
      await send("POST", `/api/v1/staff/applications/${id}/reject`, s.cookie, { reason: "別の理由" }),
      409,
      "already_rejected",
    );

    const issuedId = await submitted(c.cookie);
    await send("POST", `/api/v1/staff/applications/${issuedId}/issue`, s.cookie);
    await expectProblem(
      await send("POST", `/api/v1/staff/applications/${issuedId}/reject`, s.cookie, { reason: "遅すぎる" }),
      409,
      "not_submitted",
    );
  });
});

describe("guarantees belong to their company", () => {
  it("is 404 for another company, 403 for staff, 401 for no one", async () => {
    const c = await contractor();
    const other = await contractor("株式会社他社");
    const s = await staff();
    const id = await submitted(c.cookie);
    const number = (await json<Issued>(await send("POST", `/api/v1/staff/applications/${id}/issue`, s.cookie))).guarantees[0]
      ?.contractNumber;
    for (const path of [`/api/v1/guarantees/${number}`, `/api/v1/guarantees/${number}/auth-key`]) {
      await expectProblem(await send("GET", path, other.cookie), 404, "not_found");
      await expectProblem(await send("GET", path, s.cookie), 403, "forbidden");
      await expectProblem(await send("GET", path, ""), 401, "unauthorized");
    }
    expect((await json<{ items: unknown[] }>(await send("GET", "/api/v1/guarantees", other.cookie))).items).toEqual([]);
    await expectProblem(await send("GET", "/api/v1/guarantees", s.cookie), 403, "forbidden");
  });
});

describe("the e-mail and its signed link", () => {
  async function issuedWithMail(notifyEmail: string, mailEnv?: TestEnv) {
    const c = await contractor();
    const s = await staff();
    const id = await submitted(c.cookie, complete({ notifyEmail }));
    const res = await send(
      "POST",
      `/api/v1/staff/applications/${id}/issue`,
      s.cookie,
      undefined,
      mailEnv === undefined ? {} : { env: mailEnv },
    );
    expect(res.status).toBe(200);
    const outbox = await json<{ items: { to: string; subject: string; text: string; links: string[]; status: string }[] }>(
      await send("GET", "/api/v1/dev/outbox", ""),
    );
    const mail = outbox.items.find((m) => m.to === notifyEmail);
    if (mail === undefined) throw new Error("no mail queued");
    return { c, id, issued: await json<Issued>(res), mail };
  }
  const tokenOf = (link: string) => new URL(link).pathname.split("/")[2] ?? "";

  it("queues 電子保証発行完了のお知らせ with a link that opens the guarantees and keys without logging in", async () => {
    const { id, mail } = await issuedWithMail("link@example.jp");
    expect(mail.subject).toBe("【電子保証】発行完了のお知らせ（市道伊集院線改良工事）");
    expect(mail.status).toBe("queued");
    expect(mail.text).toContain("このリンクは 令和8年（2026年）12月15日 まで使えます。");
    const link = mail.links[0] ?? "";
    expect(link).toMatch(/^http:\/\/localhost\/links\/[\w-]+\.[\w-]+\.[\w-]+\/$/);
    const res = await send("GET", `/api/v1/links/${tokenOf(link)}`, "");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await json<{
      application: { id: string };
      guarantees: { authKey: string | null; certificate: { contractNumber: string } }[];
    }>(res);
    expect(body.application.id).toBe(id);
    expect(body.guarantees).toHaveLength(2);
    for (const g of body.guarantees) expect(readKey(g.authKey ?? "").ok).toBe(true);
    // The mail never carries a key, and the database holds no link token.
    for (const g of body.guarantees) expect(mail.text).not.toContain(g.authKey);
    const rows = await db().select().from(outbox);
    expect(JSON.stringify(rows)).not.toContain(tokenOf(link));
  });

  it("fails cleanly when expired (410) or tampered (401), in Japanese", async () => {
    const { mail } = await issuedWithMail("expiry@example.jp");
    const token = tokenOf(mail.links[0] ?? "");
    const saved = now;
    now = new Date(saved.getTime() + 14 * 86_400_000 + 1000);
    try {
      const expired = await expectProblem(await send("GET", `/api/v1/links/${token}`, ""), 410, "link_expired");
      expect(expired.title).toContain("有効期限");
    } finally {
      now = saved;
    }
    const [h, p, sig] = token.split(".");
    const flipped = `${h}.${p}.${(sig ?? "").startsWith("A") ? `B${sig?.slice(1)}` : `A${sig?.slice(1)}`}`;
    await expectProblem(await send("GET", `/api/v1/links/${flipped}`, ""), 401, "link_invalid");
    // Another application's id in the payload, same signature.
    const payload = JSON.parse(atob((p ?? "").replaceAll("-", "+").replaceAll("_", "/")));
    const forged = btoa(JSON.stringify({ ...payload, sub: "someone-else" }))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    await expectProblem(await send("GET", `/api/v1/links/${h}.${forged}.${sig}`, ""), 401, "link_invalid");
    // alg none, garbage and a huge token.
    const none = `${btoa(JSON.stringify({ alg: "none" })).replace(/=+$/, "")}.${p}.`;
    await expectProblem(await send("GET", `/api/v1/links/${none}`, ""), 401, "link_invalid");
    await expectProblem(await send("GET", "/api/v1/links/not-a-token", ""), 401, "link_invalid");
    await expectProblem(await send("GET", `/api/v1/links/${"a".repeat(3000)}`, ""), 422, "validation_failed");
  });

  it("is signed under the deployment's key: another DATA_ENCRYPTION_KEY does not accept it", async () => {
    const { mail } = await issuedWithMail("otherkey@example.jp");
    const otherEnv = { ...env(), DATA_ENCRYPTION_KEY: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) };
    await expectProblem(
      await send("GET", `/api/v1/links/${tokenOf(mail.links[0] ?? "")}`, "", undefined, { env: otherEnv }),
      401,
      "link_invalid",
    );
  });

  it("sends through Resend with the outbox id as idempotency key, and the Cron handler retries with backoff", async () => {
    const resendEnv = { ...env(), RESEND_API_KEY: inject("resendApiKey"), RESEND_BASE_URL: inject("resendUrl") };
    const sentBy = async () =>
      (await (await fetch(`${inject("resendUrl")}/_sent`)).json()) as {
        idempotencyKey: string;
        to: string[];
        subject: string;
        text: string;
      }[];

    // Delivered right after the issue.
    await issuedWithMail("delivered@example.jp", resendEnv);
    const [row] = await db().select().from(outbox).where(eq(outbox.to, "delivered@example.jp"));
    expect(row).toMatchObject({ status: "sent", attempts: 1, providerId: expect.stringMatching(/^stand-in-/) });
    const delivered = (await sentBy()).filter((m) => m.to.includes("delivered@example.jp"));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.idempotencyKey).toBe(row?.id);
    expect(delivered[0]?.subject).toContain("発行完了のお知らせ");

    // A temporary failure stays queued with backoff; the Cron run after the wait sends it, once.
    await issuedWithMail("fail-once@example.jp", resendEnv);
    const [failed] = await db().select().from(outbox).where(eq(outbox.to, "fail-once@example.jp"));
    expect(failed).toMatchObject({ status: "queued", attempts: 1, lastError: expect.stringContaining("temporary failure") });
    expect(failed?.nextAttemptAt).toBe(now.getTime() + 60_000);
    const cron = (at: Date) =>
      runScheduledJobs({
        ctx: createContext({ env: Bindings.parse(resendEnv), requestId: `cron-${crypto.randomUUID()}`, clock: () => at }),
        cron: "17 * * * *",
        scheduledTime: at.getTime(),
      });
    const early = await cron(new Date(now.getTime() + 30_000));
    expect(early.outcome).toBe("ok");
    const [waiting] = await db().select().from(outbox).where(eq(outbox.to, "fail-once@example.jp"));
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    const later = await cron(new Date(now.getTime() + 61_000));
    expect(later.detail["send-mail"]).toMatch(/^送信 \d+ 件、再試行待ち 0 件、失敗 0 件$/);
    const [retried] = await db().select().from(outbox).where(eq(outbox.to, "fail-once@example.jp"));
    expect(retried).toMatchObject({ status: "sent", attempts: 2 });
    expect((await sentBy()).filter((m) => m.to.includes("fail-once@example.jp"))).toHaveLength(1);

    // A permanent refusal is marked failed at once, not retried for a day.
    await issuedWithMail("reject@example.jp", resendEnv);
    const [refused] = await db().select().from(outbox).where(eq(outbox.to, "reject@example.jp"));
    expect(refused).toMatchObject({ status: "failed", attempts: 1 });
  }, 60_000);

  it("is 404 in production", async () => {
    const prod = { ...env(), APP_ENV: "production" };
    await expectProblem(await send("GET", "/api/v1/dev/outbox", "", undefined, { env: prod }), 404, "not_found");
  });
});

describe("the desk's queue filters", () => {
  it("filters by agency and finds by company or project name in either width, treating % and _ literally", async () => {
    const c = await contractor("株式会社検索建設");
    const s = await staff();
    const a = await submitted(c.cookie, complete({ name: "検索用の橋梁補修工事" }));
    const list = async (query: string) =>
      (await json<{ items: { id: string }[] }>(await send("GET", `/api/v1/staff/applications?${query}`, s.cookie))).items.map((i) => i.id);
    expect(await list("q=橋梁補修")).toEqual([a]);
    expect(await list(`q=${encodeURIComponent("検索建設")}`)).toContain(a);
    expect(await list("agency=462161")).toContain(a);
    expect(await list("agency=322016")).not.toContain(a);
    // Full-width and half-width brackets and digits find each other (names hold either).
    const b = await submitted(c.cookie, complete({ name: "市道改良工事（その2）" }));
    expect(await list(`q=${encodeURIComponent("(その2)")}`)).toEqual([b]);
    expect(await list(`q=${encodeURIComponent("（その２）")}`)).toEqual([b]);
    expect(await list(`q=${encodeURIComponent("工事（その")}`)).toEqual([b]);
    expect(await list("q=%25")).toEqual([]);
    expect(await list("q=_")).toEqual([]);
    await expectProblem(await send("GET", `/api/v1/staff/applications?q=${"あ".repeat(101)}`, s.cookie), 422, "validation_failed");
  });
});
