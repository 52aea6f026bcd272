// The operator's command line (scripts/cli.ts), run as the operator runs it: a child process on
// the repository's Node 24, against temp files and a loopback Hrana server started here.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import guarantorsJson from "../../content/guarantors.json" with { type: "json" };
import { connectNode, MIGRATIONS, prepareDatabase } from "../../db/node.ts";
import { type HranaServer, startHranaServer } from "../../db/server/hrana.ts";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../edge/domain/accounts.ts";
import { verifyPassword } from "../../edge/security/password.ts";
import { importDataKey, seal } from "../../edge/security/secret-box.ts";
import { appendAudit, sealAudit, verifyAudit } from "../../edge/services/audit.ts";
import { contactContext } from "../../edge/services/reports.ts";
import { DEMO_CONTRACTOR_EMAIL, DEMO_IDS, DEMO_STAFF_EMAIL, ensureDemoAccounts } from "../../scripts/demo-accounts.ts";
import { freePort } from "../../scripts/serve.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const node = join(root, "node_modules/.bin/node");
const MIGRATION_COUNT = readMigrationFiles({ migrationsFolder: MIGRATIONS }).length;
const GUARANTORS = guarantorsJson.length;
const BRANCHES = guarantorsJson.reduce((n, g) => n + g.branches.length, 0);
const SECRET = "tok-very-secret-4f9a1c";
/** Each run starts a Node process that loads drizzle and libSQL: seconds on a busy machine. */
const RUN_TIMEOUT = 60_000;
const slow = { timeout: 3 * RUN_TIMEOUT };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run cli -- …args`, without the DATABASE_* variables of whoever runs the tests. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { DATABASE_URL: _url, DATABASE_AUTH_TOKEN: _token, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      node,
      ["scripts/cli.ts", ...args],
      { cwd: root, env: { ...inherited, ...env }, timeout: RUN_TIMEOUT, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+[(:]\d+/m);

/** Tables, recorded migrations and reference rows of a database, read with a client of our own. */
async function inspect(url: string): Promise<{ tables: string[]; migrations: number; guarantors: number; branches: number }> {
  const client = createClient({ url });
  try {
    const tables = (await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).rows.map((r) =>
      String(r["name"]),
    );
    const n = async (table: string) =>
      tables.includes(table) ? Number((await client.execute(`SELECT count(*) AS n FROM "${table}"`)).rows[0]?.["n"]) : 0;
    return { tables, migrations: await n("__drizzle_migrations"), guarantors: await n("guarantors"), branches: await n("branches") };
  } finally {
    client.close();
  }
}

type Row = Record<string, unknown>;

/** Rows of one query, read with a client of our own. */
async function query(url: string, statement: string, args: (string | number | null)[] = []): Promise<Row[]> {
  const client = createClient({ url });
  try {
    return (await client.execute({ sql: statement, args })).rows.map((r) => ({ ...r }));
  } finally {
    client.close();
  }
}

/** Every row of every table, as text: what a copy of the database would give away. */
async function dumpRows(url: string): Promise<string> {
  const tables = await query(url, "SELECT name FROM sqlite_master WHERE type = 'table'");
  const dumps = await Promise.all(tables.map(async (t) => JSON.stringify(await query(url, `SELECT * FROM "${String(t["name"])}"`))));
  return dumps.join("\n");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ARGON2ID = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

let dir: string;

/** A migrated and seeded database file of its own, made in-process (quicker than two CLI runs). */
async function preparedFile(name: string, options: { seed?: boolean } = {}): Promise<string> {
  const url = `file:${join(dir, name)}`;
  await prepareDatabase(url, options);
  return url;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "denshi-cli-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("db migrate and db seed on a file", slow, () => {
  it("refuses a --url whose folder does not exist (a typo must not make a new database)", async () => {
    const missing = await cli(["db", "migrate", "--url", `file:${join(dir, "no-such-folder", "dev.db")}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("フォルダーがありません");
    expect(existsSync(join(dir, "no-such-folder"))).toBe(false);
  });

  it("creates the tables in a fresh file, and does nothing the second time", async () => {
    const url = `file:${join(dir, "fresh.db")}`;
    const first = await cli(["db", "migrate", "--url", url]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`対象: ${url}`);
    expect(first.stdout).toContain(`マイグレーションを ${MIGRATION_COUNT} 件適用しました`);
    const after = await inspect(url);
    expect(after.tables).toEqual(expect.arrayContaining(["__drizzle_migrations", "guarantors", "branches"]));
    expect(after.migrations).toBe(MIGRATION_COUNT);
    expect(after.guarantors).toBe(0); // migrate alone loads no rows

    const second = await cli(["db", "migrate", "--url", url]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("マイグレーションは最新です");
    expect((await inspect(url)).migrations).toBe(MIGRATION_COUNT);
  });

  it("loads the reference rows, idempotently, and takes the target from DATABASE_URL", async () => {
    const url = `file:${join(dir, "env.db")}`;
    expect((await cli(["db", "migrate"], { DATABASE_URL: url })).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const seeded = await cli(["db", "seed"], { DATABASE_URL: url });
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).toContain(`保証会社 ${GUARANTORS} 社、支店 ${BRANCHES} 件`);
    }
    expect(await inspect(url)).toMatchObject({ guarantors: GUARANTORS, branches: BRANCHES });
  });

  it("asks for db migrate when seeding a database without tables", async () => {
    const run = await cli(["db", "seed", "--url", `file:${join(dir, "empty.db")}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("先に npm run cli -- db migrate を実行してください");
    noStackTrace(run.stderr);
  });
});

describe("over HTTP, against the loopback server", slow, () => {
  let server: HranaServer;
  const file = () => join(dir, "served.db");

  beforeAll(async () => {
    server = await startHranaServer({ file: file() });
  });

  afterAll(async () => {
    await server?.close();
  });

  it("applies the migrations and the reference rows through the server, the token never shown", async () => {
    const env = { DATABASE_AUTH_TOKEN: SECRET };
    const migrated = await cli(["db", "migrate", "--url", server.url], env);
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain(`マイグレーションを ${MIGRATION_COUNT} 件適用しました`);
    const seeded = await cli(["db", "seed", "--url", server.url], env);
    expect(seeded.code).toBe(0);
    for (const output of [migrated.stdout, seeded.stdout]) expect(output).not.toContain(SECRET);
    expect(await inspect(server.url)).toMatchObject({ migrations: MIGRATION_COUNT, guarantors: GUARANTORS, branches: BRANCHES });
    expect((await cli(["db", "migrate", "--url", server.url])).stdout).toContain("マイグレーションは最新です");
  });

  it("works on the served file directly while the server has it open (npm start running)", async () => {
    const client = createClient({ url: server.url });
    try {
      await client.execute("DELETE FROM branches");
      const seeded = await cli(["db", "seed", "--url", `file:${file()}`]);
      expect(seeded.stderr).toBe("");
      expect(seeded.code).toBe(0);
      const rows = await client.execute("SELECT count(*) AS n FROM branches");
      expect(Number(rows.rows[0]?.["n"])).toBe(BRANCHES);
    } finally {
      client.close();
    }
  });
});

// Independent, and mostly waiting on process start-up: run side by side.
describe("mistakes and failures", { ...slow, concurrent: true }, () => {
  it("answers an unknown command with Japanese usage text and exit code 2", async () => {
    const run = await cli(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("不明なコマンドです: frobnicate");
    expect(run.stderr).toContain("使い方: npm run cli --");
    expect(run.stderr).toContain("db migrate");
    expect(run.stdout).toBe("");
  });

  it("answers no command, a bad option, a missing value and a bad URL scheme with exit code 2", async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("コマンドを指定してください");
    const unknown = await cli(["db", "migrate", "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("不明なオプションです: --bogus");
    expect(unknown.stderr).toContain("使い方: npm run cli -- db migrate");
    const missing = await cli(["db", "migrate", "--url"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("オプションの値が正しくありません: --url");
    const scheme = await cli(["db", "migrate", "--url", "ftp://example.com/db"]);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain("データベースの URL が正しくありません");
    for (const run of [none, unknown, missing, scheme]) noStackTrace(run.stderr);
  });

  it("prints help on stdout with exit code 0", async () => {
    const help = await cli(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/db migrate .*マイグレーション/);
    const one = await cli(["db", "seed", "--help"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("--auth-token");
  });

  it("reports an unreachable database in Japanese with exit code 1, no stack trace, no token", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const urls = ["http://127.0.0.1:9", closed];
    const runs = await Promise.all(urls.map((url) => cli(["db", "migrate", "--url", url], { DATABASE_AUTH_TOKEN: SECRET })));
    for (const [i, run] of runs.entries()) {
      const url = urls[i];
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`エラー: データベースに接続できません（${url}）`);
      noStackTrace(run.stderr);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
    }
  });

  it("masks a token given with --auth-token or inside the URL", async () => {
    const [flag, inUrl] = await Promise.all([
      cli(["db", "migrate", "--url", "http://127.0.0.1:9", "--auth-token", SECRET]),
      cli(["db", "migrate", "--url", `http://127.0.0.1:9/?authToken=${SECRET}`]),
    ]);
    for (const run of [flag, inUrl]) {
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
    }
    expect(inUrl.stdout).toContain("authToken=***");
  });
});

