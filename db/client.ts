// The database client for request code. In workerd @libsql/client resolves to its web build,
// which speaks only HTTP: Turso in production, the loopback server (db/server) locally.
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema/index.ts";

export interface DbConfig {
  url: string;
  authToken?: string | undefined;
}

/**
 * A new client for each request; never cache one per isolate.
 *
 * Why: @libsql/client queues every call through one `promise-limit` (20 at a time) per client.
 * Shared across requests in workerd, a request ends up awaiting I/O that another request
 * started; workerd cancels such a request as hung, the slot it held is never released, and after
 * one burst of ~50 requests every later database call hangs until the isolate restarts (seen on
 * `npm start`, issue 5). The web client with HTTP opens no connection and sends no version probe
 * when created, so one per request costs nothing measurable. `tests/e2e/burst.test.ts` guards this.
 */
export function openDb(config: DbConfig) {
  const client = createClient(config.authToken === undefined ? { url: config.url } : { url: config.url, authToken: config.authToken });
  return drizzle(client, { schema });
}

export type Db = ReturnType<typeof openDb>;
