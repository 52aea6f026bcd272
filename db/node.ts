// Node-side database access (CLI, migrations, seed, tests): file: URLs use the embedded engine.

import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client/node";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "./schema/index.ts";
import { seed } from "./seed.ts";

export const MIGRATIONS = fileURLToPath(new URL("./migrations", import.meta.url));

export function connectNode(url: string, authToken?: string) {
  const client = createClient(authToken === undefined ? { url } : { url, authToken });
  return { client, db: drizzle(client, { schema }) };
}

/** Apply the generated migrations, then load the demo/reference rows. Idempotent. */
export async function prepareDatabase(url: string, options: { seed?: boolean } = {}): Promise<void> {
  const { client, db } = connectNode(url);
  try {
    if (url.startsWith("file:")) await client.execute("PRAGMA journal_mode = WAL");
    await migrate(db, { migrationsFolder: MIGRATIONS });
    if (options.seed !== false) await seed(db);
  } finally {
    client.close();
  }
}
