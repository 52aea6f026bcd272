// RFC 9457 problem details. Domain errors know nothing of HTTP; onError maps them here.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  body: Omit<Problem, "type" | "status">,
  headers: Record<string, string> = {},
) {
  const payload: Problem = { type: "about:blank", status, ...body };
  const requestId = c.get("requestId") as string | undefined;
  if (requestId !== undefined) payload.requestId = requestId;
  return c.body(JSON.stringify(payload), status, { "content-type": "application/problem+json; charset=utf-8", ...headers });
}

/** Errors the services raise; onError turns each into its problem. */
export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  constructor(status: ContentfulStatusCode, code: string, title: string, errors?: FieldError[]) {
    super(title);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
  }
}

export class NotFound extends AppError {
  constructor(title = "見つかりません") {
    super(404, "not_found", title);
  }
}

export class Invalid extends AppError {
  constructor(errors: FieldError[], title = "入力内容に誤りがあります") {
    super(422, "validation_failed", title, errors);
  }
}
