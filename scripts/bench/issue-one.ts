// One electronic 契約保証 issued through the API with the demo accounts, for the benchmarks.
import type { ensureDemoAccounts } from "../demo-accounts.ts";

/** One application issued through the API; its first guarantee's number and key. */
export async function issueOne(url: string, demo: Awaited<ReturnType<typeof ensureDemoAccounts>>) {
  const post = (path: string, cookie: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { cookie, origin: url, "content-type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
  const cookie = async (email: string, password: string) =>
    ((await post("/api/v1/auth/login", "", { email, password })).headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  const contractor = await cookie(demo.contractor.email, demo.contractor.password);
  const staff = await cookie(demo.staff.email, demo.staff.password);
  const created = (await (
    await post("/api/v1/applications", contractor, {
      project: {
        name: "照会計測工事",
        agencyId: "462161",
        beneficiary: "日置市長",
        location: "鹿児島県日置市",
        workType: "construction",
        contractPrice: 50_000_000,
        periodFrom: "2025-07-01",
        periodTo: "2026-03-20",
        bidAnnouncedOn: "2025-06-02",
        contractedOn: "2025-06-25",
      },
      guarantees: [{ kind: "contract", amount: 5_000_000, delivery: "electronic" }],
      branchId: "wjcs-kagoshima",
      contact: { name: "計測太郎", phone: "099-000-0000" },
    })
  ).json()) as { id: string };
  await post(`/api/v1/applications/${created.id}/submit`, contractor);
  const issued = (await (await post(`/api/v1/staff/applications/${created.id}/issue`, staff)).json()) as {
    guarantees: { contractNumber: string }[];
  };
  const number = issued.guarantees[0]?.contractNumber ?? "";
  const key = (await (await fetch(`${url}/api/v1/guarantees/${number}/auth-key`, { headers: { cookie: contractor } })).json()) as {
    authKey: string;
  };
  return { number, authKey: key.authKey, applicationId: created.id, contractor };
}
