// The database client for request code. In workerd @libsql/client resolves to its web build,
// which speaks only HTTP: Turso in production, the loopback server (db/server) locally.
import { type Client, createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema/index.ts";

export type Db = ReturnType<typeof drizzleOf>;

const drizzleOf = (client: Client) => drizzle(client, { schema });

export interface DbConfig {
  url: string;
  authToken?: string | undefined;
}

/** One client per isolate and URL: opening one per request would waste connections. */
const cache = new Map<string, { client: Client; db: Db }>();

export function connect(config: DbConfig): { client: Client; db: Db } {
  const key = `${config.url}#${config.authToken ?? ""}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    const client = createClient(config.authToken === undefined ? { url: config.url } : { url: config.url, authToken: config.authToken });
    entry = { client, db: drizzleOf(client) };
    cache.set(key, entry);
  }
  return entry;
}
