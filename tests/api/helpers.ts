// What every workerd test file uses: its own database, the app, and problem assertions.
import { beforeAll, inject } from "vitest";
import { openDb } from "../../db/client.ts";
import { app, createApp } from "../../edge/app.ts";
import type { Clock } from "../../edge/context.ts";

export type TestEnv = Record<string, unknown>;

declare module "vitest" {
  export interface ProvidedContext {
    /** The workers project's DATA_ENCRYPTION_KEY (vitest.config.ts). */
    dataEncryptionKey: string;
  }
}

/**
 * Gives the calling test file a fresh migrated, seeded database of its own (before its tests
 * run) and a way to call the app on it. Call once at the top of a test file.
 */
export function useTestDatabase() {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    const res = await fetch(`${inject("provisionerUrl")}/databases`, { method: "POST" });
    if (res.status !== 201) throw new Error(`provisioner: ${res.status} ${await res.text()}`);
    const { url } = (await res.json()) as { url: string };
    env = { APP_ENV: "test", DATABASE_URL: url, DATA_ENCRYPTION_KEY: inject("dataEncryptionKey") };
  });
  const current = (): TestEnv => {
    if (env === undefined) throw new Error("useTestDatabase(): the database is made in beforeAll");
    return env;
  };
  return {
    env: current,
    /** A drizzle handle on this file's database, for factories and assertions. */
    db: () => openDb({ url: String(current()["DATABASE_URL"]) }),
    /** app.request() on this file's database; `clock` fixes "now" for this call. */
    async call(path: string, init: RequestInit = {}, options: { env?: TestEnv; clock?: Clock } = {}): Promise<Response> {
      const target = options.clock === undefined ? app : createApp({ clock: options.clock });
      return target.request(path, init, options.env ?? current());
    },
  };
}

export const fixedClock =
  (iso: string): Clock =>
  () =>
    new Date(iso);

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

export async function expectProblem(res: Response, status: number, code: string): Promise<ProblemBody> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json")) throw new Error(`expected problem+json, got ${type}`);
  const body = await json<ProblemBody>(res);
  if (body.code !== code || body.status !== status || body.title === "") throw new Error(`unexpected problem ${JSON.stringify(body)}`);
  return body;
}