describe("staff create", slow, () => {
  let url: string;
  const password = "Sakurajima-2026-desk";

  beforeAll(async () => {
    url = await preparedFile("staff.db");
  });

  it("creates a staff account: id alone on the last line, argon2id hash, audit entry, chain intact", async () => {
    const args = ["--email", " Tanaka@Example.JP ", "--password", password, "--guarantor", "wjcs", "--branch", "wjcs-kagoshima"];
    const run = await cli(["staff", "create", "--url", url, ...args]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.at(-1)).toBe(""); // one final newline, then nothing
    const id = lines.at(-2) ?? "";
    expect(id).toMatch(UUID);
    expect(lines.at(-3)).toBe(
      "スタッフアカウントを作成しました: tanaka@example.jp（西日本建設業保証株式会社 鹿児島支店、二要素認証は登録するまで不要）。アカウント ID:",
    );
    expect(run.stdout).not.toContain(password);

    const [user] = await query(url, "SELECT * FROM users WHERE id = ?", [id]);
    expect(user).toMatchObject({
      email: "tanaka@example.jp",
      role: "staff",
      guarantor_id: "wjcs",
      branch_id: "wjcs-kagoshima",
      company_id: null,
      totp_secret: null,
      totp_required: 0,
    });
    const hash = String(user?.["password_hash"]);
    expect(hash).toMatch(ARGON2ID);
    expect(await verifyPassword(password, hash)).toBe(true);

    // The password is nowhere: not in any row, not in the file's bytes (nor its WAL).
    const dump = await dumpRows(url);
    expect(dump).toContain(id);
    expect(dump).not.toContain(password);
    const file = join(dir, "staff.db");
    for (const path of [file, `${file}-wal`]) {
      if (existsSync(path)) expect((await readFile(path)).includes(password)).toBe(false);
    }

    const entries = await query(url, "SELECT * FROM audit_log WHERE action = 'staff.created' AND subject = ?", [id]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: "system", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(String(entries[0]?.["detail"]))).toEqual({
      via: "cli",
      email: "tanaka@example.jp",
      guarantor: "wjcs",
      branch: "wjcs-kagoshima",
      totpRequired: false,
    });
    const verified = await cli(["audit", "verify", "--url", url]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("検証した記録: 1 件（封印済み 1 件、未封印 0 件）");
    expect(verified.stdout).toContain("監査ログの連鎖は正しく検証されました");
  });

  it("stores --require-totp, takes the password from STAFF_PASSWORD and the target from DATABASE_URL", async () => {
    const secret = "from-the-environment-42";
    const run = await cli(["staff", "create", "--email", "sato@example.jp", "--guarantor", "EJCS", "--require-totp"], {
      STAFF_PASSWORD: secret,
      DATABASE_URL: url,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("sato@example.jp（東日本建設業保証株式会社、二要素認証は初回ログイン時に登録が必要）");
    const id = run.stdout.trimEnd().split("\n").at(-1) ?? "";
    expect(id).toMatch(UUID);
    const [user] = await query(url, "SELECT * FROM users WHERE id = ?", [id]);
    expect(user).toMatchObject({ guarantor_id: "ejcs", branch_id: null, totp_required: 1 });
    expect(await verifyPassword(secret, String(user?.["password_hash"]))).toBe(true);
    expect(run.stdout).not.toContain(secret);
  });
});

describe("staff create refuses", { ...slow, concurrent: true }, () => {
  let url: string;
  let bare: string;
  const password = "a-good-long-password";
  const create = (args: string[], env: Record<string, string> = {}) => cli(["staff", "create", "--url", url, ...args], env);

  beforeAll(async () => {
    [url, bare] = await Promise.all([preparedFile("refusals.db"), preparedFile("unseeded.db", { seed: false })]);
    await query(
      url,
      "INSERT INTO users (id, email, password_hash, role, created_at) VALUES ('u1', 'taken@example.jp', 'x', 'contractor', '2026-01-01')",
    );
  });

  afterAll(async () => {
    // Nothing was written by any refusal.
    expect(await query(url, "SELECT count(*) AS n FROM users")).toEqual([{ n: 1 }]);
    expect(await query(url, "SELECT count(*) AS n FROM audit_log")).toEqual([{ n: 0 }]);
  });

  const refused = (run: Run, message: string) => {
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`エラー: ${message}`);
    expect(run.stdout + run.stderr).not.toContain(password);
    expect(run.stdout).not.toMatch(UUID);
    noStackTrace(run.stderr);
  };

  it("an unknown guarantor, naming the known ones", async () => {
    const run = await create(["--email", "a@example.jp", "--password", password, "--guarantor", "zzcs"]);
    refused(run, "保証会社が見つかりません: zzcs（指定できるのは ejcs、hkcs、wjcs）");
  });

  it("a branch of another guarantor, and an unknown branch", async () => {
    const [foreign, unknown] = await Promise.all([
      create(["--email", "a@example.jp", "--password", password, "--guarantor", "ejcs", "--branch", "wjcs-kagoshima"]),
      create(["--email", "a@example.jp", "--password", password, "--guarantor", "hkcs", "--branch", "hkcs-sapporo"]),
    ]);
    refused(foreign, "支店 wjcs-kagoshima は wjcs の支店で、ejcs（東日本建設業保証株式会社）の支店ではありません（ejcs の支店: ");
    refused(unknown, "支店が見つかりません: hkcs-sapporo（hkcs には支店が登録されていません）");
  });

  it("an e-mail address already in use, whatever its case", async () => {
    const run = await create(["--email", "Taken@EXAMPLE.jp", "--password", password, "--guarantor", "wjcs"]);
    refused(run, "このメールアドレスは既に使われています: taken@example.jp");
  });

  it("a short password and a malformed e-mail, with the registration form's messages", async () => {
    const [short, email, both] = await Promise.all([
      create(["--email", "a@example.jp", "--password", "short-pw", "--guarantor", "wjcs"]),
      create(["--email", "not-an-email", "--password", password, "--guarantor", "wjcs"]),
      create(["--email", "x@", "--guarantor", "wjcs"], { STAFF_PASSWORD: "tiny" }),
    ]);
    refused(short, `入力内容に誤りがあります: パスワードは${PASSWORD_MIN}文字以上にしてください`);
    refused(email, "入力内容に誤りがあります: メールアドレスの形式が正しくありません");
    refused(both, `入力内容に誤りがあります: メールアドレスの形式が正しくありません。パスワードは${PASSWORD_MIN}文字以上にしてください`);
  });

  it("a database without the reference rows, asking for db seed", async () => {
    const run = await cli(["staff", "create", "--url", bare, "--email", "a@example.jp", "--password", password, "--guarantor", "wjcs"]);
    refused(run, "保証会社が登録されていません。先に npm run cli -- db seed を実行してください");
  });

  it("missing options, with usage text and exit code 2", async () => {
    const run = await cli(["staff", "create", "--url", url, "--email", "a@example.jp"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("必須のオプションがありません: --password（または環境変数 STAFF_PASSWORD）、--guarantor");
    expect(run.stderr).toContain(
      "使い方: npm run cli -- staff create --email <E> [--password <P>] --guarantor <G> [--branch <B>] [--require-totp]",
    );
  });

  it("nothing, when asked for help: the options, the password rule and why STAFF_PASSWORD", async () => {
    const help = await cli(["staff", "create", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`${PASSWORD_MIN}〜${PASSWORD_MAX} 文字`);
    expect(help.stdout).toMatch(/STAFF_PASSWORD.*シェルの履歴に残りません/);
    expect(help.stdout).toContain("--require-totp");
    const all = await cli(["help"]);
    expect(all.stdout).toMatch(/staff create .*スタッフ/);
    expect(all.stdout).toMatch(/audit verify .*監査ログ/);
  });
});

describe("audit verify", slow, () => {
  it("passes an intact chain (counting unsealed entries apart), then names the first tampered entry", async () => {
    const url = await preparedFile("audit.db");
    const { client, db } = connectNode(url);
    try {
      const at = new Date("2026-04-01T09:00:00.000Z");
      await appendAudit(db, { at, actor: "system", action: "contractor.registered", subject: "c1", detail: { company: "甲建設" } });
      await appendAudit(db, { at, actor: "system", action: "company.approved", subject: "c1" });
      await appendAudit(db, { at, actor: "u1", action: "login.succeeded", subject: "u1" });
      expect(await sealAudit(db)).toBe(3);
      await appendAudit(db, { at, actor: "anonymous", action: "login.failed" }); // not sealed yet
    } finally {
      client.close();
    }

    const ok = await cli(["audit", "verify", "--url", url]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("検証した記録: 4 件（封印済み 3 件、未封印 1 件）");
    expect(ok.stdout).toContain("未封印の記録が 1 件あります");
    expect(ok.stdout.trimEnd().split("\n").at(-1)).toBe("監査ログの連鎖は正しく検証されました");

    // The database refuses the edit itself (append-only triggers)…
    await expect(query(url, `UPDATE audit_log SET detail = '{"note":"書き換え"}' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(query(url, "DELETE FROM audit_log WHERE seq = 4")).rejects.toThrow(/append-only/);
    // …so a tamperer with the database in hand drops the trigger first; the chain still tells.
    await query(url, "DROP TRIGGER audit_log_no_update");
    await query(url, `UPDATE audit_log SET detail = '{"note":"書き換え"}' WHERE seq = 2`);
    const broken = await cli(["audit", "verify", "--url", url]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain("正しく連鎖していた記録: 1 件");
    expect(broken.stderr).toContain(
      "エラー: 監査ログの連鎖が壊れています。最初に一致しない記録: seq 2（2026-04-01T09:00:00.000Z、company.approved）",
    );
    expect(broken.stdout).not.toContain("正しく検証されました");
    noStackTrace(broken.stderr);
  });
});

describe("demo accounts (npm start)", slow, () => {
  it("creates an approved contractor and a staff member, idempotently, with a new password each time", async () => {
    const url = await preparedFile("demo.db");
    const first = await ensureDemoAccounts(url);
    expect(first.contractor).toMatchObject({ id: DEMO_IDS.contractor, email: DEMO_CONTRACTOR_EMAIL, companyId: DEMO_IDS.company });
    expect(first.staff).toMatchObject({ id: DEMO_IDS.staff, email: DEMO_STAFF_EMAIL, guarantorId: "wjcs", branchId: "wjcs-kagoshima" });
    for (const login of [first.contractor, first.staff]) expect(login.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);

    const users = async () => query(url, "SELECT * FROM users ORDER BY id");
    const firstUsers = await users();
    expect(firstUsers).toMatchObject([
      { id: DEMO_IDS.contractor, role: "contractor", company_id: DEMO_IDS.company, guarantor_id: null },
      { id: DEMO_IDS.staff, role: "staff", guarantor_id: "wjcs", branch_id: "wjcs-kagoshima", totp_required: 0, totp_secret: null },
    ]);
    expect(await query(url, "SELECT id, status FROM companies")).toEqual([{ id: DEMO_IDS.company, status: "approved" }]);
    const [contractorHash, staffHash] = firstUsers.map((u) => String(u["password_hash"]));
    expect(contractorHash).toMatch(ARGON2ID);
    expect(await verifyPassword(first.contractor.password, contractorHash ?? "")).toBe(true);
    expect(await verifyPassword(first.staff.password, staffHash ?? "")).toBe(true);

    // A session and a TOTP enrolment from the earlier run: both end with the new password.
    await query(
      url,
      "INSERT INTO sessions (id, user_id, created_at, expires_at, level) VALUES ('s1', ?, '2026-01-01', '2999-01-01', 'full')",
      [DEMO_IDS.staff],
    );
    await query(url, "UPDATE users SET totp_secret = 'enc', totp_last_step = 1 WHERE id = ?", [DEMO_IDS.staff]);
    const audited = await query(url, "SELECT action FROM audit_log ORDER BY seq");
    expect(audited.map((r) => r["action"])).toEqual(["contractor.registered", "company.approved", "staff.created"]);

    const second = await ensureDemoAccounts(url);
    expect([second.contractor.id, second.staff.id]).toEqual([first.contractor.id, first.staff.id]);
    expect(second.contractor.password).not.toBe(first.contractor.password);
    expect(second.staff.password).not.toBe(first.staff.password);
    const secondUsers = await users();
    expect(secondUsers).toHaveLength(2);
    expect(secondUsers[1]).toMatchObject({ totp_secret: null, totp_last_step: null, totp_required: 0 });
    const [newContractorHash, newStaffHash] = secondUsers.map((u) => String(u["password_hash"]));
    expect(await verifyPassword(first.contractor.password, newContractorHash ?? "")).toBe(false);
    expect(await verifyPassword(first.staff.password, newStaffHash ?? "")).toBe(false);
    expect(await verifyPassword(second.staff.password, newStaffHash ?? "")).toBe(true);
    expect(await query(url, "SELECT count(*) AS n FROM sessions")).toEqual([{ n: 0 }]);
    expect(await query(url, "SELECT count(*) AS n FROM companies")).toEqual([{ n: 1 }]);
    expect(await query(url, "SELECT count(*) AS n FROM audit_log")).toEqual([{ n: 3 }]); // created once, not per start

    const { client, db } = connectNode(url);
    try {
      expect(await verifyAudit(db)).toMatchObject({ entries: 3, unsealed: 0, firstBroken: null });
    } finally {
      client.close();
    }
    expect(await dumpRows(url)).not.toContain(second.staff.password);
  });

  it("refuses a database that is not on this machine", async () => {
    await expect(ensureDemoAccounts("libsql://production-example.turso.io")).rejects.toThrow(/this machine only/);
    await expect(ensureDemoAccounts("https://db.example.com")).rejects.toThrow(/this machine only/);
  });
});

describe("reports list and reports done", slow, () => {
  const DATA_KEY = "dGVzdC1vbmx5LWRhdGEtZW5jcnlwdGlvbi1rZXktMzI=";
  const insert = (url: string, row: (string | null)[]) =>
    query(url, "INSERT INTO reports (id, agency_id, message, source_url, contact_box, received_at) VALUES (?, ?, ?, ?, ?, ?)", row);

  it("lists open reports newest first with the agency's name and the contact opened, then marks one done", async () => {
    const url = await preparedFile("reports.db", { seed: false });
    const file = url.slice("file:".length);
    await writeFile(`${file}.data-key`, `${DATA_KEY}\n`, { mode: 0o600 });
    const box = await seal(await importDataKey(DATA_KEY), new TextEncoder().encode("reporter@example.jp"), contactContext("AAAAAAAAA1"));
    await insert(url, [
      "AAAAAAAAA1",
      "462161",
      "開始日が令和7年4月1日に\n変わりました",
      "https://www.city.hioki.kagoshima.jp/a.html",
      box,
      "2026-12-01T01:00:00.000Z",
    ]);
    // Text put in the table by other means: a terminal escape never reaches the terminal.
    await insert(url, ["AAAAAAAAA2", "999999", "色\u001b[31m赤\u0007", null, null, "2026-12-02T01:00:00.000Z"]);
    await insert(url, ["AAAAAAAAA3", "462161", "古い報告", null, null, "2026-11-01T01:00:00.000Z"]);
    await query(url, "UPDATE reports SET handled_at = '2026-11-02T00:00:00.000Z' WHERE id = 'AAAAAAAAA3'");

    const listed = await cli(["reports", "list", "--url", url]);
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("未対応の報告 2 件");
    expect(listed.stdout.indexOf("AAAAAAAAA2")).toBeLessThan(listed.stdout.indexOf("AAAAAAAAA1"));
    expect(listed.stdout).not.toContain("AAAAAAAAA3");
    expect(listed.stdout).toContain("受付: 2026-12-01 10:00（日本時間）");
    expect(listed.stdout).toContain("462161 日置市（鹿児島県）");
    expect(listed.stdout).toContain("999999 （現在のデータにない ID）");
    expect(listed.stdout).toContain("開始日が令和7年4月1日に\n          変わりました");
    expect(listed.stdout).toContain("https://www.city.hioki.kagoshima.jp/a.html");
    expect(listed.stdout).toContain("連絡先:   reporter@example.jp");
    expect(listed.stdout).toContain("色[31m赤");
    expect(listed.stdout).not.toContain("\u001b");
    expect(listed.stdout).not.toContain("\u0007");

    const all = await cli(["reports", "list", "--all", "--url", url]);
    expect(all.stdout).toContain("報告 3 件（未対応 2 件、対応済み 1 件）");
    expect(all.stdout).toContain("AAAAAAAAA3");
    expect(all.stdout).toContain("対応済み（2026-11-02 09:00（日本時間））");

    // Without the key the contact stays sealed.
    await rm(`${file}.data-key`);
    expect((await cli(["reports", "list", "--url", url])).stdout).toContain("暗号化されています");
    expect((await cli(["reports", "list", "--url", url], { DATA_ENCRYPTION_KEY: DATA_KEY })).stdout).toContain("reporter@example.jp");

    const done = await cli(["reports", "done", "aaaaaaaaa1", "--url", url]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("受付番号 AAAAAAAAA1 を対応済みにしました");
    expect((await query(url, "SELECT handled_at FROM reports WHERE id = 'AAAAAAAAA1'"))[0]?.["handled_at"]).toMatch(/^\d{4}-/);
    expect((await cli(["reports", "done", "AAAAAAAAA1", "--url", url])).stdout).toContain("既に対応済みです");
    expect((await cli(["reports", "list", "--url", url])).stdout).toContain("未対応の報告 1 件");

    const missing = await cli(["reports", "done", "ZZZZZZZZZZ", "--url", url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("受付番号 ZZZZZZZZZZ の報告はありません");
    noStackTrace(missing.stderr);
    const noId = await cli(["reports", "done", "--url", url]);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain("受付番号を指定してください");
  });
});
