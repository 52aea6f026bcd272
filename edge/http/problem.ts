// RFC 9457 problem details: the only error body under /api/.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldError } from "../domain/errors.ts";

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
}

export const PROBLEM_TYPE = "application/problem+json; charset=utf-8";

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  body: Omit<Problem, "type" | "status">,
  headers: Record<string, string> = {},
) {
  const payload: Problem = { type: "about:blank", status, ...body };
  const requestId = c.get("requestId") as string | undefined;
  if (requestId !== undefined) payload.requestId = requestId;
  return c.body(JSON.stringify(payload), status, { "content-type": PROBLEM_TYPE, ...headers });
}
