// The API of the running Worker (wrangler dev, started by tests/browser/global-setup.ts), as the
// e2e and browser tests call it: same-origin JSON requests with a session cookie, the demo logins,
// and a guarantee issued the way a contractor and the desk would issue it.
import type { DemoAccounts } from "../../scripts/demo-accounts.ts";
import { cookieOf } from "../http.ts";
import { type FixtureGuarantee, hiokiProject } from "./fixtures.ts";

export interface WorkerApi {
  /** A request as the site's own pages make it: Origin = the site, the session cookie, JSON. */
  send(method: string, path: string, cookie: string, body?: unknown): Promise<Response>;
  /** The session cookie of a login (throws on anything but 200). */
  login(email: string, password: string): Promise<string>;
}

export function workerApi(base: string): WorkerApi {
  const send = (method: string, path: string, cookie: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie, origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const login = async (email: string, password: string) => {
    const res = await send("POST", "/api/v1/auth/login", "", { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    return cookieOf(res);
  };
  return { send, login };
}

export interface Issued {
  /** The application's id. */
  id: string;
  /** The first guarantee's 保証契約番号 and 認証キー (as the contractor reads it). */
  number: string;
  key: string;
  /** Every number issued, in the application's order. */
  numbers: string[];
  contractor: string;
  staff: string;
}

/**
 * An application for 日置市 by the demo contractor, submitted, and issued by the demo staff member
 * (by default one electronic 契約保証 of 5,000,000 yen).
 */
export async function issueThroughApi(
  base: string,
  demo: DemoAccounts,
  projectName: string,
  guarantees: FixtureGuarantee[] = [{ kind: "contract", amount: 5_000_000, delivery: "electronic" }],
): Promise<Issued> {
  const { send, login } = workerApi(base);
  const contractor = await login(demo.contractor.email, demo.contractor.password);
  const staff = await login(demo.staff.email, demo.staff.password);
  const created = await send("POST", "/api/v1/applications", contractor, {
    project: hiokiProject(projectName),
    guarantees,
    branchId: "wjcs-kagoshima",
    contact: { name: "鹿児島太郎", phone: "099-000-0000" },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const submitted = await send("POST", `/api/v1/applications/${id}/submit`, contractor);
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${await submitted.text()}`);
  const issued = await send("POST", `/api/v1/staff/applications/${id}/issue`, staff);
  if (issued.status !== 200) throw new Error(`issue: ${issued.status} ${await issued.text()}`);
  const numbers = ((await issued.json()) as { guarantees: { contractNumber: string }[] }).guarantees.map((g) => g.contractNumber);
  const number = numbers[0] ?? "";
  const read = await send("GET", `/api/v1/guarantees/${number}/auth-key`, contractor);
  const key = read.status === 200 ? ((await read.json()) as { authKey: string }).authKey : "";
  return { id, number, key, numbers, contractor, staff };
}
