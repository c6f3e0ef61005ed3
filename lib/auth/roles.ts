import { AppError } from "@/lib/errors";

export const roles = ["owner", "admin", "support", "viewer"] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  support: "Support",
  viewer: "Viewer",
};

/** What each role may do beyond reading its merchant's data (every role can read). */
const grants = {
  "team.manage": ["owner", "admin"],
  "merchant.manage": ["owner", "admin"],
  "invoices.write": ["owner", "admin"],
  "payments.write": ["owner", "admin"],
  // Money going back: the same people who record money coming in; support and viewers see refunds only.
  "refunds.write": ["owner", "admin"],
  "webhooks.write": ["owner", "admin"],
  "webhooks.retry": ["owner", "admin", "support"],
  "apikeys.manage": ["owner", "admin"],
  // Wipes the test space in one go: the owner's call alone (no API key holds it either).
  "test_data.delete": ["owner"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof grants;

export function can(role: Role, permission: Permission): boolean {
  return (grants[permission] as readonly Role[]).includes(role);
}

/**
 * What an API key may do: a team role below owner, chosen when the key is
 * made and checked by the same rules as a person's.
 */
export const apiKeyRoles = ["admin", "support", "viewer"] as const satisfies readonly Role[];
export type ApiKeyRole = (typeof apiKeyRoles)[number];

export const apiKeyAccess: Record<ApiKeyRole, { label: string; hint: string }> = {
  admin: { label: "Full access", hint: "Create and void invoices, request payments, refund payments, link payment services, manage webhooks." },
  support: { label: "Support", hint: "Read everything and retry webhook deliveries." },
  viewer: { label: "Read only", hint: "Read invoices, payments, services and webhooks; change nothing." },
};

/** Where an actor works: one data space of one merchant account. */
export interface ActorSpace {
  /**
   * The data space: the account's live row, or its test space
   * (db/schema/accounts.ts). Every query of the merchant's data is scoped by
   * it, so it is scoped by mode as well.
   */
  merchantId: string;
  /** The merchant account (its live row): what the team, memberships and the business name belong to. */
  accountId: string;
  /** false in test mode, where the sandbox lives and no money moves. */
  livemode: boolean;
}

/**
 * Who is acting, in one merchant and mode: a member with their role there, or
 * an API key (`apiKeyId`) with its access as its role, in the name of the
 * person who made it (so audit entries say who that was).
 */
export type Actor =
  | (ActorSpace & { userId: string; role: Role; apiKeyId?: undefined })
  | (ActorSpace & { userId: string; role: ApiKeyRole; apiKeyId: string });

/** Refuses (403) an actor whose role does not grant `permission`; a key is told which access it has. */
export function requireRole(actor: Actor, permission: Permission): void {
  if (can(actor.role, permission)) return;
  if (actor.apiKeyId) {
    throw new AppError("forbidden", `This API key's access (${apiKeyAccess[actor.role].label.toLowerCase()}) does not allow this.`);
  }
  throw new AppError("forbidden", "Your role does not allow this.");
}
