// Issuing and rejecting through the real Worker under simultaneous requests: the demo contractor
// submits 70 applications, the demo staff member issues 50 of them with every issue request sent
// twice at the same moment, and rejects the other 20 in the same burst. Then the contractor reads
// its guarantees, keys and e-mailed links, and errors stay Japanese problem+json under load.
//
// The Worker and its database are shared with the other browser/e2e files (run one after another):
// nothing here assumes an empty database. This file's applications carry a run id in their project
// name and notification address, and the guarantor's counter is read before and after.
import { createClient } from "@libsql/client";
import { describe, expect, inject, it } from "vitest";
import { numberFormats } from "../../edge/domain/numbering.ts";
import { tally } from "../http.ts";
import { workerApi } from "../support/worker-api.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const ISSUED = 50;
const REJECTED = 20;

const { send, login } = workerApi(base);
async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

type Delivery = "electronic" | "paper";
interface Requested {
  kind: string;
  amount: number;
  delivery: Delivery;
  depositBank?: string;
}

/** Four shapes in turn: electronic and paper, one to three guarantees (日置市 accepts all three kinds electronically). */
function guaranteesFor(i: number): Requested[] {
  const bank = "鹿児島銀行　本店";
  switch (i % 4) {
    case 0:
      return [
        { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: bank },
        { kind: "contract", amount: 5_000_000, delivery: "paper" },
      ];
    case 1:
      return [{ kind: "contract", amount: 5_000_000, delivery: "electronic" }];
    case 2:
      return [{ kind: "contract", amount: 5_000_000, delivery: "paper" }];
    default:
      return [
        { kind: "advance", amount: 20_000_000, delivery: "electronic", depositBank: bank },
        { kind: "intermediate", amount: 10_000_000, delivery: "electronic", depositBank: bank },
        { kind: "contract", amount: 6_000_000, delivery: "electronic" },
      ];
  }
}

const application = (run: string, i: number) => ({
  project: {
    name: `発行負荷試験 ${run} 第${i}号工事`,
    agencyId: "462161",
    beneficiary: "日置市長",
    location: "鹿児島県日置市伊集院町",
    workType: "construction",
    contractPrice: 50_000_000,
    periodFrom: "2025-07-01",
    periodTo: "2026-03-20",
    bidAnnouncedOn: "2025-06-02",
    contractedOn: "2025-06-25",
  },
  guarantees: guaranteesFor(i),
  branchId: "wjcs-kagoshima",
  notifyEmail: `issue-${run}-${i}@example.jp`,
  contact: { name: "鹿児島太郎", phone: "099-000-0000" },
});

/** The wjcs counter as the database holds it (0 before the first issue). */
async function wjcsCounter(): Promise<number> {
  const db = createClient({ url: `file:${inject("dbFile")}` });
  try {
    const rows = (await db.execute("select value from counters where name = 'contract-number:wjcs'")).rows;
    return Number(rows[0]?.["value"] ?? 0);
  } finally {
    db.close();
  }
}

async function expectJapaneseProblem(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const problem = await json<{ status: number; title: string; code: string }>(res);
  expect(problem.status).toBe(status);
  expect(problem.title).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  if (code !== undefined) expect(problem.code).toBe(code);
}

interface Issued {
  guarantees: { contractNumber: string; kind: string; delivery: Delivery }[];
}

