/**
 * The request target (path and query) as the client sent it, which proxy.ts
 * forwards to /api/v1 handlers: Next hands a route handler a URL whose query it
 * has re-encoded (`%20` → `+`, `%2f` → `%2F`, `~ : / [ |` escaped), while the
 * proxy, with `skipProxyUrlNormalize`, sees it as sent. Whatever a client puts
 * in this header is dropped by the proxy first.
 */
export const REQUEST_TARGET_HEADER = "x-settle-request-target";

/** The target of a URL string as given: path and query, a trailing `?` kept. */
export function targetOf(url: string): string {
  return url.slice(new URL(url).origin.length);
}

/** Whether `target` names the same path and the same query values as `url`, however each is encoded. */
export function sameRequest(target: string, url: URL): boolean {
  if (!target.startsWith("/")) return false;
  const sent = new URL(target, url.origin);
  if (sent.pathname !== url.pathname) return false;
  const a = [...sent.searchParams];
  const b = [...url.searchParams];
  return a.length === b.length && a.every(([k, v], i) => b[i]![0] === k && b[i]![1] === v);
}
