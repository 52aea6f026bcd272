/**
 * Executes Hrana statements, batches and sequences on one connection of the embedded engine.
 *
 * The `libsql` binding is synchronous, so SQLite's own busy handler would freeze the event loop
 * (and with it the request that would release the lock). Connections therefore run with
 * busy_timeout = 0 and a statement that hits SQLITE_BUSY is retried asynchronously until
 * `busyTimeoutMs` has passed, which serialises writers without blocking other streams.
 *
 * SQLite leaves a statement that failed with SQLITE_BUSY resumable, and while it is, the
 * connection keeps its snapshot and never autocommits again. The binding only resets a statement
 * when it runs again, so a retry reuses the same statement object, and when we give up the whole
 * connection is replaced. A transaction lost that way dooms the stream until the client's
 * ROLLBACK, so later statements cannot silently run outside the transaction.
 */
import { setTimeout as sleep } from "node:timers/promises";
import Database from "libsql";
import { type BatchCond, encodeValue, type ProtoError, type SqlValue, type Stmt, StmtError, type StmtResult } from "./hrana-proto.ts";
import { type ScannedStatement, scanSql } from "./hrana-sql.ts";

/** A statement whose SQL text has been resolved and checked to hold exactly one statement. */
export interface ResolvedStmt {
  scanned: ScannedStatement;
  stmt: Stmt;
}

export interface BatchResult {
  step_results: Array<StmtResult | null>;
  step_errors: Array<ProtoError | null>;
}

export interface DescribeResult {
  params: Array<{ name: string | null }>;
  cols: Array<{ name: string; decltype: string | null }>;
  is_explain: boolean;
  is_readonly: boolean;
}

type Statement = Database.Statement;

const IUD_VERBS = new Set(["INSERT", "REPLACE", "UPDATE", "DELETE"]);
/** VDBE opcodes that make sqlite3_stmt_readonly() false (see resolveP2Values in vdbeaux.c). */
const WRITE_OPCODES = new Set(["Checkpoint", "Vacuum", "JournalMode", "VUpdate"]);

/** Checks the SQL text the way libsql-server does before running anything. */
export function resolveStmt(sql: string, stmt: Stmt): ResolvedStmt {
  const statements = scanSql(sql);
  const [scanned] = statements;
  if (scanned === undefined) throw new StmtError("SQL string does not contain any statement", "SQL_NO_STATEMENT");
  if (statements.length > 1) throw new StmtError("SQL string contains more than one statement", "SQL_MANY_STATEMENTS");
  if (stmt.args.length > 0 && stmt.namedArgs.length > 0) {
    throw new StmtError("Specifying both positional and named arguments is not supported", "ARGS_BOTH_POSITIONAL_AND_NAMED");
  }
  return { scanned, stmt };
}

/**
 * Orders the arguments by parameter index with libsql-server's rules: `?NNN` takes positional
 * argument NNN, a named parameter matches a named argument with or without its prefix, and a
 * parameter without a value is an error (except under EXPLAIN).
 */
function bindValues({ scanned, stmt }: ResolvedStmt): SqlValue[] {
  const invalid = (detail: string) => new StmtError(`Arguments do not match SQL parameters: ${detail}`, "ARGS_INVALID");
  const given = stmt.namedArgs.length > 0 ? stmt.namedArgs.length : stmt.args.length;
  if (given > scanned.params.length) {
    throw invalid(`too many parameters, expected ${scanned.params.length} found ${given}`);
  }
  const named = new Map(stmt.namedArgs.map((arg) => [arg.name, arg.value]));
  const byName = (name: string) => (named.has(name) ? named.get(name) : named.get(name.slice(1)));
  return scanned.params.map((name, i) => {
    let value: SqlValue | undefined;
    if (name === undefined || name.startsWith("?")) {
      value = stmt.namedArgs.length > 0 ? undefined : stmt.args[(name === undefined ? i + 1 : Number(name.slice(1))) - 1];
    } else if (stmt.namedArgs.length > 0) {
      value = byName(name);
    }
    if (value === undefined && !scanned.isExplain) throw invalid(`value for parameter ${name ?? i + 1} not found`);
    return value ?? null;
  });
}