describe("issuing and rejecting under bursts through wrangler dev", () => {
  it(`${ISSUED} issues each sent twice at once and ${REJECTED} rejects in one burst: unique consecutive numbers, keys, links, one mail each`, {
    timeout: 240_000,
  }, async () => {
    const run = Date.now().toString(36);
    const contractor = await login(demo.contractor.email, demo.contractor.password);
    const staff = await login(demo.staff.email, demo.staff.password);
    expect(demo.staff.guarantorId).toBe("wjcs");

    // 70 drafts at once, then 70 submits at once.
    const total = ISSUED + REJECTED;
    const created = await Promise.all(
      Array.from({ length: total }, (_, i) => send("POST", "/api/v1/applications", contractor, application(run, i))),
    );
    expect(tally(created.map((r) => r.status))).toEqual({ 201: total });
    const ids = await Promise.all(created.map(async (r) => (await json<{ id: string }>(r)).id));
    const submits = await Promise.all(ids.map((id) => send("POST", `/api/v1/applications/${id}/submit`, contractor)));
    expect(tally(submits.map((r) => r.status))).toEqual({ 200: total });
    const toIssue = ids.slice(0, ISSUED);
    const toReject = ids.slice(ISSUED);

    // The burst: every issue twice at the same moment, and the rejects, 120 requests at once.
    const before = await wjcsCounter();
    const burst = await Promise.all([
      ...toIssue.flatMap((id) => [id, id]).map((id) => send("POST", `/api/v1/staff/applications/${id}/issue`, staff)),
      ...toReject.map((id, i) => send("POST", `/api/v1/staff/applications/${id}/reject`, staff, { reason: `負荷試験の不承認 ${i}` })),
    ]);
    const after = await wjcsCounter();
    const statuses = burst.map((r) => r.status);
    const bodies = await Promise.all(burst.map((r) => r.text()));
    expect(tally(statuses), bodies.filter((_, i) => statuses[i] !== 200).join("\n")).toEqual({ 200: 2 * ISSUED + REJECTED });

    // Each application's two answers are the same, and list what it asked for, in order.
    const issued = new Map<string, Issued>();
    toIssue.forEach((id, i) => {
      const [first, second] = [bodies[2 * i] ?? "", bodies[2 * i + 1] ?? ""];
      expect(JSON.parse(second)).toEqual(JSON.parse(first));
      const result = JSON.parse(first) as Issued;
      expect(result.guarantees.map((g) => [g.kind, g.delivery])).toEqual(guaranteesFor(i).map((g) => [g.kind, g.delivery]));
      issued.set(id, result);
    });
    toReject.forEach((id, i) => {
      expect(JSON.parse(bodies[2 * ISSUED + i] ?? "")).toEqual({ id, status: "rejected", rejectionReason: `負荷試験の不承認 ${i}` });
    });

    // Numbers: unique, in wjcs's format, and (nothing else issued meanwhile) exactly the counter's
    // new range, each application's own numbers next to each other in position order.
    const all = [...issued.values()].flatMap((r) => r.guarantees);
    const expectedCount = Array.from({ length: ISSUED }, (_, i) => guaranteesFor(i).length).reduce((a, b) => a + b, 0);
    const numbers = all.map((g) => g.contractNumber);
    expect(numbers.length).toBe(expectedCount);
    expect(new Set(numbers).size).toBe(expectedCount);
    const wjcs = numberFormats.wjcs;
    for (const n of numbers) expect(n).toMatch(wjcs.pattern);
    expect(after - before).toBe(expectedCount);
    expect([...numbers].sort()).toEqual(Array.from({ length: expectedCount }, (_, k) => wjcs.format(before + 1 + k)));
    for (const result of issued.values()) {
      const own = result.guarantees.map((g) => Number(g.contractNumber));
      expect(own).toEqual(own.map((_, k) => (own[0] ?? 0) + k));
    }

    // The contractor sees every one, with the right application, delivery and version 1 (新規).
    const listed = await json<{
      items: {
        applicationId: string;
        delivery: Delivery;
        certificate: { contractNumber: string; version: number; versionLabel: string };
      }[];
    }>(await send("GET", "/api/v1/guarantees", contractor));
    const byNumber = new Map(listed.items.map((g) => [g.certificate.contractNumber, g]));
    for (const [id, result] of issued) {
      for (const g of result.guarantees) {
        expect(byNumber.get(g.contractNumber)).toMatchObject({
          applicationId: id,
          delivery: g.delivery,
          certificate: { version: 1, versionLabel: "新規" },
        });
      }
    }

    // 50 keys read at once: every electronic guarantee has one, each different.
    const electronic = all.filter((g) => g.delivery === "electronic").slice(0, 50);
    expect(electronic.length).toBe(50);
    const keys = await Promise.all(electronic.map((g) => send("GET", `/api/v1/guarantees/${g.contractNumber}/auth-key`, contractor)));
    expect(tally(keys.map((r) => r.status))).toEqual({ 200: 50 });
    const authKeys = await Promise.all(keys.map(async (r) => (await json<{ authKey: string }>(r)).authKey));
    for (const key of authKeys) expect(key).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(authKeys).size).toBe(50);

    // One mail per issued application (addressed to its own notifyEmail), none for the rejected.
    const outbox = await json<{ items: { to: string; template: string; subject: string; links: string[] }[] }>(
      await send("GET", "/api/v1/dev/outbox", ""),
    );
    const mine = outbox.items.filter((m) => m.to.startsWith(`issue-${run}-`));
    expect(mine.length).toBe(ISSUED);
    expect(new Set(mine.map((m) => m.to))).toEqual(new Set(toIssue.map((_, i) => `issue-${run}-${i}@example.jp`)));
    for (const m of mine) expect(m.template).toBe("guarantee.issued");

    // Every e-mailed link, opened at once without logging in, shows its own application's guarantees.
    const tokens = mine.map((m) => {
      const link = m.links.find((l) => l.includes("/links/")) ?? "";
      return { to: m.to, token: link.split("/links/")[1]?.replace(/\/$/, "") ?? "" };
    });
    const opened = await Promise.all(tokens.map((t) => fetch(`${base}/api/v1/links/${t.token}`)));
    expect(tally(opened.map((r) => r.status))).toEqual({ 200: ISSUED });
    for (const [k, res] of opened.entries()) {
      const page = await json<{ application: { id: string }; guarantees: { certificate: { contractNumber: string } }[] }>(res);
      const i = Number(/-(\d+)@/.exec(tokens[k]?.to ?? "")?.[1]);
      expect(page.application.id).toBe(toIssue[i]);
      expect(page.guarantees.map((g) => g.certificate.contractNumber)).toEqual(
        issued.get(page.application.id)?.guarantees.map((g) => g.contractNumber),
      );
    }

    // The contractor's list tells issued from rejected (with the reason).
    const apps = await json<{ items: { id: string; status: string; rejectionReason?: string | null }[] }>(
      await send("GET", "/api/v1/applications", contractor),
    );
    const status = new Map(apps.items.map((a) => [a.id, a.status]));
    for (const id of toIssue) expect(status.get(id)).toBe("issued");
    for (const id of toReject) expect(status.get(id)).toBe("rejected");

    // Errors under the same kind of load stay Japanese problem+json: 60 wrong calls at once.
    const paper = all.find((g) => g.delivery === "paper")?.contractNumber ?? "";
    const wrong = Array.from({ length: 10 }, (_, i) => [
      { call: send("POST", `/api/v1/staff/applications/${toReject[i]}/issue`, staff), status: 409, code: "not_submitted" },
      {
        call: send("POST", `/api/v1/staff/applications/${toIssue[i]}/reject`, staff, { reason: "遅すぎる不承認" }),
        status: 409,
        code: "not_submitted",
      },
      { call: send("POST", `/api/v1/staff/applications/${toIssue[i]}/issue`, contractor), status: 403 },
      { call: send("POST", `/api/v1/staff/applications/${crypto.randomUUID()}/issue`, staff), status: 404 },
      { call: send("POST", `/api/v1/staff/applications/${toReject[i]}/reject`, staff, { reason: "  " }), status: 422 },
      { call: send("GET", `/api/v1/guarantees/${paper}/auth-key`, contractor), status: 404, code: "no_auth_key" },
    ]).flat();
    for (const w of wrong) await expectJapaneseProblem(await w.call, w.status, "code" in w ? w.code : undefined);
    // Nothing above issued anything more.
    expect(await wjcsCounter()).toBe(after);

    const started = performance.now();
    const health = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
