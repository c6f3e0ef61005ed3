import { z } from "zod";
import { optional } from "@/lib/validation";
import { passwordWeakness } from "./password-strength";

export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .email("Enter a valid email address.")
  .transform((e) => e.toLowerCase());

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

/** A password's length; its guessability needs the person (see `signupSchema`). */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, "Use at least 8 characters.")
  .max(PASSWORD_MAX, "Use at most 200 characters.");

/** What a sign-in form sends: checked only for size, never for shape (a wrong email is a wrong credential, not a field error). */
export const credentialsSchema = z.object({ email: z.string().max(254), password: z.string().max(PASSWORD_MAX) });

export const signupSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: emailSchema,
  password: passwordSchema,
  merchantName: optional(z.string().trim().max(100, "Use at most 100 characters.")),
  inviteToken: optional(z.string().max(200)),
}).superRefine(({ email, name, password }, ctx) => {
  // Guessability (common passwords, keyboard walks, the person's own name or email), reported with the
  // other fields' errors; a password of the wrong length already has its message.
  if (typeof password !== "string" || password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) return;
  const weakness = passwordWeakness(password, { email, name });
  if (weakness) ctx.addIssue({ code: "custom", path: ["password"], message: weakness });
});

export type SignupInput = z.infer<typeof signupSchema>;
