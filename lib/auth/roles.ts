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
  "webhooks.write": ["owner", "admin"],
  "webhooks.retry": ["owner", "admin", "support"],
  "apikeys.manage": ["owner", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof grants;

export function can(role: Role, permission: Permission): boolean {
  return (grants[permission] as readonly Role[]).includes(role);
}

/** Who is acting: a user, in one merchant, with one role there. */
export interface Actor {
  userId: string;
  merchantId: string;
  role: Role;
}

export function requireRole(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError("forbidden", "Your role does not allow this.");
  }
}
