/**
 * A loopback HTTP server speaking Hrana over HTTP (libSQL's remote protocol, what
 * `@libsql/client` uses for `http://` URLs) on top of the embedded engine, so code running in
 * workerd can use a local SQLite file. Dev/test only: production talks to Turso.
 *
 * Endpoints: `GET /v2` and `GET /v3` (version probes), `POST /v2/pipeline` and `/v3/pipeline`
 * (JSON). `/v3-protobuf` answers 404, which makes clients fall back to JSON. Cursors are not
 * implemented; clients only use them over `/v3-protobuf`.
 *
 * Each stream owns its own connection to the database file, so an interactive transaction
 * survives across HTTP requests. A closed stream's connection goes back to a small pool when it
 * holds no transaction and no connection-level state (PRAGMA, ATTACH, TEMP), so the next stream
 * skips opening the file and reading the schema (~0.7 ms of this single-threaded server each). The baton rotates on every response, as the protocol requires,
 * and an idle stream expires (rolling back what it left open).
 *
 * Under contention a deferred transaction (`client.transaction("deferred")`, plain `BEGIN`) that
 * reads and then writes fails at its first write with SQLITE_BUSY whenever another stream holds the
 * write lock or has committed since its read: its snapshot is stale, so `busyTimeoutMs` cannot help
 * (37 of 50 concurrent read-modify-write transactions fail, whatever the timeout; none loses an
 * update). Use `BEGIN IMMEDIATE` (`client.transaction("write")`, what drizzle's `db.transaction()`
 * always sends), whose writers queue for the lock and all succeed, or better one `db.batch()` that
 * writes first (`UPDATE … RETURNING`, `INSERT … ON CONFLICT DO UPDATE … RETURNING`), which holds the
 * lock for a single round trip.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import { dirname } from "node:path";
import Database from "libsql";
import { type ResolvedStmt, resolveStmt, SqlConnection } from "./hrana-exec.ts";
import { decodePipelineRequest, ProtocolError, type Stmt, StmtError, type StreamRequest } from "./hrana-proto.ts";

export interface HranaOptions {
  /** Path of the SQLite database file; created (with its directory) if missing. */
  file: string;
  /** An idle stream is closed and its transaction rolled back after this long. */
  streamIdleTimeoutMs?: number;
  /** How long a statement waits for another stream's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Larger request bodies get 413. */
  maxBodyBytes?: number;
}

export type HranaHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  /** Closes every stream (rolling back open transactions) and stops the expiry timer. */
  close(): void;
  /** Number of open streams, for tests and diagnostics. */
  readonly streamCount: () => number;
};

