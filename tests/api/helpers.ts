import { inject } from "vitest";
import { app } from "../../edge/app.ts";

export const testEnv = (): Record<string, unknown> => ({ APP_ENV: "test", DATABASE_URL: inject("dbUrl") });

export function call(path: string, init: RequestInit = {}, env: Record<string, unknown> = testEnv()) {
  return app.request(path, init, env);
}

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
