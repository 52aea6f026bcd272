// What can go wrong in the platform's verbs, in the domain's words. These know nothing of HTTP:
// the one error edge (edge/http/errors.ts) maps each kind to its status and problem body.

export interface FieldError {
  field: string;
  message: string;
}

export type ErrorKind =
  | "not_found"
  | "invalid"
  | "conflict"
  | "forbidden"
  | "unauthorized"
  | "too_many"
  | "unavailable"
  | "gone"
  | "malformed";

export class DomainError extends Error {
  readonly kind: ErrorKind;
  /** A stable machine word for clients (problem `code`). */
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  /** For `too_many`: seconds until a retry can succeed. */
  readonly retryAfter: number | undefined;
  constructor(kind: ErrorKind, code: string, message: string, extra: { errors?: FieldError[]; retryAfter?: number } = {}) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.code = code;
    this.errors = extra.errors;
    this.retryAfter = extra.retryAfter;
  }
}

export class NotFound extends DomainError {
  constructor(message = "見つかりません", code = "not_found") {
    super("not_found", code, message);
  }
}

export class Invalid extends DomainError {
  constructor(errors: FieldError[], message = "入力内容に誤りがあります", code = "validation_failed") {
    super("invalid", code, message, { errors });
  }
}

export class Conflict extends DomainError {
  constructor(message: string, code = "conflict") {
    super("conflict", code, message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = "この操作を行う権限がありません", code = "forbidden") {
    super("forbidden", code, message);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = "ログインが必要です", code = "unauthorized") {
    super("unauthorized", code, message);
  }
}

export class TooMany extends DomainError {
  constructor(retryAfter: number, message = "試行回数の上限に達しました。しばらくしてからお試しください", code = "too_many_requests") {
    super("too_many", code, message, { retryAfter });
  }
}

export class Unavailable extends DomainError {
  constructor(message: string, code = "unavailable") {
    super("unavailable", code, message);
  }
}

/** Existed once, and no longer answers (an expired link). */
export class Gone extends DomainError {
  constructor(message: string, code = "gone") {
    super("gone", code, message);
  }
}

/** The request cannot be meant: a format the platform can tell is wrong before looking anything up. */
export class Malformed extends DomainError {
  constructor(errors: FieldError[], message: string, code = "invalid_format") {
    super("malformed", code, message, { errors });
  }
}
