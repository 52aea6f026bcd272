import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Client, createClient, LibsqlError } from "@libsql/client";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type HranaOptions, type HranaServer, startHranaServer } from "../../db/server/hrana.ts";

/** Parent of every test's database; each test gets its own file (and server) inside it. */
let dir: string;
let databases = 0;
/** Run after each test, last registered first: clients close before their server. */
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hrana-"));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SCHEMA = `
  CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC);
  CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
  CREATE TABLE hits (worker INTEGER, seq INTEGER);
  CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  INSERT INTO counter VALUES (1, 0);
`;

/**
 * Starts a server on a new database file (in a directory that does not exist yet, which the
 * server creates) and, unless `schema` is false, creates the tables above. Closed after the test.
 */
async function fresh(options: Partial<HranaOptions> & { schema?: boolean } = {}): Promise<HranaServer> {
  const { schema = true, ...serverOptions } = options;
  const server = await startHranaServer({ file: join(dir, `db${++databases}`, "test.db"), ...serverOptions });
  cleanups.push(() => server.close());
  if (schema) await connect(server).executeMultiple(SCHEMA);
  return server;
}

/** A client of `server`, closed after the test. One per request in workerd, so one per worker here. */
function connect(server: HranaServer, intMode: "bigint" | "number" = "bigint"): Client {
  const c = createClient({ url: server.url, intMode });
  cleanups.push(() => c.close());
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

const run = (query: string, args: unknown[] = []) => ({
  type: "execute",
  stmt: { sql: query, args: args.map((v) => (typeof v === "number" ? { type: "integer", value: String(v) } : { type: "text", value: v })) },
});

/** 1n, 2n, …, nn */
const oneTo = (n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt(i + 1));

describe("HTTP surface", () => {
  it("answers the version probes and rejects other paths and methods", async () => {
    const server = await fresh({ schema: false });
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
    const server = await fresh({ schema: false });
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
    const server = await fresh();
    const db = connect(server);
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
    const server = await fresh();
    const { rows } = await connect(server).execute({ sql: "SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c", args: [1, 1n, ""] });
    expect(rows[0]).toMatchObject({ a: "real", b: "integer", c: "text" });
  });

  it("binds positional (?, ?NNN) and named (:, @, $) parameters", async () => {
    const server = await fresh();
    const db = connect(server);
    const positional = await db.execute({ sql: "SELECT ?2 AS a, ?1 AS b, ? AS c", args: ["x", "y", "z"] });
    expect(positional.rows[0]).toMatchObject({ a: "y", b: "x", c: "z" });
    const named = await db.execute({ sql: "SELECT :a AS a, @b AS b, $c AS c, :a AS again", args: { a: 1n, "@b": "two", c: null } });
    expect(named.rows[0]).toMatchObject({ a: 1n, b: "two", c: null, again: 1n });
  });

  it("rejects missing, surplus and mixed arguments instead of binding NULL", async () => {
    const server = await fresh();
    const db = connect(server);
    await expect(db.execute({ sql: "SELECT :a", args: { b: 1 } })).rejects.toMatchObject({ code: "ARGS_INVALID" });
    await expect(db.execute({ sql: "SELECT ?", args: [1, 2] })).rejects.toMatchObject({ code: "ARGS_INVALID" });
    await expect(db.execute({ sql: "SELECT ?, :a", args: [1, 2] })).rejects.toMatchObject({ code: "ARGS_INVALID" });
  });
});

describe("statements and errors", () => {
  it("reports SQL errors as LibsqlError with SQLite's primary code", async () => {
    const server = await fresh();
    const db = connect(server);
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
    const server = await fresh();
    const db = connect(server);
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
    const server = await fresh();
    const db = connect(server);
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
    const server = await fresh();
    const [a, b] = [connect(server), connect(server)];
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
    const server = await fresh();
    const [a, b] = [connect(server), connect(server)];
    const tx = await a.transaction("write");
    await tx.execute({ sql: "INSERT INTO users (email) VALUES (?)", args: ["rb@example.jp"] });
    await tx.rollback();
    expect((await b.execute("SELECT count(*) AS n FROM users WHERE email = 'rb@example.jp'")).rows[0]?.["n"]).toBe(0n);
    expect((await a.execute("SELECT count(*) AS n FROM users WHERE email = 'rb@example.jp'")).rows[0]?.["n"]).toBe(0n);
  });
});

// Generous timeouts: hundreds of commits, each an fsync, take seconds on a loaded machine.
describe("concurrency", { timeout: 30_000 }, () => {
  it("5 clients × 50 parallel inserts land exactly once each", async () => {
    const server = await fresh();
    const workers = Array.from({ length: 5 }, () => connect(server));
    await Promise.all(
      workers.flatMap((db, w) =>
        Array.from({ length: 50 }, (_, seq) => db.execute({ sql: "INSERT INTO hits VALUES (?, ?)", args: [BigInt(w), BigInt(seq)] })),
      ),
    );
    const { rows } = await connect(server).execute("SELECT count(*) AS n, count(DISTINCT worker || ':' || seq) AS d FROM hits");
    expect(rows[0]).toMatchObject({ n: 250n, d: 250n });
  });

  it("serialises read-modify-write transactions from different streams", async () => {
    const server = await fresh();
    const workers = Array.from({ length: 5 }, () => connect(server));
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
    expect((await connect(server).execute("SELECT n FROM counter")).rows[0]?.["n"]).toBe(50n);
  });
});

describe("contention: 50 requests at once, one client each (as workerd makes one per request)", { timeout: 30_000 }, () => {
  const WORKERS = 50;
  const counter = sqliteTable("counter", { id: integer("id").primaryKey(), n: integer("n").notNull() });

  const workers = (server: HranaServer, intMode?: "bigint" | "number"): Client[] =>
    Array.from({ length: WORKERS }, () => connect(server, intMode));
  const counterValue = async (server: HranaServer): Promise<unknown> =>
    (await connect(server).execute("SELECT n FROM counter WHERE id = 1")).rows[0]?.["n"];
  const ascending = (values: unknown[]): unknown[] => values.toSorted((a, b) => Number(a) - Number(b));

  it("write transactions (BEGIN IMMEDIATE) doing read-modify-write all succeed and lose no update", async () => {
    const server = await fresh();
    const seen = await Promise.all(
      workers(server).map(async (db) => {
        const tx = await db.transaction("write");
        try {
          const n = (await tx.execute("SELECT n FROM counter WHERE id = 1")).rows[0]?.["n"] as bigint;
          await tx.execute({ sql: "UPDATE counter SET n = ? WHERE id = 1", args: [n + 1n] });
          await tx.commit();
          return n;
        } finally {
          tx.close();
        }
      }),
    );
    // Each transaction read a value no other one read: they ran one after another.
    expect(ascending(seen)).toEqual(oneTo(WORKERS).map((n) => n - 1n));
    expect(await counterValue(server)).toBe(BigInt(WORKERS));
  });

  it("write batches of UPDATE … RETURNING and INSERT … ON CONFLICT DO UPDATE … RETURNING hand out 1..50 once each", async () => {
    const server = await fresh();
    const results = await Promise.all(
      workers(server).map((db) =>
        db.batch(
          [
            "UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n",
            "INSERT INTO counter (id, n) VALUES (2, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1 RETURNING n",
          ],
          "write",
        ),
      ),
    );
    const tickets = results.map(([updated, upserted]) => [updated?.rows[0]?.["n"], upserted?.rows[0]?.["n"]]);
    // A batch is one transaction: both counters moved together, so each batch drew equal numbers.
    for (const [updated, upserted] of tickets) expect(upserted).toBe(updated);
    expect(ascending(tickets.map(([updated]) => updated))).toEqual(oneTo(WORKERS));
    expect(await counterValue(server)).toBe(BigInt(WORKERS));
  });

  it("drizzle: transactions (BEGIN IMMEDIATE) and db.batch() upserts interleave without losing updates", async () => {
    const server = await fresh();
    // drizzle's db.batch() runs in a deferred transaction; its first statement writes, so it
    // waits for the lock like an immediate one (a failed lock attempt keeps no snapshot).
    const outcomes = await Promise.all(
      workers(server, "number").map(async (client, i) => {
        const db = drizzle(client);
        if (i % 2 === 0) {
          const [rows] = await db.batch([
            db
              .insert(counter)
              .values({ id: 1, n: 1 })
              .onConflictDoUpdate({ target: counter.id, set: { n: sql`${counter.n} + 1` } })
              .returning({ n: counter.n }),
          ]);
          return rows[0]?.n;
        }
        await db.transaction(async (tx) => {
          const [row] = await tx.select({ n: counter.n }).from(counter).where(eq(counter.id, 1));
          await tx
            .update(counter)
            .set({ n: (row?.n ?? 0) + 1 })
            .where(eq(counter.id, 1));
        });
        return undefined;
      }),
    );
    const tickets = outcomes.filter((n) => n !== undefined);
    expect(tickets).toHaveLength(WORKERS / 2);
    expect(new Set(tickets).size).toBe(WORKERS / 2);
    expect(await counterValue(server)).toBe(BigInt(WORKERS));
  });

  // A deferred transaction reads at a snapshot, then has to upgrade to a writer. Under contention
  // that fails with SQLITE_BUSY whenever another transaction holds the write lock or has committed
  // since the snapshot (SQLite's SQLITE_BUSY_SNAPSHOT, reported with its primary code as
  // libsql-server does). Waiting cannot help: once the holder commits the snapshot is stale, so the
  // server's busy timeout changes nothing (0 ms, 5 s and 30 s behave alike). Observed: 37 of 50
  // fail at the UPDATE in every run so far, idle or loaded machine; as the count depends on timing,
  // only the invariant is asserted: each outcome is success or SQLITE_BUSY at the first write, and
  // no update is lost.
  it.for([0, 5_000, 30_000])(
    "deferred transactions fail with SQLITE_BUSY, never lose an update (busy timeout %i ms)",
    async (busyTimeoutMs) => {
      const server = await fresh({ busyTimeoutMs });
      const outcomes = await Promise.all(
        workers(server).map(async (db) => {
          const tx = await db.transaction("deferred");
          let stage = "select";
          try {
            const n = (await tx.execute("SELECT n FROM counter WHERE id = 1")).rows[0]?.["n"] as bigint;
            stage = "update";
            await tx.execute({ sql: "UPDATE counter SET n = ? WHERE id = 1", args: [n + 1n] });
            stage = "commit";
            await tx.commit();
            return { stage: "done", error: undefined };
          } catch (error) {
            await tx.rollback();
            return { stage, error };
          } finally {
            tx.close();
          }
        }),
      );
      const failures = outcomes.filter(({ error }) => error !== undefined);
      for (const { stage, error } of failures) {
        expect(error).toBeInstanceOf(LibsqlError);
        expect({ stage, code: (error as LibsqlError).code }).toEqual({ stage: "update", code: "SQLITE_BUSY" });
      }
      const successes = WORKERS - failures.length;
      expect(successes).toBeGreaterThan(0); // the first to take the lock always commits
      expect(failures.length).toBeGreaterThan(0);
      expect(await counterValue(server)).toBe(BigInt(successes));
    },
  );

  // drizzle's db.batch() and client.batch() default to a deferred transaction too: safe when the
  // first statement writes (a failed lock attempt takes no snapshot, so it waits its turn), not
  // when it reads first while another stream holds the write lock across round trips.
  it("a deferred batch that writes first waits for the lock; one that reads first fails like a deferred transaction", async () => {
    const server = await fresh();
    const holder = await connect(server).transaction("write");
    await holder.execute("UPDATE counter SET n = n + 1 WHERE id = 1");
    const writesFirst = connect(server).batch(["UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n"], "deferred");
    const readsFirst = connect(server).batch(
      ["SELECT n FROM counter WHERE id = 1", "UPDATE counter SET n = n + 1 WHERE id = 1"],
      "deferred",
    );
    const failed = readsFirst.catch((error: unknown) => error);
    await sleep(100);
    await holder.commit();
    expect((await writesFirst)[0]?.rows[0]?.["n"]).toBe(2n);
    expect(await failed).toBeInstanceOf(LibsqlError);
    expect(await failed).toMatchObject({ code: "SQLITE_BUSY" });
    expect(await counterValue(server)).toBe(2n);
  });
});

describe("raw protocol", () => {
  it("rotates batons, stores SQL texts and evaluates batch conditions", async () => {
    const server = await fresh();
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
    const server = await fresh();
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
    const server = await fresh({ schema: false });
    expect((await pipeline(server.url, { requests: [{ type: "get_autocommit" }] }, 2)).status).toBe(400);
  });
});

describe("pooled connections", () => {
  const value = (res: { json: unknown }) => dig(res.json, "results", 0, "response", "result", "rows", 0, 0, "value");

  it("hand a closed stream's connection to the next stream (its last_insert_rowid shows it)", async () => {
    const server = await fresh();
    await pipeline(server.url, { requests: [run("INSERT INTO vals (id, i) VALUES (41, 1)"), { type: "close" }] });
    expect(value(await pipeline(server.url, { requests: [run("SELECT last_insert_rowid()"), { type: "close" }] }))).toBe("41");
  });

  it("never hand over a connection with a PRAGMA, a temporary table or an open transaction", async () => {
    const server = await fresh();
    await pipeline(server.url, { requests: [run("PRAGMA foreign_keys = OFF"), { type: "close" }] });
    expect(value(await pipeline(server.url, { requests: [run("PRAGMA foreign_keys"), { type: "close" }] }))).toBe("1");
    await pipeline(server.url, { requests: [run("CREATE TEMP TABLE scratch (x)"), { type: "close" }] });
    expect(value(await pipeline(server.url, { requests: [run("SELECT count(*) FROM sqlite_temp_master"), { type: "close" }] }))).toBe("0");
    // A stream closed inside a transaction rolls it back rather than passing it on.
    await pipeline(server.url, { requests: [run("BEGIN"), run("INSERT INTO vals (id, i) VALUES (7, 7)"), { type: "close" }] });
    expect(value(await pipeline(server.url, { requests: [run("SELECT count(*) FROM vals WHERE id = 7"), { type: "close" }] }))).toBe("0");
    const writer = connect(server);
    await writer.execute("INSERT INTO vals (id, i) VALUES (8, 8)");
    expect((await writer.execute("SELECT count(*) AS n FROM vals WHERE id = 8")).rows[0]?.["n"]).toBe(1n);
  });
});

describe("limits and expiry", () => {
  it("expires idle streams, rolls them back, and limits body size", async () => {
    // The idle timeout leaves room for a loaded machine between the two requests below; the busy
    // timeout stays far below it, so the other writer gives up while the stream still holds the lock.
    const small = await fresh({ schema: false, streamIdleTimeoutMs: 2000, busyTimeoutMs: 300, maxBodyBytes: 4096 });
    const big = await fetch(`${small.url}/v2/pipeline`, {
      method: "POST",
      body: JSON.stringify({ requests: [run("SELECT ?", ["x".repeat(5000)])] }),
    });
    expect(big.status).toBe(413);
    const open = await pipeline(small.url, {
      requests: [run("CREATE TABLE t (x)"), run("BEGIN IMMEDIATE"), run("INSERT INTO t VALUES (1)")],
    });
    // While the stream holds the write lock, another writer gives up after busyTimeoutMs.
    const other = connect(small, "number");
    await expect(other.execute("INSERT INTO t VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    await sleep(3500); // past the idle timeout and the next sweep (every second)
    const late = await pipeline(small.url, { baton: dig(open.json, "baton"), requests: [run("COMMIT")] });
    expect(late).toMatchObject({ status: 500, json: { code: "STREAM_EXPIRED" } });
    await other.execute("INSERT INTO t VALUES (3)");
    expect((await other.execute("SELECT x FROM t")).rows.map((r) => r["x"])).toEqual([3]);
  });
});

describe("giving up on a lock", () => {
  it("leaves the stream usable, and a lost transaction accepts only ROLLBACK", async () => {
    const locky = await fresh({ schema: false, busyTimeoutMs: 200 });
    const holder = await pipeline(locky.url, { requests: [run("CREATE TABLE t (x)"), run("BEGIN IMMEDIATE")] });
    // A long-lived autocommit stream times out once, then must still commit its writes.
    const waiter = await pipeline(locky.url, { requests: [run("INSERT INTO t VALUES (1)")] });
    expect(dig(waiter.json, "results", 0, "error", "code")).toBe("SQLITE_BUSY");
    // An interactive transaction that read, then timed out on its first write.
    const db = connect(locky, "number");
    const tx = await db.transaction("deferred");
    await tx.execute("SELECT count(*) FROM t");
    await expect(tx.execute("INSERT INTO t VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    await expect(tx.execute("INSERT INTO t VALUES (3)")).rejects.toMatchObject({ code: "SQLITE_ABORT" });
    await tx.rollback();
    await pipeline(locky.url, { baton: dig(holder.json, "baton"), requests: [run("COMMIT"), { type: "close" }] });
    await pipeline(locky.url, { baton: dig(waiter.json, "baton"), requests: [run("INSERT INTO t VALUES (4)")] });
    expect((await db.execute("SELECT x FROM t")).rows.map((r) => r["x"])).toEqual([4]);
  });
});

describe("drizzle-orm", () => {
  it("migrates and queries through the server", async () => {
    const server = await fresh({ schema: false });
    const folder = join(dir, `migrations${++databases}`);
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
    const db = drizzle(connect(server, "number"));
    await migrate(db, { migrationsFolder: folder });
    await migrate(db, { migrationsFolder: folder }); // idempotent
    await db.insert(guarantees).values({ holder: "株式会社テスト" });
    expect(await db.select().from(guarantees)).toEqual([{ id: 1, holder: "株式会社テスト" }]);
  });
});
