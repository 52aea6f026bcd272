// Node-side database access (CLI, migrations, seed, tests): file: URLs use the embedded engine,
// http(s):// the loopback server (db/server), libsql:// Turso. One migration path for all of them:
// `npm start`, the test setups and `npm run cli -- db migrate` all come through here.

import { fileURLToPath } from "node:url";
import { type Config, createClient } from "@libsql/client/node";
import { count, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import * as schema from "./schema/index.ts";
import { branches, guarantors } from "./schema/index.ts";
import { seed } from "./seed.ts";

export const MIGRATIONS = fileURLToPath(new URL("./migrations", import.meta.url));

/** drizzle's bookkeeping table (its default name). */
const MIGRATIONS_TABLE = "__drizzle_migrations";

/**
 * How long a file: connection waits for another process's write lock (e.g. the loopback server
 * of a running `npm start`) before failing with SQLITE_BUSY. Remote clients ignore it.
 */
const BUSY_TIMEOUT_MS = 5_000;

export function connectNode(url: string, authToken?: string) {
  const config: Config = { url, timeout: BUSY_TIMEOUT_MS };
  if (authToken !== undefined) config.authToken = authToken;
  const client = createClient(config);
  return { client, db: drizzle(client, { schema }) };
}

type Connection = ReturnType<typeof connectNode>;

async function withConnection<T>(url: string, authToken: string | undefined, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = connectNode(url, authToken);
  try {
    return await work(connection);
  } finally {
    connection.client.close();
  }
}

async function appliedMigrations({ db }: Connection): Promise<number> {
  const table = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${MIGRATIONS_TABLE}`,
  );
  if (Number(table?.n ?? 0) === 0) return 0;
  const rows = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(MIGRATIONS_TABLE)}`);
  return Number(rows?.n ?? 0);
}

async function applyMigrations(connection: Connection, url: string): Promise<void> {
  if (url.startsWith("file:")) await connection.client.execute("PRAGMA journal_mode = WAL");
  await migrate(connection.db, { migrationsFolder: MIGRATIONS });
}

export interface MigrationResult {
  /** Migrations applied by this call. */
  applied: number;
  /** Migrations recorded in the database afterwards. */
  recorded: number;
  /** Migrations in db/migrations. */
  available: number;
}

/** Apply the generated migrations in db/migrations that the database lacks. Idempotent. */
export async function migrateDatabase(url: string, authToken?: string): Promise<MigrationResult> {
  return withConnection(url, authToken, async (connection) => {
    const before = await appliedMigrations(connection);
    await applyMigrations(connection, url);
    const recorded = await appliedMigrations(connection);
    return { applied: recorded - before, recorded, available: readMigrationFiles({ migrationsFolder: MIGRATIONS }).length };
  });
}

/** Load the reference rows (guarantors and branches from content/) into a migrated database. Idempotent. */
export async function seedDatabase(url: string, authToken?: string): Promise<{ guarantors: number; branches: number }> {
  return withConnection(url, authToken, async ({ db }) => {
    await seed(db);
    const [g] = await db.select({ n: count() }).from(guarantors);
    const [b] = await db.select({ n: count() }).from(branches);
    return { guarantors: g?.n ?? 0, branches: b?.n ?? 0 };
  });
}

/** Apply the generated migrations, then load the demo/reference rows. Idempotent. */
export async function prepareDatabase(url: string, options: { seed?: boolean; authToken?: string } = {}): Promise<void> {
  await withConnection(url, options.authToken, async (connection) => {
    await applyMigrations(connection, url);
    if (options.seed !== false) await seed(connection.db);
  });
}