interface Stream {
  readonly id: string;
  seq: number;
  busy: boolean;
  expiresAt: number;
  conn: SqlConnection | undefined;
  closed: boolean;
  readonly sqls: Map<number, string>;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Connections kept open for the next streams. */
const IDLE_CONNECTIONS = 16;
/** libsql-server's limits for `store_sql`; the client avoids exceeding them. */
const MAX_STORED_SQLS = 50;
const MAX_STORED_SQL_BYTES = 5000;
/** Expired streams are remembered this long so clients get "expired" rather than "invalid baton". */
const EXPIRED_MEMORY_MS = 5 * 60_000;

export function createHranaHandler(options: HranaOptions): HranaHandler {
  const { file, streamIdleTimeoutMs = 30_000, busyTimeoutMs = 5_000, maxBodyBytes = 10 * 1024 * 1024 } = options;
  mkdirSync(dirname(file), { recursive: true });
  // WAL lets readers proceed while one stream writes; the mode is persistent in the file.
  const setup = new Database(file);
  setup.exec("PRAGMA journal_mode = WAL");
  setup.close();

  const streams = new Map<string, Stream>();
  const expired = new Map<string, number>();
  const idle: SqlConnection[] = [];
  let shuttingDown = false;

  const closeStream = (stream: Stream): void => {
    stream.closed = true;
    streams.delete(stream.id);
    const conn = stream.conn;
    stream.conn = undefined;
    if (conn === undefined) return;
    if (conn.reusable && idle.length < IDLE_CONNECTIONS && !shuttingDown) idle.push(conn);
    else conn.close();
  };

  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const stream of streams.values()) {
        if (!stream.busy && stream.expiresAt <= now) {
          closeStream(stream);
          expired.set(stream.id, now + EXPIRED_MEMORY_MS);
        }
      }
      for (const [id, forgetAt] of expired) if (forgetAt <= now) expired.delete(id);
    },
    Math.min(1000, streamIdleTimeoutMs),
  );
  sweep.unref();

  // A baton is `<stream id>.<sequence>`; the sequence advances on every request, so a baton is
  // valid exactly once and two requests can never run on one stream at the same time.
  const acquire = (baton: string | undefined): Stream => {
    if (baton === undefined) {
      const stream: Stream = {
        id: randomBytes(16).toString("base64url"),
        seq: 0,
        busy: true,
        expiresAt: 0,
        conn: undefined,
        closed: false,
        sqls: new Map(),
      };
      streams.set(stream.id, stream);
      return stream;
    }
    const [id = "", seq] = baton.split(".");
    const stream = streams.get(id);
    if (stream === undefined) {
      if (expired.has(id)) throw new StmtError("The stream has expired due to inactivity", "STREAM_EXPIRED");
      throw new ProtocolError("Received an invalid baton");
    }
    if (stream.busy || String(stream.seq) !== seq) throw new ProtocolError("Received a baton that has already been used");
    stream.busy = true;
    stream.seq++;
    return stream;
  };

  const release = (stream: Stream): string | null => {
    stream.busy = false;
    if (stream.closed) return null;
    stream.expiresAt = Date.now() + streamIdleTimeoutMs;
    return `${stream.id}.${stream.seq}`;
  };

  const connection = (stream: Stream): SqlConnection => {
    if (stream.closed) throw new ProtocolError("Stream for this baton was closed");
    stream.conn ??= idle.pop() ?? new SqlConnection(file, busyTimeoutMs);
    return stream.conn;
  };

  const sqlText = (stream: Stream, sql: string | undefined, sqlId: number | undefined): string => {
    if (sql !== undefined && sqlId !== undefined) throw new ProtocolError("Either `sql` or `sql_id` are required, but not both");
    if (sql !== undefined) return sql;
    if (sqlId === undefined) throw new ProtocolError("Either `sql` or `sql_id` are required");
    const stored = stream.sqls.get(sqlId);
    if (stored === undefined) throw new ProtocolError(`SQL text ${sqlId} not found`);
    return stored;
  };

  const resolve = (stream: Stream, stmt: Stmt): ResolvedStmt => resolveStmt(sqlText(stream, stmt.sql, stmt.sqlId), stmt);

  const handleRequest = async (stream: Stream, request: StreamRequest): Promise<object> => {
    switch (request.type) {
      case "close":
        closeStream(stream);
        return { type: "close" };
      case "execute":
        return { type: "execute", result: await connection(stream).execute(resolve(stream, request.stmt)) };
      case "batch": {
        const conn = connection(stream);
        const steps = request.steps.map((s) => ({ condition: s.condition, resolved: resolve(stream, s.stmt) }));
        return { type: "batch", result: await conn.batch(steps) };
      }
      case "sequence":
        await connection(stream).sequence(sqlText(stream, request.sql, request.sqlId));
        return { type: "sequence" };
      case "describe":
        return { type: "describe", result: connection(stream).describe(sqlText(stream, request.sql, request.sqlId)) };
      case "store_sql":
        if (stream.sqls.has(request.sqlId)) throw new ProtocolError(`SQL text ${request.sqlId} already exists`);
        if (stream.sqls.size >= MAX_STORED_SQLS) {
          throw new StmtError(`The server already stores ${stream.sqls.size} SQL texts, it cannot store more`, "SQL_STORE_TOO_MANY");
        }
        if (Buffer.byteLength(request.sql) > MAX_STORED_SQL_BYTES) {
          throw new StmtError("The statement is too large to be stored", "SQL_STORE_TOO_LARGE");
        }
        stream.sqls.set(request.sqlId, request.sql);
        return { type: "store_sql" };
      case "close_sql":
        stream.sqls.delete(request.sqlId);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: connection(stream).isAutocommit };
    }
  };

  const pipeline = async (body: unknown, version: number): Promise<object> => {
    const { baton, requests } = decodePipelineRequest(body, version);
    const stream = acquire(baton);
    const results: object[] = [];
    try {
      for (const request of requests) {
        try {
          results.push({ type: "ok", response: await handleRequest(stream, request) });
        } catch (error) {
          if (!(error instanceof StmtError)) throw error;
          results.push({ type: "error", error: error.toProto() });
        }
      }
    } catch (error) {
      // Like libsql-server, a protocol violation (or a crash) ends the stream.
      closeStream(stream);
      stream.busy = false;
      throw error;
    }
    return { baton: release(stream), base_url: null, results };
  };

  const respond = (res: ServerResponse, status: number, body: string, type = "text/plain"): void => {
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const probe = /^\/(v2|v3)?$/.exec(path);
    const pipelineVersion = /^\/v([23])\/pipeline$/.exec(path)?.[1];
    if (probe === null && pipelineVersion === undefined) throw new HttpError(404, "Not found");
    const method = probe === null ? "POST" : "GET";
    if (req.method !== method) {
      res.setHeader("allow", method);
      throw new HttpError(405, "Method not allowed");
    }
    if (probe !== null) return respond(res, 200, "Hello, this is HTTP API v2 (Hrana over HTTP)");
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, maxBodyBytes)).toString("utf8"));
    } catch (error) {
      if (error instanceof SyntaxError) throw new HttpError(400, `Cannot deserialize client message from JSON: ${error.message}`);
      throw error;
    }
    respond(res, 200, JSON.stringify(await pipeline(body, Number(pipelineVersion))), "application/json");
  };

  const fail = (res: ServerResponse, error: unknown): void => {
    if (res.headersSent) {
      res.destroy();
    } else if (error instanceof HttpError) {
      if (error.status === 413) res.setHeader("connection", "close"); // rather than reading the rest of the body
      respond(res, error.status, error.message);
    } else if (error instanceof ProtocolError) {
      respond(res, 400, error.message);
    } else if (error instanceof StmtError) {
      // Stream-level failures (an expired stream) are JSON errors with HTTP 500, as in libsql-server.
      respond(res, 500, JSON.stringify(error.toProto()), "application/json");
    } else {
      respond(res, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((error: unknown) => fail(res, error));
  };

  return Object.assign(handler, {
    close: () => {
      clearInterval(sweep);
      shuttingDown = true;
      for (const stream of streams.values()) closeStream(stream);
      for (const conn of idle.splice(0)) conn.close();
    },
    streamCount: () => streams.size,
  });
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new HttpError(413, "Request body is too large"));
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the 413 response closes the connection, so the rest is never read.
        req.removeAllListeners("data");
        reject(new HttpError(413, "Request body is too large"));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolvePromise(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export interface HranaServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const isLoopback = (host: string): boolean => host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));

export async function startHranaServer(options: HranaOptions & { host?: string; port?: number }): Promise<HranaServer> {
  const { host = "127.0.0.1", port = 0, ...handlerOptions } = options;
  // The server has no authentication, so it must never be reachable from another machine.
  if (!isLoopback(host)) throw new Error(`Refusing to bind the Hrana dev server to non-loopback host ${host}`);
  const handler = createHranaHandler(handlerOptions);
  const server = createServer(handler);
  // Keep idle connections open longer than clients keep them pooled: with Node's default 5 s, a
  // client (workerd) can reuse a socket just as the server closes it, and the request dies with
  // "Network connection lost" (seen in bursts through wrangler dev).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  try {
    await new Promise<void>((resolvePromise, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolvePromise());
    });
  } catch (error) {
    handler.close();
    throw error;
  }
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("Unexpected server address");
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolvePromise, reject) => {
        handler.close();
        server.close((error) => (error === undefined ? resolvePromise() : reject(error)));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      }),
  };
}
