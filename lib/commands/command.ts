import type { z } from "zod";
import type { Database } from "@/db/client";
import { transaction } from "@/db/transaction";
import { type Actor, type Permission, requireRole } from "@/lib/auth/roles";
import { parseInput } from "@/lib/validation";

/**
 * What a command's body works in: the transaction it runs in (or the plain
 * handle, for a command that talks to the outside world first), who acts, and
 * the merchant every query of it is scoped by.
 */
export interface Scope {
  tx: Database;
  actor: Actor;
  /** The data space (the account's live or test row): every query of the merchant's data names it. */
  merchantId: string;
  /** The account (its live row): for the team, memberships and the business name only. */
  accountId: string;
  /** The space's mode: false in test mode. */
  livemode: boolean;
}

export interface CommandSpec<S extends z.ZodType, T> {
  /** `noun.verb`, unique: how the registry, the audit and the tests name it. */
  name: string;
  /** What the actor's role must grant; the runner checks it, once, before anything else. */
  permission: Permission;
  /** The input, checked before `run` sees it: every bad field is reported, nothing is written. */
  input: S;
  /**
   * false: `run` gets the plain handle and opens what transactions it needs
   * itself (through db/transaction.ts), because it waits on another server
   * (a webhook receiver) that must not hold a transaction open.
   */
  transactional?: false;
  run(scope: Scope, data: z.output<S>): Promise<T>;
}

/**
 * A use case, the same for the dashboard, the API and the seed. Call it as
 * `command(db, actor, input)`: the role is checked, the input parsed, and the
 * body run in one transaction (joining the caller's, when it has one).
 * Another command's body composes it with `command.run(scope, data)`: the
 * outer command has checked its own permission, and its input is already parsed.
 */
export interface Command<S extends z.ZodType = z.ZodType, T = unknown> extends Readonly<CommandSpec<S, T>> {
  (db: Database, actor: Actor, input: z.input<S>): Promise<T>;
}

export function defineCommand<S extends z.ZodType, T>(spec: CommandSpec<S, T>): Command<S, T> {
  const command = async (db: Database, actor: Actor, input: z.input<S>): Promise<T> => {
    requireRole(actor, spec.permission);
    const data = parseInput(spec.input, input);
    const space = { actor, merchantId: actor.merchantId, accountId: actor.accountId, livemode: actor.livemode };
    if (spec.transactional === false) return spec.run({ tx: db, ...space }, data);
    return transaction(db, (tx) => spec.run({ tx, ...space }, data));
  };
  // `name` of a function is read-only: define it, and the rest, as properties.
  return Object.defineProperties(command, {
    name: { value: spec.name },
    permission: { value: spec.permission },
    input: { value: spec.input },
    transactional: { value: spec.transactional },
    run: { value: spec.run },
  }) as unknown as Command<S, T>;
}
