// The staff's after-issue actions (API.md: new versions and key rotation) through the real Worker
// under simultaneous requests. workerd cancels a request that waits on another request's I/O, so
// nothing may be shared per isolate; and the history is append-only: under a burst every answer is
// a 2xx or a clean Japanese 409, the versions stay numbered without gap or duplicate, the certificate
// is the last change that succeeded, each 201 is the certificate its own step made (not a later
// one), the newest key alone verifies, a cancellation happens once, and the mail, the audit chain
// and the signatures match exactly what succeeded.
//
// The Worker and its database are shared with the other browser/e2e files (run one after another):
// this file issues its own guarantees (a run id in the project names and notification addresses)
// and looks only at those.
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { connectNode } from "../../db/node.ts";
import { verifyAudit } from "../../edge/services/audit.ts";
import { cookieOf, tally } from "../http.ts";
import { hiokiProject } from "../support/fixtures.ts";

const base = inject("baseUrl");
const demo = inject("demoAccounts");
const run = Date.now().toString(36);

/** Guarantees for the version burst, the rotation burst and the cancel burst. */
const VERSIONED = 20;
const ROTATED = 6;
const CANCELLED = 4;
const KEY = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

function send(method: string, path: string, cookie: string, body?: unknown) {
  return fetch(`${base}${path}`, {
    method,
    headers: { cookie, origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
/** An agency's verification: no cookie, its own client address (each has its own 60 a minute). */
const verify = (contractNumber: string, authKey: string, client: string) =>
  fetch(`${base}/api/v1/verify`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": client },
    body: JSON.stringify({ contractNumber, authKey }),
  });
async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

interface Certificate {
  contractNumber: string;
  version: number;
  versionLabel: string;
  status: "active" | "cancelled";
  amount: number;
  projectName: string;
}
interface Visible {
  version: number;
  label: string;
  reason: string;
}
interface Own {
  certificate: Certificate;
  versions: Visible[];
}
interface Verification extends Own {
  jws: string;
}
interface StaffView {
  keyGeneration: number;
  records: { version: number; reason: string; signed: boolean }[];
}
interface Problem {
  status: number;
  title: string;
  code: string;
}

/** One answer of a burst, read once: status, content type and the parsed body (or the raw text). */
interface Answer {
  status: number;
  type: string;
  text: string;
  body: unknown;
}
async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a 500 from the runtime may not be JSON: keep the text for the failure message
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", text, body };
}
/** The call, sent after `ms` (the burst's later part reads what its earlier part committed). */
const later = (ms: number, call: () => Promise<Response>) => () => new Promise<void>((resolve) => setTimeout(resolve, ms)).then(call);
/** Fire every call at once; the answers in call order, and the wall time. */
async function burst(calls: (() => Promise<Response>)[]): Promise<{ answers: Answer[]; ms: number }> {
  const started = performance.now();
  const answers = await Promise.all(calls.map(async (call) => answer(await call())));
  return { answers, ms: Math.round(performance.now() - started) };
}
/** A clean refusal: problem+json with the status, a Japanese title and one of the expected codes. */
function expectProblem(a: Answer, status: number, codes: string[]) {
  expect(a.status, a.text).toBe(status);
  expect(a.type).toMatch(/^application\/problem\+json/);
  const problem = a.body as Problem;
  expect(problem.status).toBe(status);
  expect(problem.title).toMatch(/[ぁ-んァ-ヶ一-龠]/);
  expect(codes).toContain(problem.code);
}
/** Only these statuses, and the message lists every other answer in full. */
function expectOnly(answers: Answer[], allowed: number[]) {
  const odd = answers.filter((a) => !allowed.includes(a.status));
  expect(odd.map((a) => `${a.status} ${a.type} ${a.text}`)).toEqual([]);
}

interface Issued {
  i: number;
  number: string;
  notify: string;
  projectName: string;
  /** The key at issue. */
  key: string;
}

let contractor = "";
let staff = "";
const issued: Issued[] = [];
/** What each burst sent and got, for the annotation: "409 version_conflict": 12, … */
const figures: { phase: string; requests: number; answers: Record<string, number>; ms: number }[] = [];
function record(phase: string, answers: Answer[], ms: number) {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const code = a.status >= 400 ? ` ${(a.body as Partial<Problem>).code ?? "?"}` : "";
    counts[`${a.status}${code}`] = (counts[`${a.status}${code}`] ?? 0) + 1;
  }
  figures.push({ phase, requests: answers.length, answers: counts, ms });
}
/** The steps that succeeded, per guarantee: its mails and audit entries must match them exactly. */
const succeeded = new Map<string, { version: number; rotated: number; subjects: string[] }>();

const own = async (number: string) => json<Own>(await send("GET", `/api/v1/guarantees/${number}`, contractor));
const staffView = async (number: string) => json<StaffView>(await send("GET", `/api/v1/staff/guarantees/${number}`, staff));
const readKey = async (number: string) =>
  (await json<{ authKey: string }>(await send("GET", `/api/v1/guarantees/${number}/auth-key`, contractor))).authKey;
const versionsPath = (number: string) => `/api/v1/staff/guarantees/${number}/versions`;
const rotatePath = (number: string) => `/api/v1/staff/guarantees/${number}/rotate-key`;

/** The mails of this run's guarantees among the outbox's newest 100, by notification address. */
async function outboxByAddress(): Promise<Map<string, { template: string; subject: string }[]>> {
  const res = await send("GET", "/api/v1/dev/outbox", "");
  expect(res.status).toBe(200);
  const { items } = await json<{ items: { to: string; template: string; subject: string }[] }>(res);
  const mine = new Map<string, { template: string; subject: string }[]>();
  for (const m of items) {
    if (!m.to.startsWith(`vburst-${run}-`)) continue;
    mine.set(m.to, [...(mine.get(m.to) ?? []), { template: m.template, subject: m.subject }]);
  }
  return mine;
}
/** Each guarantee's mails since issue are exactly what its successful steps announced. */
async function expectMailFor(guarantees: Issued[]) {
  const mine = await outboxByAddress();
  for (const g of guarantees) {
    const expected = succeeded.get(g.number) ?? { version: 0, rotated: 0, subjects: [] };
    const mails = (mine.get(g.notify) ?? []).filter((m) => m.template !== "guarantee.issued");
    expect(
      mails.filter((m) => m.template === "guarantee.version"),
      g.number,
    ).toHaveLength(expected.version);
    expect(
      mails.filter((m) => m.template === "guarantee.key_rotated"),
      g.number,
    ).toHaveLength(expected.rotated);
    expect(mails.map((m) => m.subject).sort(), g.number).toEqual([...expected.subjects].sort());
  }
}
function mailed(number: string, template: "version" | "rotated", what: "変更" | "訂正" | "解約" | "認証キー再発行") {
  const entry = succeeded.get(number) ?? { version: 0, rotated: 0, subjects: [] };
  entry[template]++;
  entry.subjects.push(`【電子保証】${what}のお知らせ（${number}）`);
  succeeded.set(number, entry);
}

interface AuditStep {
  subject: string;
  action: string;
  detail: { version?: number; changes?: { amount?: number; projectName?: string }; generation?: number };
}
/** The audit entries of guarantee steps (guarantee.change, .correction, .cancel, .key_rotated) for these numbers. */
async function auditEntries(numbers: string[]): Promise<AuditStep[]> {
  const { client } = connectNode(`file:${inject("dbFile")}`);
  try {
    const { rows } = await client.execute({
      sql: `select subject, action, detail from audit_log where action like 'guarantee.%' and subject in (${numbers.map(() => "?").join(", ")})`,
      args: numbers,
    });
    return rows.map((r) => ({ subject: String(r["subject"]), action: String(r["action"]), detail: JSON.parse(String(r["detail"])) }));
  } finally {
    client.close();
  }
}

/** The verification's JWS signs exactly its certificate, under a key of the JWKS. */
async function expectSigned(v: Verification, jwks: JSONWebKeySet) {
  const { payload } = await compactVerify(v.jws, createLocalJWKSet(jwks));
  expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(v.certificate);
}

describe("new versions and key rotations under bursts through wrangler dev", () => {
  beforeAll(async () => {
    const login = async (email: string, password: string) => {
      const res = await send("POST", "/api/v1/auth/login", "", { email, password });
      expect(res.status).toBe(200);
      return cookieOf(res);
    };
    [contractor, staff] = await Promise.all([
      login(demo.contractor.email, demo.contractor.password),
      login(demo.staff.email, demo.staff.password),
    ]);
    expect(demo.staff.guarantorId).toBe("wjcs");
    // One electronic contract guarantee (5,000,000 of 50,000,000: 10–100% allowed) per application.
    const total = VERSIONED + ROTATED + CANCELLED;
    const names = Array.from({ length: total }, (_, i) => `版負荷試験 ${run} 第${i}号工事`);
    const created = await Promise.all(
      names.map((name, i) =>
        send("POST", "/api/v1/applications", contractor, {
          project: hiokiProject(name),
          guarantees: [{ kind: "contract", amount: 5_000_000, delivery: "electronic" }],
          branchId: "wjcs-kagoshima",
          notifyEmail: `vburst-${run}-${i}@example.jp`,
          contact: { name: "鹿児島太郎", phone: "099-000-0000" },
        }),
      ),
    );
    expect(tally(created.map((r) => r.status))).toEqual({ 201: total });
    const ids = await Promise.all(created.map(async (r) => (await json<{ id: string }>(r)).id));
    const submitted = await Promise.all(ids.map((id) => send("POST", `/api/v1/applications/${id}/submit`, contractor)));
    expect(tally(submitted.map((r) => r.status))).toEqual({ 200: total });
    const issues = await Promise.all(ids.map((id) => send("POST", `/api/v1/staff/applications/${id}/issue`, staff)));
    expect(tally(issues.map((r) => r.status))).toEqual({ 200: total });
    const numbers = await Promise.all(
      issues.map(async (r) => (await json<{ guarantees: { contractNumber: string }[] }>(r)).guarantees[0]?.contractNumber ?? ""),
    );
    const keys = await Promise.all(numbers.map(readKey));
    for (const [i, number] of numbers.entries()) {
      expect(keys[i]).toMatch(KEY);
      issued.push({ i, number, notify: `vburst-${run}-${i}@example.jp`, projectName: names[i] ?? "", key: keys[i] ?? "" });
    }
  });

  it(`${VERSIONED} guarantees, each with 3 changes and a correction in one burst: versions without gap, the last change stands`, {
    timeout: 60_000,
  }, async () => {
    const group = issued.slice(0, VERSIONED);
    const amountOf = (i: number, k: number) => 6_000_000 + i * 10_000 + k * 1_000;
    const corrected = (g: Issued) => `${g.projectName}（訂正）`;
    // Two changes at once, the third and the correction up to 950 ms later (a step takes a few hundred
    // ms in this burst): some read the version another just committed (a chain of wins), others race
    // for the same one (409).
    const calls = group.flatMap((g, j) => [
      ...[0, 0, 150 + (j % 5) * 200].map((ms, k) => ({
        g,
        reason: "change" as const,
        amount: amountOf(g.i, k),
        call: later(ms, () => send("POST", versionsPath(g.number), staff, { reason: "change", changes: { amount: amountOf(g.i, k) } })),
      })),
      {
        g,
        reason: "correction" as const,
        amount: 0,
        call: later((j % 4) * 300, () =>
          send("POST", versionsPath(g.number), staff, { reason: "correction", changes: { projectName: corrected(g) } }),
        ),
      },
    ]);
    const { answers, ms } = await burst(calls.map((c) => c.call));
    record("versions", answers, ms);
    expectOnly(answers, [201, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expectProblem(a, 409, ["version_conflict"]);

    // What each guarantee got: the winning requests, and the steps its audit log recorded (written in
    // the step's own batch, with the row version it created) — the order of the wins.
    const outcome = group.map((g) => {
      const mine = calls.flatMap((c, k) => (c.g === g ? [{ ...c, a: answers[k] as Answer }] : []));
      const changes = mine.filter((m) => m.reason === "change" && m.a.status === 201);
      const correction = mine.find((m) => m.reason === "correction" && m.a.status === 201);
      for (let k = 0; k < changes.length; k++) mailed(g.number, "version", "変更");
      if (correction !== undefined) mailed(g.number, "version", "訂正");
      return { g, changes, correction };
    });
    const audit = await auditEntries(group.map((g) => g.number));
    const mismatched: { number: string; sent: unknown; expected: unknown; got: unknown }[] = [];

    for (const { g, changes, correction } of outcome) {
      // At least the first to commit wins. The audit holds one entry per win, rows 2..M in a row.
      expect(changes.length + (correction === undefined ? 0 : 1), g.number).toBeGreaterThanOrEqual(1);
      const steps = audit.filter((e) => e.subject === g.number).sort((a, b) => (a.detail.version ?? 0) - (b.detail.version ?? 0));
      expect(
        steps.map((e) => e.detail.version),
        g.number,
      ).toEqual(Array.from({ length: changes.length + (correction === undefined ? 0 : 1) }, (_, k) => k + 2));
      const changed = steps.filter((e) => e.action === "guarantee.change");
      expect(changed.map((e) => e.detail.changes?.amount).sort()).toEqual(changes.map((c) => c.amount).sort());
      expect(steps.filter((e) => e.action === "guarantee.correction").length).toBe(correction === undefined ? 0 : 1);
      /** The certificate as of row version r: its visible number and amount. */
      const asOf = (r: number) => {
        const before = changed.filter((e) => (e.detail.version ?? 0) <= r);
        return { version: 1 + before.length, amount: before.at(-1)?.detail.changes?.amount ?? 5_000_000 };
      };

      // The contractor's view: 新規, 変更1 … 変更N-1; the content is the last change (and the correction).
      const view = await own(g.number);
      const n = changes.length + 1;
      expect(view.versions.map((v) => [v.version, v.label])).toEqual(
        Array.from({ length: n }, (_, k) => [k + 1, k === 0 ? "新規" : `変更${k}`]),
      );
      expect(view.certificate).toMatchObject({
        contractNumber: g.number,
        version: n,
        versionLabel: n === 1 ? "新規" : `変更${n - 1}`,
        status: "active",
        amount: asOf(Number.MAX_SAFE_INTEGER).amount,
        projectName: correction === undefined ? g.projectName : corrected(g),
      });
      // The desk's records: every row, corrections too, numbered 1..M, each signed once.
      const records = (await staffView(g.number)).records;
      expect(records.map((r) => [r.version, r.reason])).toEqual([
        [1, "new"],
        ...steps.map((e) => [e.detail.version, e.action.replace("guarantee.", "")]),
      ]);
      expect(records.filter((r) => !r.signed)).toEqual([]);

      // Each 201 is the certificate its own step made (API.md: "201 with the new Certificate").
      for (const c of changes) {
        const row = changed.find((e) => e.detail.changes?.amount === c.amount)?.detail.version ?? 0;
        const body = c.a.body as Certificate;
        const expected = asOf(row);
        if (body.version !== expected.version || body.amount !== expected.amount) {
          mismatched.push({
            number: g.number,
            sent: { change: { amount: c.amount } },
            expected,
            got: { version: body.version, amount: body.amount },
          });
        }
      }
      if (correction !== undefined) {
        const row = steps.find((e) => e.action === "guarantee.correction")?.detail.version ?? 0;
        const body = correction.a.body as Certificate;
        const expected = { ...asOf(row), projectName: corrected(g) };
        if (body.version !== expected.version || body.amount !== expected.amount || body.projectName !== expected.projectName) {
          mismatched.push({
            number: g.number,
            sent: { correction: { projectName: corrected(g) } },
            expected,
            got: { version: body.version, amount: body.amount, projectName: body.projectName },
          });
        }
      }
    }

    // An agency sees the same (20 verifications at once), signed under the published keys.
    const verified = await Promise.all(group.map((g, k) => verify(g.number, g.key, `198.18.1.${k}`)));
    expect(tally(verified.map((r) => r.status))).toEqual({ 200: VERSIONED });
    const jwks = await json<JSONWebKeySet>(await fetch(`${base}/.well-known/jwks.json`));
    for (const [k, res] of verified.entries()) {
      const v = await json<Verification>(res);
      const view = await own(group[k]?.number ?? "");
      expect(v.certificate).toEqual(view.certificate);
      expect(v.versions).toEqual(view.versions);
      await expectSigned(v, jwks);
    }
    await expectMailFor(group);
    // Last, so that everything above is known to hold whatever this says.
    expect(mismatched, "201 answers that are not the certificate their own step made").toEqual([]);
  });

  it(`${ROTATED} guarantees, each rotated 3 times in one burst with verifications, key reads and a change: only the newest key verifies`, {
    timeout: 60_000,
  }, async () => {
    const group = issued.slice(VERSIONED, VERSIONED + ROTATED);
    for (const g of group) expect((await staffView(g.number)).keyGeneration).toBe(1);
    // Two rotations at once and a third 150 to 900 ms later; the key at issue verified at 0, 400 and
    // 900 ms (each from its own client), the key read at 0 and 600 ms, and a change at 60 ms.
    let client = 0;
    const calls = group.flatMap((g, j) => {
      const rotate = (ms: number) => ({ g, what: "rotate", call: later(ms, () => send("POST", rotatePath(g.number), staff)) });
      const check = (ms: number) => {
        const ip = `198.18.2.${client++}`;
        return { g, what: "verify", call: later(ms, () => verify(g.number, g.key, ip)) };
      };
      const read = (ms: number) => ({
        g,
        what: "read",
        call: later(ms, () => send("GET", `/api/v1/guarantees/${g.number}/auth-key`, contractor)),
      });
      const change = {
        g,
        what: "change",
        call: later(60, () => send("POST", versionsPath(g.number), staff, { reason: "change", changes: { amount: 7_000_000 + j } })),
      };
      return [rotate(0), check(0), read(0), rotate(0), check(400), change, rotate(150 + j * 150), read(600), check(900)];
    });
    const { answers, ms } = await burst(calls.map((c) => c.call));
    record("rotations", answers, ms);
    expectOnly(answers, [200, 201, 404, 409]);

    const jwks = await json<JSONWebKeySet>(await fetch(`${base}/.well-known/jwks.json`));
    for (const [j, g] of group.entries()) {
      const mine = calls.flatMap((c, k) => (c.g === g ? [{ what: c.what, a: answers[k] as Answer }] : []));
      const of = (what: string) => mine.filter((m) => m.what === what).map((m) => m.a);
      // Rotations: each applied to the generation it read, or refused; generations 2..1+won.
      const rotations = of("rotate");
      for (const a of rotations.filter((x) => x.status !== 200)) expectProblem(a, 409, ["key_conflict"]);
      const won = rotations.filter((a) => a.status === 200).map((a) => a.body as { contractNumber: string; keyGeneration: number });
      expect(won.length, g.number).toBeGreaterThanOrEqual(1);
      for (const w of won) expect(w.contractNumber).toBe(g.number);
      expect(won.map((w) => w.keyGeneration).sort()).toEqual(won.map((_, k) => k + 2));
      expect((await staffView(g.number)).keyGeneration).toBe(1 + won.length);
      for (let k = 0; k < won.length; k++) mailed(g.number, "rotated", "認証キー再発行");
      // The change does not race the rotations (another column): it applies.
      const [change] = of("change");
      expect(change?.status, change?.text).toBe(201);
      expect(change?.body).toMatchObject({ version: 2, versionLabel: "変更1", amount: 7_000_000 + j });
      mailed(g.number, "version", "変更");
      // The key at issue verified until a rotation, then stopped: 200 or 404, nothing else.
      for (const a of of("verify")) {
        if (a.status === 200) expect((a.body as Verification).certificate.contractNumber).toBe(g.number);
        else expectProblem(a, 404, ["not_found"]);
      }
      // Keys read during the burst: well-formed; with the one at issue, no more than the generations.
      const reads = of("read");
      expect(reads.map((a) => a.status)).toEqual([200, 200]);
      const seen = new Set([g.key, ...reads.map((a) => (a.body as { authKey: string }).authKey)]);
      for (const key of seen) expect(key).toMatch(KEY);
      const newest = await readKey(g.number);
      expect(newest).not.toBe(g.key);
      expect(new Set([...seen, newest]).size).toBeLessThanOrEqual(1 + won.length);
      // Afterwards the newest key verifies (with the change), every older one is 404.
      const res = await verify(g.number, newest, `198.18.3.${j}`);
      expect(res.status).toBe(200);
      const v = await json<Verification>(res);
      expect(v.certificate).toMatchObject({ version: 2, amount: 7_000_000 + j, status: "active" });
      await expectSigned(v, jwks);
      const older = [...seen].filter((key) => key !== newest);
      const refused = await Promise.all(older.map((key, k) => verify(g.number, key, `198.18.4.${j * 8 + k}`)));
      for (const r of refused) expectProblem(await answer(r), 404, ["not_found"]);
    }
    await expectMailFor(group);
  });

  it(`${CANCELLED} guarantees, each cancelled 4 times in one burst (with a rotation and a verification): exactly one cancellation`, {
    timeout: 60_000,
  }, async () => {
    const group = issued.slice(VERSIONED + ROTATED);
    const calls = group.flatMap((g, j) => {
      // Three cancels at once, the fourth up to 240 ms later (it may find the guarantee cancelled).
      const cancel = (ms: number) => ({
        g,
        what: "cancel",
        call: later(ms, () => send("POST", versionsPath(g.number), staff, { reason: "cancel" })),
      });
      return [
        cancel(0),
        cancel(0),
        { g, what: "rotate", call: () => send("POST", rotatePath(g.number), staff) },
        cancel(0),
        { g, what: "verify", call: later(100, () => verify(g.number, g.key, `198.18.5.${j}`)) },
        cancel(j * 80),
      ];
    });
    const { answers, ms } = await burst(calls.map((c) => c.call));
    record("cancels", answers, ms);
    expectOnly(answers, [200, 201, 404, 409]);

    for (const [j, g] of group.entries()) {
      const mine = calls.flatMap((c, k) => (c.g === g ? [{ what: c.what, a: answers[k] as Answer }] : []));
      const of = (what: string) => mine.filter((m) => m.what === what).map((m) => m.a);
      // Exactly one cancel applies; the others lost the race or found it cancelled (as a second cancel does).
      const cancels = of("cancel");
      expect(tally(cancels.map((a) => a.status)), g.number).toEqual({ 201: 1, 409: 3 });
      for (const a of cancels.filter((x) => x.status === 409)) expectProblem(a, 409, ["version_conflict", "cancelled"]);
      expect(cancels.find((a) => a.status === 201)?.body).toMatchObject({ status: "cancelled", version: 1, versionLabel: "新規" });
      mailed(g.number, "version", "解約");
      // The rotation either came first or found the guarantee cancelled.
      const [rotation] = of("rotate");
      if (rotation?.status === 200) mailed(g.number, "rotated", "認証キー再発行");
      else expectProblem(rotation as Answer, 409, ["cancelled"]);
      const [check] = of("verify");
      if (check?.status !== 200) expectProblem(check as Answer, 404, ["not_found"]);

      // Afterwards: the contractor's key verifies and shows the cancellation, with 新規 alone in the history.
      const key = await readKey(g.number);
      expect(key === g.key).toBe(rotation?.status !== 200);
      const res = await verify(g.number, key, `198.18.6.${j}`);
      expect(res.status).toBe(200);
      const v = await json<Verification>(res);
      expect(v.certificate).toMatchObject({ status: "cancelled", version: 1, versionLabel: "新規", amount: 5_000_000 });
      expect(v.versions.map((x) => x.label)).toEqual(["新規"]);
      expect((await own(g.number)).certificate.status).toBe("cancelled");
      expect((await staffView(g.number)).records.map((r) => [r.version, r.reason])).toEqual([
        [1, "new"],
        [2, "cancel"],
      ]);
      // Nothing more can change: a further cancel, a change and a rotation are refused, at once.
      const after = await Promise.all([
        send("POST", versionsPath(g.number), staff, { reason: "cancel" }),
        send("POST", versionsPath(g.number), staff, { reason: "change", changes: { amount: 6_000_000 } }),
        send("POST", rotatePath(g.number), staff),
      ]);
      for (const r of after) expectProblem(await answer(r), 409, ["cancelled"]);
    }
    await expectMailFor(group);
  });

  it("afterwards: the Worker answers, the audit chain is whole and records exactly the steps that succeeded", {
    timeout: 60_000,
  }, async ({ annotate }) => {
    const total = figures.reduce((n, f) => n + f.requests, 0);
    await annotate(
      `${total} burst requests: ${figures.map((f) => `${f.phase} ${f.requests} in ${f.ms} ms ${JSON.stringify(f.answers)}`).join("; ")}`,
    );
    const started = performance.now();
    const health = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);

    // The entries are written in the step's own batch and chained right after the answer (waitUntil):
    // within a few seconds every one is sealed and the chain verifies from the start.
    const { client, db } = connectNode(`file:${inject("dbFile")}`);
    try {
      let chain = await verifyAudit(db);
      for (let tries = 0; chain.unsealed > 0 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        chain = await verifyAudit(db);
      }
      expect(chain.firstBroken).toBeNull();
      expect(chain.unsealed).toBe(0);
    } finally {
      client.close();
    }
    // One entry per step that succeeded, none for a step that lost its race.
    const audit = await auditEntries(issued.map((g) => g.number));
    for (const g of issued) {
      const steps = audit.filter((e) => e.subject === g.number);
      const expected = succeeded.get(g.number) ?? { version: 0, rotated: 0, subjects: [] };
      expect(steps.filter((e) => e.action !== "guarantee.key_rotated").length, g.number).toBe(expected.version);
      expect(
        steps
          .filter((e) => e.action === "guarantee.key_rotated")
          .map((e) => e.detail.generation)
          .sort(),
        g.number,
      ).toEqual(Array.from({ length: expected.rotated }, (_, k) => k + 2));
    }
  });
});