/** Converts whatever the engine threw into a Hrana error, keeping SQLite's primary code. */
function toStmtError(error: unknown): StmtError {
  if (error instanceof StmtError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  // libsql-server reports the primary result code (SQLITE_CONSTRAINT, not SQLITE_CONSTRAINT_UNIQUE).
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  return primary === undefined
    ? new StmtError(`Internal error: ${message}`, "INTERNAL_ERROR")
    : new StmtError(`SQLite error: ${message}`, primary);
}

const errorCode = (error: unknown): string =>
  error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";

/** SQLITE_BUSY_SNAPSHOT means the transaction's snapshot is stale: waiting cannot fix that. */
const isRetryableBusy = (error: unknown): boolean => ["SQLITE_BUSY", "SQLITE_BUSY_RECOVERY"].includes(errorCode(error));

function evalCond(cond: BatchCond, outcomes: readonly boolean[], isAutocommit: boolean): boolean {
  switch (cond.type) {
    case "ok":
      return outcomes[cond.step] === true;
    case "error":
      return outcomes[cond.step] === false;
    case "not":
      return !evalCond(cond.cond, outcomes, isAutocommit);
    case "and":
      return cond.conds.every((c) => evalCond(c, outcomes, isAutocommit));
    case "or":
      return cond.conds.some((c) => evalCond(c, outcomes, isAutocommit));
    case "is_autocommit":
      return isAutocommit;
  }
}

const EMPTY_RESULT: StmtResult = { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null };

/** Statements whose effect stays with the connection rather than the database file. */
function changesConnection({ verb, keywords }: ScannedStatement): boolean {
  if (verb === "PRAGMA" || verb === "ATTACH" || verb === "DETACH") return true;
  return verb === "CREATE" && (keywords[1] === "TEMP" || keywords[1] === "TEMPORARY");
}

export class SqlConnection {
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  /** Opened on first use; replaced after a statement gave up waiting for a lock. */
  #db: Database.Database | undefined;
  /** A transaction was lost with its connection; only ROLLBACK (or COMMIT, which fails) ends it. */
  #doomed = false;

  constructor(file: string, busyTimeoutMs: number) {
    this.#file = file;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  get isAutocommit(): boolean {
    return !this.#doomed && this.#db?.inTransaction !== true;
  }

  /** Rolls back any open transaction and closes. Never throws: it runs from timers and cleanup. */
  close(): void {
    const db = this.#db;
    this.#db = undefined;
    if (db === undefined || !db.open) return;
    try {
      // Explicit, because a statement object still referencing the connection keeps it (and
      // its locks) alive after close() until garbage collection.
      if (db.inTransaction) db.exec("ROLLBACK");
    } catch {
      // The connection is going away regardless; SQLite rolls back on the final close.
    }
    db.close();
  }

  /** Set by a statement that changes the connection itself (PRAGMA, ATTACH, temporary objects). */
  #tainted = false;

  /**
   * Whether another stream may take over this connection: open, with no transaction, and with no
   * connection-level state a previous client left behind.
   */
  get reusable(): boolean {
    return this.#db?.open === true && !this.#db.inTransaction && !this.#doomed && !this.#tainted;
  }

  #open(): Database.Database {
    if (this.#db === undefined) {
      const db = new Database(this.#file);
      // WAL with synchronous=NORMAL (SQLite's recommendation for WAL): a commit does not wait for
      // fsync, and the database cannot be corrupted; only the last commits before a power loss or
      // OS crash may be lost, acceptable for this development and test server (production uses
      // Turso). A commit then costs ~0.05 ms instead of ~0.75 ms here.
      db.exec("PRAGMA synchronous = NORMAL");
      this.#db = db;
    }
    return this.#db;
  }

  async execute(resolved: ResolvedStmt): Promise<StmtResult> {
    if (this.#doomed) return this.#executeDoomed(resolved.scanned);
    if (changesConnection(resolved.scanned)) this.#tainted = true;
    const values = bindValues(resolved);
    const db = this.#open();
    const deadline = Date.now() + this.#busyTimeoutMs;
    let prepared: Statement | undefined;
    for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
      try {
        prepared ??= db.prepare(resolved.scanned.sql).safeIntegers(true);
        return this.#run(db, prepared, resolved, values);
      } catch (error) {
        if (!errorCode(error).startsWith("SQLITE_BUSY")) throw toStmtError(error);
        if (!isRetryableBusy(error) || Date.now() + delayMs > deadline) {
          this.#doomed = db.inTransaction;
          this.close();
          throw toStmtError(error);
        }
      }
      await sleep(delayMs);
    }
  }

  #executeDoomed({ keywords }: ScannedStatement): StmtResult {
    const [verb] = keywords;
    const isRollback = verb === "ROLLBACK" && !keywords.slice(1, 3).includes("TO");
    if (isRollback || verb === "COMMIT" || verb === "END") this.#doomed = false;
    if (isRollback) return EMPTY_RESULT;
    throw new StmtError("The transaction was rolled back because the database stayed locked (SQLITE_BUSY)", "SQLITE_ABORT");
  }

  #run(db: Database.Database, prepared: Statement, { scanned, stmt }: ResolvedStmt, values: SqlValue[]): StmtResult {
    const cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type }));
    // Always one array argument: the binding treats a lone object argument (a Buffer, null) as
    // named parameters. Executing resets the statement first, which a retry after SQLITE_BUSY needs.
    const rows = prepared.reader ? (prepared.raw(true).all(values) as unknown[][]) : [];
    if (!prepared.reader) prepared.run(values);
    // Like libsql-server: changes() only for INSERT/UPDATE/DELETE (it is stale otherwise) and
    // last_insert_rowid() only for INSERT. Queried in SQL to get them as exact bigints.
    let affected = 0;
    let lastInsertRowid: string | null = null;
    if (IUD_VERBS.has(scanned.verb)) {
      const meta = db.prepare("SELECT changes(), last_insert_rowid()").safeIntegers(true).raw(true);
      const [changes, rowid] = meta.get() as [bigint, bigint];
      affected = Number(changes);
      if (scanned.verb === "INSERT" || scanned.verb === "REPLACE") lastInsertRowid = rowid.toString();
    }
    return {
      cols,
      rows: stmt.wantRows ? rows.map((row) => row.map(encodeValue)) : [],
      affected_row_count: affected,
      last_insert_rowid: lastInsertRowid,
    };
  }

  /** Runs the steps in order; a step whose condition is false is skipped (null result and error). */
  async batch(steps: ReadonlyArray<{ condition: BatchCond | undefined; resolved: ResolvedStmt }>): Promise<BatchResult> {
    const outcomes: boolean[] = [];
    const result: BatchResult = { step_results: [], step_errors: [] };
    for (const { condition, resolved } of steps) {
      let ok = false;
      if (condition === undefined || evalCond(condition, outcomes, this.isAutocommit)) {
        try {
          result.step_results.push(await this.execute(resolved));
          result.step_errors.push(null);
          ok = true;
        } catch (error) {
          result.step_results.push(null);
          result.step_errors.push(toStmtError(error).toProto());
        }
      } else {
        result.step_results.push(null);
        result.step_errors.push(null);
      }
      outcomes.push(ok);
    }
    return result;
  }

  /** Executes every statement of `sql` without arguments, stopping at the first error. */
  async sequence(sql: string): Promise<void> {
    for (const scanned of scanSql(sql)) {
      await this.execute({ scanned, stmt: { sql, sqlId: undefined, args: [], namedArgs: [], wantRows: false } });
    }
  }

  describe(sql: string): DescribeResult {
    const { scanned } = resolveStmt(sql, { sql, sqlId: undefined, args: [], namedArgs: [], wantRows: false });
    const db = this.#open();
    try {
      const cols = db
        .prepare(scanned.sql)
        .columns()
        .map((c) => ({ name: c.name, decltype: c.type }));
      // The binding lacks sqlite3_stmt_readonly(); the compiled program shows whether it writes.
      const program = scanned.isExplain ? [] : (db.prepare(`EXPLAIN ${scanned.sql}`).raw(true).all() as unknown[][]);
      const writes = program.some(([, opcode, , p2]) => (opcode === "Transaction" && p2 !== 0) || WRITE_OPCODES.has(String(opcode)));
      return {
        params: scanned.params.map((name) => ({ name: name ?? null })),
        cols,
        is_explain: scanned.isExplain,
        is_readonly: !writes,
      };
    } catch (error) {
      throw toStmtError(error);
    }
  }
}
