import "server-only";
import { headers } from "next/headers";
import { notFound, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { type Database, getDb } from "@/db/client";
import type { Command } from "@/lib/commands/command";
import { getViewer, requireActor, type Viewer } from "@/lib/auth/session";
import { AppError, type FieldErrors } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequest } from "@/lib/log/request-context";
import { refuseNulBytes } from "@/lib/nul-bytes";
import { fieldErrorsOf } from "@/lib/validation";

export type ActionResult<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: FieldErrors };

/**
 * FormData to a plain object; a field sent several times becomes an array,
 * `payload` carries JSON. A NUL character anywhere is refused here as a field
 * error (AppError 422), for no Postgres column can hold one.
 */
export function formToObject(form: FormData): unknown {
  const payload = form.get("payload");
  if (typeof payload === "string") {
    try {
      return refuseNulBytes(JSON.parse(payload) as unknown);
    } catch (err) {
      if (err instanceof AppError) throw err;
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = all.length > 1 ? all : all[0];
  }
  return refuseNulBytes(out);
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
 * What each action made here runs: a command; "user" for the few a signed-in
 * person does to their own account, whatever merchant they work in; or
 * "public" for the few a signed-out visitor may call.
 */
type ActionKind = Command | "user" | "public";
const actionKinds = new WeakMap<object, ActionKind>();

/** For the registry test: the command behind a server action, "user", "public", or undefined for one made by hand. */
export const actionKindOf = (action: unknown): ActionKind | undefined =>
  typeof action === "function" ? actionKinds.get(action) : undefined;

/**
 * Every dashboard server action is a command behind this adapter: the caller
 * is signed in and a member of the current merchant; the command checks the
 * role and the input (every field's error comes back, nothing is thrown at
 * the form), then `respond` turns its result into what the page needs
 * (revalidating what changed).
 */
export function commandAction<S extends z.ZodType, T, R = T>(
  command: Command<S, T>,
  respond: (result: T) => R | Promise<R> = (result) => result as unknown as R,
) {
  const action = (_prev: ActionResult<R> | null, input: FormData | z.input<S>): Promise<ActionResult<R>> =>
    guarded(async () => {
      const actor = await requireActor();
      const raw = input instanceof FormData ? formToObject(input) : input;
      return { ok: true, data: await respond(await command(await getDb(), actor, raw as z.input<S>)) };
    });
  actionKinds.set(action, command as unknown as Command);
  return action;
}

/**
 * For what a person does to their own account (change their password, sign
 * out everywhere): not a merchant command, for it touches no merchant's data
 * and needs no role. Authorised as the signed-in user themself: the session
 * must be live (getViewer), and `run` is handed that user and session only,
 * never an id from the input. The schema may depend on the user (a password
 * is judged against their own name and email).
 */
export function userAction<S extends z.ZodType, T>(
  schema: S | ((user: Viewer["user"]) => S),
  run: (input: z.output<S>, ctx: { db: Database; user: Viewer["user"]; sessionId: string }) => Promise<T>,
) {
  const action = (_prev: ActionResult<T> | null, input: FormData | z.input<S>): Promise<ActionResult<T>> =>
    guarded(async () => {
      const viewer = await getViewer();
      if (!viewer) throw new AppError("unauthenticated", "Sign in to continue.");
      const own = typeof schema === "function" ? schema(viewer.user) : schema;
      const parsed = own.safeParse(input instanceof FormData ? formToObject(input) : input);
      if (!parsed.success) {
        return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
      }
      return { ok: true, data: await run(parsed.data, { db: await getDb(), user: viewer.user, sessionId: viewer.sessionId }) };
    });
  actionKinds.set(action, "user");
  return action;
}

/** For the few actions a signed-out visitor may call (sign-up): zod parsing and error mapping only. */
export function publicAction<S extends z.ZodType, T>(schema: S, run: (input: z.output<S>, db: Database) => Promise<T>) {
  const action = (_prev: ActionResult<T> | null, input: FormData | z.input<S>): Promise<ActionResult<T>> =>
    guarded(async () => {
      const parsed = schema.safeParse(input instanceof FormData ? formToObject(input) : input);
      if (!parsed.success) {
        return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
      }
      return { ok: true, data: await run(parsed.data, await getDb()) };
    });
  actionKinds.set(action, "public");
  return action;
}

/**
 * A plain `<form action>` a signed-out visitor submits with no JavaScript (the
 * sandbox provider's buttons): the form must pass `schema` (404 otherwise),
 * then `run` acts and redirects.
 */
export function publicFormAction<S extends z.ZodType>(schema: S, run: (input: z.output<S>, db: Database) => Promise<void>) {
  const action = (form: FormData): Promise<void> =>
    inActionRequest(async () => {
      let input: unknown;
      try {
        input = formToObject(form);
      } catch {
        notFound();
      }
      const parsed = schema.safeParse(input);
      if (!parsed.success) notFound();
      await run(parsed.data, await getDb());
    });
  actionKinds.set(action, "public");
  return action;
}
