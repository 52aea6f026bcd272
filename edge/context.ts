// The request context: everything a handler or service may read about the current request.
// Routes take it from `c.var.ctx`; services take it as `{ ctx }`. Routes never import drizzle or
// db/client: the database is reached through ctx.db, made for this request only.
import { type Db, openDb } from "../db/client.ts";
import type { Bindings } from "./env.ts";

/** The clock, injectable so tests can fix "now" (statuses, expiry, lockouts depend on it). */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Who is logged in on this request (set by the session middleware). */
export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  role: "contractor" | "staff";
  companyId: string | null;
  guarantorId: string | null;
  branchId: string | null;
  /** "second_factor": staff who gave the password but not yet the TOTP code. */
  level: "full" | "second_factor";
  expiresAt: string;
}

export interface RequestContext {
  readonly requestId: string;
  readonly env: Bindings;
  now(): Date;
  /** This request's own database handle (see db/client.ts for why it is never shared). */
  readonly db: Db;
  /** The client's address as Cloudflare reports it ("unknown" locally without the header). */
  readonly clientIp: string;
  /** The site's origin as the client reached it (links in e-mails point here). */
  readonly origin: string;
  session: SessionUser | null;
  /**
   * Work that need not delay the answer (sealing the audit chain): run after the response with
   * waitUntil in the Worker, or awaited before it where there is no execution context (tests).
   */
  after(work: () => Promise<unknown>): void;
  /** Runs what after() collected; called once by the request middleware. */
  settle(): Promise<void>;
}

export function createContext(options: {
  env: Bindings;
  requestId: string;
  clock?: Clock;
  clientIp?: string;
  origin?: string;
}): RequestContext {
  const { env, requestId, clock = systemClock, clientIp = "unknown", origin = "http://localhost:4321" } = options;
  let db: Db | undefined;
  const pending: Array<() => Promise<unknown>> = [];
  return {
    requestId,
    env,
    now: clock,
    clientIp,
    origin,
    session: null,
    after(work) {
      pending.push(work);
    },
    async settle() {
      const results = await Promise.allSettled(pending.splice(0).map((work) => work()));
      for (const r of results) if (r.status === "rejected") console.error(`deferred work failed (request ${requestId})`, r.reason);
    },
    get db() {
      db ??= openDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
      return db;
    },
  };
}
