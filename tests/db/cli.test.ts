// The operator's command line (scripts/cli.ts), run as the operator runs it: a child process on
// the repository's Node 24, against temp files and a loopback Hrana server started here.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import guarantorsJson from "../../content/guarantors.json" with { type: "json" };
import { MIGRATIONS } from "../../db/node.ts";
import { type HranaServer, startHranaServer } from "../../db/server/hrana.ts";
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

let dir: string;

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
