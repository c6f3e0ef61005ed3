import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { type Database, getDb } from "@/db/client";
import { type Actor, type Permission, requireRole } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { AppError, type FieldErrors } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequest } from "@/lib/log/request-context";
import { fieldErrorsOf } from "@/lib/validation";

export type ActionResult<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: FieldErrors };

/** FormData to a plain object; a field sent several times becomes an array, `payload` carries JSON. */
export function formToObject(form: FormData): unknown {
  const payload = form.get("payload");
  if (typeof payload === "string") {
    try {
      return JSON.parse(payload);
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** Runs an action inside the request id proxy.ts gave its POST, so whatever it logs can be traced. */
export async function inActionRequest<T>(run: () => Promise<T>): Promise<T> {
  const requestId = requestIdFrom((await headers()).get(REQUEST_ID_HEADER));
  return runWithRequest({ requestId }, run);
}

function failure(err: unknown): ActionResult<never> {
  unstable_rethrow(err);
  if (err instanceof AppError) return { ok: false, error: err.message, fieldErrors: err.fields };
  log.error({ err }, "server action failed");
  return { ok: false, error: "Something went wrong on our side. Please try again." };
}

/** An action's body in its request, with anything it throws turned into a result. */
const guarded = <T>(run: () => Promise<ActionResult<T>>) =>
  inActionRequest(async () => {
    try {
      return await run();
    } catch (err) {
      return failure(err);
    }
  });

/**
 * Every server action goes through here: the caller is signed in, a member of
 * the current merchant with a role that holds `permission`, and the input
 * passes `schema`; errors come back per field instead of being thrown.
 */
export function authorizedAction<S extends z.ZodType, T>(
  schema: S,
  permission: Permission | null,
  run: (input: z.output<S>, ctx: { actor: Actor; db: Database }) => Promise<T>,
) {
  return (_prev: ActionResult<T> | null, input: FormData | z.input<S>): Promise<ActionResult<T>> =>
    guarded(async () => {
      const actor = await requireActor();
      if (permission) requireRole(actor, permission);
      const parsed = schema.safeParse(input instanceof FormData ? formToObject(input) : input);
      if (!parsed.success) {
        return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
      }
      return { ok: true, data: await run(parsed.data, { actor, db: await getDb() }) };
    });
}

/** For the few actions a signed-out visitor may call (sign-up): zod parsing and error mapping only. */
export function publicAction<S extends z.ZodType, T>(schema: S, run: (input: z.output<S>, db: Database) => Promise<T>) {
  return (_prev: ActionResult<T> | null, input: FormData | z.input<S>): Promise<ActionResult<T>> =>
    guarded(async () => {
      const parsed = schema.safeParse(input instanceof FormData ? formToObject(input) : input);
      if (!parsed.success) {
        return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
      }
      return { ok: true, data: await run(parsed.data, await getDb()) };
    });
}
