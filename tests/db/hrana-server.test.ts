import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Client, createClient, LibsqlError } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HranaServer, startHranaServer } from "../../db/server/hrana.ts";

let dir: string;
let server: HranaServer;
const clients: Client[] = [];

function client(): Client {
  const c = createClient({ url: server.url, intMode: "bigint" });
  clients.push(c);
  return c;
}

/** Sends a raw pipeline request, to check protocol details the client hides. */
async function pipeline(url: string, body: unknown, version = 3): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}/v${version}/pipeline`, { method: "POST", body: JSON.stringify(body) });
  const textBody = await res.text();
  return { status: res.status, json: res.headers.get("content-type") === "application/json" ? JSON.parse(textBody) : textBody };
}

/** Reads a nested property of decoded JSON: `dig(body, "results", 0, "response")`. */
function dig(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    current = typeof current === "object" && current !== null ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return current;
}

const run = (sql: string, args: unknown[] = []) => ({
  type: "execute",
  stmt: { sql, args: args.map((v) => (typeof v === "number" ? { type: "integer", value: String(v) } : { type: "text", value: v })) },
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hrana-"));
  server = await startHranaServer({ file: join(dir, "sub", "test.db") });
  await client().executeMultiple(`
    CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC);
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
    CREATE TABLE hits (worker INTEGER, seq INTEGER);
    CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    INSERT INTO counter VALUES (1, 0);
  `);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("HTTP surface", () => {
  it("answers the version probes and rejects other paths and methods", async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3`)).status).toBe(200);
    // 404 here makes a protocol-v3 client fall back to JSON.
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/v2/pipeline`)).status).toBe(405);
  });

  it("binds only to loopback", async () => {
    await expect(startHranaServer({ file: join(dir, "x.db"), host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });

  it("rejects malformed JSON and malformed requests with 400", async () => {
    const res = await fetch(`${server.url}/v2/pipeline`, { method: "POST", body: "{not json" });
    expect(res.status).toBe(400);
    expect((await pipeline(server.url, { requests: [{ type: "nope" }] })).status).toBe(400);
    expect(
      (
        await pipeline(server.url, {
          requests: [{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: "1.5" }] } }],
        })
      ).status,
    ).toBe(400);
    expect((await pipeline(server.url, { baton: "forged.0", requests: [] })).status).toBe(400);
  });
});

describe("values and arguments", () => {
  it("round-trips every value type with its decltype", async () => {
    const db = client();
    const blob = new Uint8Array([0, 1, 127, 128, 255]);
    const big = 9223372036854775807n;
    const inserted = await db.execute({
      sql: "INSERT INTO vals (i, r, t, b, n) VALUES (?, ?, ?, ?, ?)",
      args: [big, 3.25, "電子保証・日本語テキスト 🎌", blob, null],
    });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);
    const { rows, columns, columnTypes, rowsAffected } = await db.execute("SELECT i, r, t, b, n, -i - 1 AS neg FROM vals WHERE id = 1");
    expect(columns).toEqual(["i", "r", "t", "b", "n", "neg"]);
    expect(columnTypes).toEqual(["INTEGER", "REAL", "TEXT", "BLOB", "NUMERIC", ""]);
    expect(rowsAffected).toBe(0);
    const row = rows[0];
    expect(row?.["i"]).toBe(big);
    expect(row?.["neg"]).toBe(-big - 1n);
    expect(row?.["r"]).toBe(3.25);
    expect(row?.["t"]).toBe("電子保証・日本語テキスト 🎌");
    expect(new Uint8Array(row?.["b"] as ArrayBuffer)).toEqual(blob);
    expect(row?.["n"]).toBeNull();
  });

  it("keeps JS numbers as REAL and bigints as INTEGER, like libsql-server", async () => {
    const { rows } = await client().execute({ sql: "SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c", args: [1, 1n, ""] });
    expect(rows[0]).toMatchObject({ a: "real", b: "integer", c: "text" });
  });

  it("binds positional (?, ?NNN) and named (:, @, $) parameters", async () => {
    const db = client();
    const positional = await db.execute({ sql: "SELECT ?2 AS a, ?1 AS b, ? AS c", args: ["x", "y", "z"] });
    expect(positional.rows[0]).toMatchObject({ a: "y", b: "x", c: "z" });
    const named = await db.execute({ sql: "SELECT :a AS a, @b AS b, $c AS c, :a AS again", args: { a: 1n, "@b": "two", c: null } });
    expect(named.rows[0]).toMatchObject({ a: 1n, b: "two", c: null, again: 1n });
  });

  it("rejects missing, surplus and mixed arguments instead of binding NULL", async () => {
    const db = client();
    await expect(db.execute({ sql: "SELECT :a", args: { b: 1 } })).rejects.toMatchObject({ code: "ARGS_INVALID" });
    await expect(db.execute({ sql: "SELECT ?", args: [1, 2] })).rejects.toMatchObject({ code: "ARGS_INVALID" });
    await expect(db.execute({ sql: "SELECT ?, :a", args: [1, 2] })).rejects.toMatchObject({ code: "ARGS_INVALID" });
  });
});

describe("statements and errors", () => {
  it("reports SQL errors as LibsqlError with SQLite's primary code", async () => {
    const db = client();
    await db.execute({ sql: "INSERT INTO users (email) VALUES (?)", args: ["a@example.jp"] });
    const error = await db.execute({ sql: "INSERT INTO users (email) VALUES (?)", args: ["a@example.jp"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    expect(error).toMatchObject({ code: "SQLITE_CONSTRAINT", message: expect.stringContaining("UNIQUE constraint failed: users.email") });
    await expect(db.execute("SELECT * FROM missing")).rejects.toMatchObject({
      code: "SQLITE_ERROR",
      message: expect.stringContaining("no such table"),
    });
  });

  it("refuses several statements in one execute but runs them with executeMultiple", async () => {
    const db = client();
    await expect(db.execute("SELECT 1; SELECT 2")).rejects.toMatchObject({ code: "SQL_MANY_STATEMENTS" });
    await expect(db.execute(" -- nothing\n;")).rejects.toMatchObject({ code: "SQL_NO_STATEMENT" });
    await db.executeMultiple(`
      CREATE TABLE audit (email TEXT);
      CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN INSERT INTO audit VALUES (new.email); END;
      INSERT INTO users (email) VALUES ('semi;colon@example.jp');
    `);
    expect((await db.execute("SELECT email FROM audit")).rows).toEqual([expect.objectContaining({ email: "semi;colon@example.jp" })]);
  });

  it("makes a batch atomic: a failing statement rolls back the earlier ones", async () => {
    const db = client();
    const ok = await db.batch(
      [
        { sql: "INSERT INTO users (email) VALUES (?)", args: ["b1@example.jp"] },
        { sql: "SELECT count(*) AS n FROM users WHERE email = ?", args: ["b1@example.jp"] },
      ],
      "write",
    );
    expect(ok[1]?.rows[0]?.["n"]).toBe(1n);
    await expect(
      db.batch(
        [
          { sql: "INSERT INTO users (email) VALUES (?)", args: ["b2@example.jp"] },
          { sql: "INSERT INTO users (email) VALUES (?)", args: ["b1@example.jp"] },
        ],
        "write",
      ),
    ).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    const { rows } = await db.execute({ sql: "SELECT count(*) AS n FROM users WHERE email = ?", args: ["b2@example.jp"] });
    expect(rows[0]?.["n"]).toBe(0n);
  });
});

describe("interactive transactions", () => {
  it("keeps a transaction across requests; commit becomes visible to other clients", async () => {
    const [a, b] = [client(), client()];
    const tx = await a.transaction("write");
    await tx.execute({ sql: "INSERT INTO users (email) VALUES (?)", args: ["tx1@example.jp"] });
    expect((await tx.execute("SELECT count(*) AS n FROM users WHERE email = 'tx1@example.jp'")).rows[0]?.["n"]).toBe(1n);
    expect((await b.execute("SELECT count(*) AS n FROM users WHERE email = 'tx1@example.jp'")).rows[0]?.["n"]).toBe(0n);
    // A writer on another stream waits for the lock without blocking the server.
    const waiting = b.execute({ sql: "INSERT INTO users (email) VALUES (?)", args: ["tx1-after@example.jp"] });
    await sleep(100);
    await tx.commit();
    await waiting;
    expect((await b.execute("SELECT count(*) AS n FROM users WHERE email LIKE 'tx1%'")).rows[0]?.["n"]).toBe(2n);
  });

  it("rolls back: nothing becomes visible", async () => {
    const [a, b] = [client(), client()];
    const tx = await a.transaction("write");
    await tx.execute({ sql: "INSERT INTO users (email) VALUES (?)", args: ["rb@example.jp"] });
    await tx.rollback();
    expect((await b.execute("SELECT count(*) AS n FROM users WHERE email = 'rb@example.jp'")).rows[0]?.["n"]).toBe(0n);
    expect((await a.execute("SELECT count(*) AS n FROM users WHERE email = 'rb@example.jp'")).rows[0]?.["n"]).toBe(0n);
  });
});

describe("concurrency", () => {
  it("5 clients × 50 parallel inserts land exactly once each", async () => {
    const workers = Array.from({ length: 5 }, () => client());
    await Promise.all(
      workers.flatMap((db, w) =>
        Array.from({ length: 50 }, (_, seq) => db.execute({ sql: "INSERT INTO hits VALUES (?, ?)", args: [BigInt(w), BigInt(seq)] })),
      ),
    );
    const { rows } = await client().execute("SELECT count(*) AS n, count(DISTINCT worker || ':' || seq) AS d FROM hits");
    expect(rows[0]).toMatchObject({ n: 250n, d: 250n });
  });

  it("serialises read-modify-write transactions from different streams", async () => {
    const workers = Array.from({ length: 5 }, () => client());
    await Promise.all(
      workers.map(async (db) => {
        for (let i = 0; i < 10; i++) {
          const tx = await db.transaction("write");
          const n = (await tx.execute("SELECT n FROM counter WHERE id = 1")).rows[0]?.["n"];
          await tx.execute({ sql: "UPDATE counter SET n = ? WHERE id = 1", args: [BigInt(n as bigint) + 1n] });
          await tx.commit();
        }
      }),
    );
    expect((await client().execute("SELECT n FROM counter")).rows[0]?.["n"]).toBe(50n);
  });
});

describe("raw protocol", () => {
  it("rotates batons, stores SQL texts and evaluates batch conditions", async () => {
    const first = await pipeline(server.url, {
      requests: [{ type: "store_sql", sql_id: 1, sql: "SELECT ? AS v" }, { type: "get_autocommit" }],
    });
    expect(dig(first.json, "results", 1, "response", "is_autocommit")).toBe(true);
    const baton = dig(first.json, "baton");
    const stmt = (value: string) => ({ sql_id: 1, args: [{ type: "text", value }] });
    const second = await pipeline(server.url, {
      baton,
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              { stmt: { sql: "BEGIN" } },
              { stmt: { sql: "SELECT * FROM no_such_table" } },
              { stmt: stmt("skipped"), condition: { type: "ok", step: 1 } },
              {
                stmt: stmt("ran"),
                condition: {
                  type: "and",
                  conds: [
                    { type: "error", step: 1 },
                    { type: "not", cond: { type: "is_autocommit" } },
                  ],
                },
              },
              {
                stmt: { sql: "ROLLBACK" },
                condition: {
                  type: "or",
                  conds: [
                    { type: "ok", step: 0 },
                    { type: "ok", step: 3 },
                  ],
                },
              },
            ],
          },
        },
      ],
    });
    const result = dig(second.json, "results", 0, "response", "result");
    expect(dig(result, "step_errors", 1)).toMatchObject({ code: "SQLITE_ERROR" });
    expect([dig(result, "step_results", 2), dig(result, "step_errors", 2)]).toEqual([null, null]);
    expect(dig(result, "step_results", 3, "rows")).toEqual([[{ type: "text", value: "ran" }]]);
    expect(dig(result, "step_results", 4)).toMatchObject({ rows: [] });
    expect(typeof dig(second.json, "baton")).toBe("string");
    expect(dig(second.json, "baton")).not.toBe(baton);
    expect((await pipeline(server.url, { baton, requests: [] })).status).toBe(400); // reused baton
    const closed = await pipeline(server.url, { baton: dig(second.json, "baton"), requests: [{ type: "close" }] });
    expect(dig(closed.json, "baton")).toBeNull();
  });

  it("serialises integers as strings and describes statements", async () => {
    const { json } = await pipeline(server.url, {
      requests: [
        run("SELECT 9007199254740993 AS big, 1.5 AS f"),
        { type: "describe", sql: "INSERT INTO hits VALUES (:w, ?5)" },
        { type: "close" },
      ],
    });
    expect(dig(json, "results", 0, "response", "result", "rows", 0)).toEqual([
      { type: "integer", value: "9007199254740993" },
      { type: "float", value: 1.5 },
    ]);
    expect(dig(json, "results", 1, "response", "result")).toMatchObject({
      is_readonly: false,
      is_explain: false,
      params: [{ name: ":w" }, { name: null }, { name: null }, { name: null }, { name: "?5" }],
    });
  });

  it("does not accept protocol-3 features on /v2", async () => {
    expect((await pipeline(server.url, { requests: [{ type: "get_autocommit" }] }, 2)).status).toBe(400);
  });
});

describe("limits and expiry", () => {
  it("expires idle streams, rolls them back, and limits body size", async () => {
    const small = await startHranaServer({ file: join(dir, "small.db"), streamIdleTimeoutMs: 200, busyTimeoutMs: 300, maxBodyBytes: 4096 });
    try {
      const big = await fetch(`${small.url}/v2/pipeline`, {
        method: "POST",
        body: JSON.stringify({ requests: [run("SELECT ?", ["x".repeat(5000)])] }),
      });
      expect(big.status).toBe(413);
      const open = await pipeline(small.url, {
        requests: [run("CREATE TABLE t (x)"), run("BEGIN IMMEDIATE"), run("INSERT INTO t VALUES (1)")],
      });
      // While the stream holds the write lock, another writer gives up after busyTimeoutMs.
      const other = createClient({ url: small.url });
      clients.push(other);
      await expect(other.execute("INSERT INTO t VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      await sleep(800);
      const late = await pipeline(small.url, { baton: dig(open.json, "baton"), requests: [run("COMMIT")] });
      expect(late).toMatchObject({ status: 500, json: { code: "STREAM_EXPIRED" } });
      await other.execute("INSERT INTO t VALUES (3)");
      expect((await other.execute("SELECT x FROM t")).rows.map((r) => r["x"])).toEqual([3]);
    } finally {
      await small.close();
    }
  });
});

describe("giving up on a lock", () => {
  it("leaves the stream usable, and a lost transaction accepts only ROLLBACK", async () => {
    const locky = await startHranaServer({ file: join(dir, "locky.db"), busyTimeoutMs: 200 });
    try {
      const holder = await pipeline(locky.url, { requests: [run("CREATE TABLE t (x)"), run("BEGIN IMMEDIATE")] });
      // A long-lived autocommit stream times out once, then must still commit its writes.
      const waiter = await pipeline(locky.url, { requests: [run("INSERT INTO t VALUES (1)")] });
      expect(dig(waiter.json, "results", 0, "error", "code")).toBe("SQLITE_BUSY");
      // An interactive transaction that read, then timed out on its first write.
      const db = createClient({ url: locky.url });
      clients.push(db);
      const tx = await db.transaction("deferred");
      await tx.execute("SELECT count(*) FROM t");
      await expect(tx.execute("INSERT INTO t VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      await expect(tx.execute("INSERT INTO t VALUES (3)")).rejects.toMatchObject({ code: "SQLITE_ABORT" });
      await tx.rollback();
      await pipeline(locky.url, { baton: dig(holder.json, "baton"), requests: [run("COMMIT"), { type: "close" }] });
      await pipeline(locky.url, { baton: dig(waiter.json, "baton"), requests: [run("INSERT INTO t VALUES (4)")] });
      expect((await db.execute("SELECT x FROM t")).rows.map((r) => r["x"])).toEqual([4]);
    } finally {
      await locky.close();
    }
  });
});

describe("drizzle-orm", () => {
  it("migrates and queries through the server", async () => {
    const folder = join(dir, "migrations");
    await mkdir(join(folder, "meta"), { recursive: true });
    await writeFile(
      join(folder, "meta", "_journal.json"),
      JSON.stringify({
        version: "7",
        dialect: "sqlite",
        entries: [{ idx: 0, version: "6", when: 1700000000000, tag: "0000_init", breakpoints: true }],
      }),
    );
    await writeFile(
      join(folder, "0000_init.sql"),
      "CREATE TABLE `guarantees` (`id` integer PRIMARY KEY, `holder` text NOT NULL);\n--> statement-breakpoint\nCREATE INDEX `holder_idx` ON `guarantees` (`holder`);",
    );
    const guarantees = sqliteTable("guarantees", { id: integer("id").primaryKey(), holder: text("holder").notNull() });
    const db = drizzle(createClient({ url: server.url }));
    await migrate(db, { migrationsFolder: folder });
    await migrate(db, { migrationsFolder: folder }); // idempotent
    await db.insert(guarantees).values({ holder: "株式会社テスト" });
    expect(await db.select().from(guarantees)).toEqual([{ id: 1, holder: "株式会社テスト" }]);
    db.$client.close();
  });
});
