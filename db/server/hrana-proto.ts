/**
 * Hrana-over-HTTP JSON messages (protocol versions 2 and 3) and their validation.
 *
 * Field names and semantics follow libsql-server, the server behind Turso, so that code tested
 * against this dev server behaves the same in production. Requests are decoded strictly: anything
 * a correct client never sends is a `ProtocolError`, answered with HTTP 400 like libsql-server does.
 */

export type SqlValue = null | bigint | number | string | Uint8Array;

export type ProtoValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

export interface Stmt {
  sql: string | undefined;
  sqlId: number | undefined;
  args: SqlValue[];
  namedArgs: Array<{ name: string; value: SqlValue }>;
  wantRows: boolean;
}

export type BatchCond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and" | "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };

export interface BatchStep {
  condition: BatchCond | undefined;
  stmt: Stmt;
}

export type StreamRequest =
  | { type: "close" | "get_autocommit" }
  | { type: "execute"; stmt: Stmt }
  | { type: "batch"; steps: BatchStep[] }
  | { type: "sequence" | "describe"; sql: string | undefined; sqlId: number | undefined }
  | { type: "store_sql"; sqlId: number; sql: string }
  | { type: "close_sql"; sqlId: number };

export interface PipelineRequest {
  baton: string | undefined;
  requests: StreamRequest[];
}

export interface ProtoError {
  message: string;
  code: string;
}

export interface StmtResult {
  cols: Array<{ name: string | null; decltype: string | null }>;
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

/** A request a correct client never sends; the whole HTTP request fails with 400. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

/** An error that becomes a `{ type: "error" }` result (a `LibsqlError` in the client). */
export class StmtError extends Error {
  override name = "StmtError";
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }

  toProto(): ProtoError {
    return { message: this.message, code: this.code };
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`Expected ${what} to be an object`);
  }
  return value as Json;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ProtocolError(`Expected ${what} to be an array`);
  return value;
}

function optional<T>(value: unknown, read: (v: unknown) => T): T | undefined {
  return value === undefined || value === null ? undefined : read(value);
}

function string(value: unknown, what: string): string {
  if (typeof value !== "string") throw new ProtocolError(`Expected ${what} to be a string`);
  return value;
}

function int32(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new ProtocolError(`Expected ${what} to be a 32-bit integer`);
  }
  return value;
}

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeValue(raw: unknown): SqlValue {
  const v = object(raw, "value");
  switch (v["type"]) {
    case "null":
      return null;
    case "integer": {
      // Integers travel as decimal strings because JSON numbers lose precision beyond 2^53.
      const text = string(v["value"], "integer value");
      const int = /^-?[0-9]+$/.test(text) ? BigInt(text) : undefined;
      if (int === undefined || int < MIN_I64 || int > MAX_I64) {
        throw new ProtocolError(`Invalid 64-bit integer: ${text.slice(0, 40)}`);
      }
      return int;
    }
    case "float": {
      const num = v["value"];
      if (typeof num !== "number") throw new ProtocolError("Expected float value to be a number");
      return num;
    }
    case "text":
      return string(v["value"], "text value");
    case "blob": {
      const base64 = v["base64"] === undefined ? "" : string(v["base64"], "blob base64");
      if (!BASE64.test(base64)) throw new ProtocolError("Invalid base64 in blob value");
      return Buffer.from(base64, "base64");
    }
    default:
      throw new ProtocolError("Value type not recognized");
  }
}

export function encodeValue(value: unknown): ProtoValue {
  if (value === null) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  if (typeof value === "number") return { type: "float", value };
  if (typeof value === "string") return { type: "text", value };
  // The binding returns blobs as Buffer; newer versions of it return ArrayBuffer.
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    return { type: "blob", base64: Buffer.from(value instanceof ArrayBuffer ? new Uint8Array(value) : value).toString("base64") };
  }
  throw new Error(`Unexpected value from SQLite: ${typeof value}`);
}

function decodeStmt(raw: unknown): Stmt {
  const s = object(raw, "stmt");
  const namedArgs = array(s["named_args"] ?? [], "named_args").map((entry) => {
    const arg = object(entry, "named arg");
    return { name: string(arg["name"], "named arg name"), value: decodeValue(arg["value"]) };
  });
  const wantRows = s["want_rows"] ?? true;
  if (typeof wantRows !== "boolean") throw new ProtocolError("Expected want_rows to be a boolean");
  return {
    sql: optional(s["sql"], (v) => string(v, "sql")),
    sqlId: optional(s["sql_id"], (v) => int32(v, "sql_id")),
    args: array(s["args"] ?? [], "args").map(decodeValue),
    namedArgs,
    wantRows,
  };
}

function decodeCond(raw: unknown, stepIndex: number, version: number): BatchCond {
  const c = object(raw, "batch condition");
  const type = c["type"];
  if (type === "ok" || type === "error") {
    // A condition may only look back: the referenced step must already have run.
    const step = int32(c["step"], "condition step");
    if (step < 0 || step >= stepIndex) throw new ProtocolError("Invalid reference to step in a batch condition");
    return { type, step };
  }
  if (type === "not") return { type, cond: decodeCond(c["cond"], stepIndex, version) };
  if (type === "and" || type === "or") {
    return { type, conds: array(c["conds"], "conditions").map((x) => decodeCond(x, stepIndex, version)) };
  }
  if (type === "is_autocommit") {
    if (version < 3) throw new ProtocolError("BatchCond of type `is_autocommit` requires protocol version 3");
    return { type };
  }
  throw new ProtocolError("BatchCond type not recognized");
}

function decodeRequest(raw: unknown, version: number): StreamRequest {
  const r = object(raw, "request");
  const type = r["type"];
  switch (type) {
    case "close":
      return { type };
    case "get_autocommit":
      if (version < 3) throw new ProtocolError("The `get_autocommit` request requires protocol version 3");
      return { type };
    case "execute":
      return { type, stmt: decodeStmt(r["stmt"]) };
    case "batch": {
      const batch = object(r["batch"], "batch");
      const steps = array(batch["steps"], "batch steps").map((entry, index) => {
        const step = object(entry, "batch step");
        const condition = optional(step["condition"], (v) => decodeCond(v, index, version));
        return { condition, stmt: decodeStmt(step["stmt"]) };
      });
      return { type, steps };
    }
    case "sequence":
    case "describe":
      return {
        type,
        sql: optional(r["sql"], (v) => string(v, "sql")),
        sqlId: optional(r["sql_id"], (v) => int32(v, "sql_id")),
      };
    case "store_sql":
      return { type, sqlId: int32(r["sql_id"], "sql_id"), sql: string(r["sql"], "sql") };
    case "close_sql":
      return { type, sqlId: int32(r["sql_id"], "sql_id") };
    default:
      throw new ProtocolError("StreamRequest type not recognized");
  }
}

export function decodePipelineRequest(raw: unknown, version: number): PipelineRequest {
  const body = object(raw, "request body");
  return {
    baton: optional(body["baton"], (v) => string(v, "baton")),
    requests: array(body["requests"], "requests").map((r) => decodeRequest(r, version)),
  };
}
