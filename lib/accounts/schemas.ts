import { z } from "zod";
import { optional } from "@/lib/validation";

export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .email("Enter a valid email address.")
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string()
  .min(8, "Use at least 8 characters.")
  .max(200, "Use at most 200 characters.");

export const signupSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: emailSchema,
  password: passwordSchema,
  merchantName: optional(z.string().trim().max(100, "Use at most 100 characters.")),
  inviteToken: optional(z.string().max(200)),
});

export type SignupInput = z.infer<typeof signupSchema>;
