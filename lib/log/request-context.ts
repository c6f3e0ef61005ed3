import { AsyncLocalStorage } from "node:async_hooks";
import { newId } from "@/lib/ids";

export const REQUEST_ID_HEADER = "x-request-id";

export interface RequestContext {
  requestId: string;
  /** Serverless: webhook delivery after the response is already arranged for this request. */
  deliveryScheduled?: boolean;
}

/**
 * One store per process, on globalThis: Next loads instrumentation (the
 * dispatcher) and routes as separate module graphs, and a log line written
 * by either must see the request it runs for.
 */
const slot = globalThis as unknown as { __settleRequestContext?: AsyncLocalStorage<RequestContext> };
const storage = (slot.__settleRequestContext ??= new AsyncLocalStorage<RequestContext>());

// What a load balancer or a caller may send: UUIDs, ULIDs, trace ids. Anything else is replaced.
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's request id when it is a sane token, else a new one. */
export function requestIdFrom(given: string | null | undefined): string {
  return given && ACCEPTABLE.test(given) ? given : newId("req");
}

export function runWithRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
