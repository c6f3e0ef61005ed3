import { AppError } from "@/lib/errors";

/** Bodies over this many bytes are refused with 413, before they are read in full. */
export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = () => new AppError("payload_too_large", `Request bodies are at most ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);

/**
 * The raw body as text (signatures cover exactly these bytes), read no further
 * than the limit whatever Content-Length claims.
 */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A body must be JSON, said so by Content-Type (415), and parse (400). An empty body reads as `{}`. */
export function parseJsonBody(raw: string, contentType: string | null): unknown {
  if (raw.trim() === "") return {};
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json" && !type?.endsWith("+json")) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`.");
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
}
