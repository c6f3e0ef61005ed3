export const errorStatus = {
  validation_failed: 422,
  bad_request: 400,
  unauthenticated: 401,
  // Why an API request was not authenticated (lib/api/auth.ts).
  missing_credentials: 401,
  invalid_key: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  revoked_key: 401,
  replayed_request: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_conflict: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  /** A payment gateway refused or did not answer when asked to start a payment. */
  provider_unavailable: 502,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type FieldErrors = Record<string, string[]>;

/** The one error type the domain throws; mapped to HTTP and form results in one place. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;

  constructor(code: ErrorCode, message: string, fields?: FieldErrors) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = fields;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what = "Not found") => new AppError("not_found", what);

/** A refusal that belongs to one field of a form or request body (`referenceId`, `items.0.name`). */
export const fieldError = (field: string, message: string, code: ErrorCode = "validation_failed") =>
  new AppError(code, "Some fields need attention.", { [field]: [message] });
export const forbidden = (message = "You do not have permission to do that.") => new AppError("forbidden", message);

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldErrors };
}

/**
 * Turns anything thrown into what a client may see: never an internal message
 * or stack. It does not log (this file is bundled into browser code through
 * money and roles); lib/log/route.ts logs what is not an AppError.
 */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.fields) body.error.fields = err.fields;
    return { status: err.status, body };
  }
  return { status: 500, body: { error: { code: "internal", message: "Something went wrong on our side." } } };
}
