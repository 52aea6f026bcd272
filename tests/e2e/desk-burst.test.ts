// Applications, the desk and the TOTP status through the real Worker under simultaneous requests,
// with the demo accounts the global setup made (an approved contractor, a wjcs staff member).
import { describe, expect, inject, it } from "vitest";
import { tally } from "../http.ts";
import { workerApi } from "../support/worker-api.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");

const { send, login } = workerApi(base);
const application = (i: number) => ({
  project: {
    name: `負荷試験工事 ${i}`,
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
  guarantees: [{ kind: "contract", amount: 5_000_000, delivery: "paper" }],
  branchId: "wjcs-kagoshima",
  contact: { name: "鹿児島太郎", phone: "099-000-0000" },
});

describe("applications and the desk under bursts through wrangler dev", () => {
  it("50 simultaneous drafts, 50 submits (each sent twice at once), then 200 reads of the queue, lists and TOTP status", {
    timeout: 120_000,
  }, async () => {
    const contractor = await login(demo.contractor.email, demo.contractor.password);
    const staff = await login(demo.staff.email, demo.staff.password);

    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send("POST", "/api/v1/applications", contractor, application(i))),
    );
    expect(tally(created.map((r) => r.status))).toEqual({ 201: 50 });
    const ids = await Promise.all(created.map(async (r) => ((await r.json()) as { id: string }).id));

    const submits = await Promise.all(
      ids.flatMap((id) => [id, id]).map((id) => send("POST", `/api/v1/applications/${id}/submit`, contractor)),
    );
    expect(tally(submits.map((r) => r.status))).toEqual({ 200: 100 });

    const reads = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          [
            () => send("GET", "/api/v1/staff/applications?status=submitted", staff),
            () => send("GET", "/api/v1/applications", contractor),
            () => send("GET", `/api/v1/staff/applications/${ids[i % ids.length]}`, staff),
            () => send("GET", "/api/v1/auth/totp", staff),
          ][i % 4]?.() ?? Promise.reject(new Error("no call")),
      ),
    );
    expect(tally(reads.map((r) => r.status))).toEqual({ 200: 200 });
    const queue = (await reads[0]?.json()) as { items: { id: string }[] };
    for (const id of ids) expect(queue.items.map((i) => i.id)).toContain(id);

    // Approving one company 20 times at once answers 200 each time.
    const approvals = await Promise.all(
      Array.from({ length: 20 }, () => send("POST", `/api/v1/staff/companies/${demo.contractor.companyId}/approve`, staff)),
    );
    expect(tally(approvals.map((r) => r.status))).toEqual({ 200: 20 });

    // Errors stay problem+json in Japanese under the same load.
    const denied = await Promise.all(Array.from({ length: 50 }, () => send("GET", "/api/v1/staff/applications", contractor)));
    for (const res of denied) {
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { title: string }).title).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    }
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
  });
});
