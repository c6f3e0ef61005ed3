import { z } from "zod";
import { emailSchema } from "@/lib/accounts/schemas";
import { roles } from "@/lib/auth/roles";

const roleSchema = z.enum(roles, { message: "Choose a role." });

export const inviteSchema = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.object({ membershipId: z.string().min(1).max(100), role: roleSchema });
export const removeMemberSchema = z.object({ membershipId: z.string().min(1).max(100) });
export const revokeInviteSchema = z.object({ inviteId: z.string().min(1).max(100) });
export const acceptInviteSchema = z.object({ token: z.string().min(10).max(200) });
