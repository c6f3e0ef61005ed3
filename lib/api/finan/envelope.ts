import type { ErrorBody } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { currentRequestId } from "@/lib/log/request-context";

/**
 * Finan's answer envelope, `{ message: { content }, code, request_id, data }`.
 * Its doc gives two codes: 102000 (a read) and 102001 (created). It documents
 * no error answers, so Settle's choice is: the HTTP status is Settle's own for
 * that refusal (lib/errors), `code` is 102000 + that status (102401, 102422…),
 * `data` is null, and `error` carries Settle's `{ code, message, fields? }` for
 * a client that wants the reason and every field's message.
 */
export const FINAN_OK = 102_000;
export const FINAN_CREATED = 102_001;
export const finanErrorCode = (status: number) => 102_000 + status;

/** The request's id (the x-request-id answered with, which the logs carry), as Finan's request_id. */
const requestId = () => currentRequestId() ?? newId("req");

export function finanSuccess(code: typeof FINAN_OK | typeof FINAN_CREATED, data: unknown) {
  return { message: { content: code === FINAN_CREATED ? "Payment request created." : "OK." }, code, request_id: requestId(), data };
}

/** A refusal in Finan's envelope: the message, then each field's first message, in `content`. */
export function finanError(status: number, { error }: ErrorBody, request_id = requestId()) {
  const fields = Object.entries(error.fields ?? {}).map(([field, messages]) => `${field}: ${messages[0] ?? ""}`);
  const content = fields.length ? `${error.message} ${fields.join("; ")}` : error.message;
  return { message: { content }, code: finanErrorCode(status), request_id, data: null, error };
}
