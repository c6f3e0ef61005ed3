/**
 * What proxy.ts checks of a server-action request before Next sees it. Next
 * decodes a fetch action's body (a POST with a `Next-Action` header) with
 * React's decodeReply, and answers 500 to anything that fails there: a body
 * that is not JSON, multipart without a boundary or cut short, a body over
 * the size limit. A browser running this app never sends those, so they are
 * a client's mistake, and this says so first: 400, or 413 past the limit.
 *
 * Only the envelope is checked: what React's encodeReply always sends, JSON
 * text or multipart form data whose row "0" is JSON. A body that passes but
 * whose JSON names rows it does not carry (`["$1"]`) still fails inside
 * React, and Next answers that 500: telling it apart would mean
 * re-implementing React's reply format here (README, Security).
 */

/** Next's default `serverActions.bodySizeLimit` (next.config.ts sets none). */
export const ACTION_BODY_LIMIT = 1024 * 1024;

export const ACTION_HEADER = "next-action";

export interface ActionPayloadProblem {
  status: 400 | 413;
  code: "bad_request" | "payload_too_large";
  message: string;
}

const bad = (message: string): ActionPayloadProblem => ({ status: 400, code: "bad_request", message });

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Whether Next would take this request as a fetch action: POST with the header, not a URL-encoded form (Next answers those 404 itself). */
export function isFetchAction(req: Request): boolean {
  return req.method === "POST" && req.headers.has(ACTION_HEADER) && req.headers.get("content-type") !== "application/x-www-form-urlencoded";
}

/** Why this fetch action's body cannot be a server action's arguments, or null when its envelope is sound. */
export async function actionPayloadProblem(req: Request): Promise<ActionPayloadProblem | null> {
  const body = await req.clone().arrayBuffer();
  if (body.byteLength > ACTION_BODY_LIMIT) {
    return { status: 413, code: "payload_too_large", message: `A server action's body may be at most ${ACTION_BODY_LIMIT} bytes.` };
  }
  const contentType = req.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    return isJson(new TextDecoder().decode(body)) ? null : bad("A server action's body must be the JSON or form data a browser sends.");
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return bad("A server action's form data could not be read.");
  }
  const root = form.get("0");
  return typeof root === "string" && isJson(root) ? null : bad("A server action's form data must carry its arguments as JSON in field 0.");
}
