import type { Role } from "@/lib/auth/roles";

/**
 * What an API key may do: a team role below owner, chosen when the key is
 * made and checked by the same rules as a person's (lib/auth/roles.ts). Kept
 * apart from keys.ts so the settings form can show the choices.
 */
export const apiKeyRoles = ["admin", "support", "viewer"] as const satisfies readonly Role[];
export type ApiKeyRole = (typeof apiKeyRoles)[number];

export const apiKeyAccess: Record<ApiKeyRole, { label: string; hint: string }> = {
  admin: { label: "Full access", hint: "Create and void invoices, request payments, manage webhooks." },
  support: { label: "Support", hint: "Read everything and retry webhook deliveries." },
  viewer: { label: "Read only", hint: "Read invoices, payments, services and webhooks; change nothing." },
};
