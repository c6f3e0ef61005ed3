import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { z } from "zod";
import { env, readOrCreateSecret } from "@/lib/env";

/**
 * Secrets at rest (provider signing secrets): AES-256-GCM with a random
 * 96-bit nonce, sealed as `v1.<nonce>.<tag>.<ciphertext>` in base64url.
 * The key is SETTLE_ENCRYPTION_KEY (32 bytes, base64 or hex); on a developer's
 * machine one is generated once into the data folder.
 */
const keySchema = z
  .string()
  .transform((s) => (/^[0-9a-f]{64}$/i.test(s) ? Buffer.from(s, "hex") : Buffer.from(s, "base64")))
  .refine((b) => b.length === 32, "SETTLE_ENCRYPTION_KEY must be 32 bytes, as 64 hex digits or base64.");

let cachedKey: Buffer | undefined;

function key(): Buffer {
  if (cachedKey) return cachedKey;
  const fromEnv = process.env.SETTLE_ENCRYPTION_KEY?.trim();
  if (!fromEnv && env().NODE_ENV === "production") {
    throw new Error(
      "Settle cannot start: SETTLE_ENCRYPTION_KEY is not set. Generate one with `openssl rand -base64 32` and set it in the environment.",
    );
  }
  const parsed = keySchema.safeParse(fromEnv ?? readOrCreateSecret("encryption-key"));
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "Invalid SETTLE_ENCRYPTION_KEY.");
  cachedKey = parsed.data;
  return cachedKey;
}

export function sealSecret(plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", nonce, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** Throws when the value was tampered with or sealed under another key. */
export function openSecret(sealed: string): string {
  const [version, nonce, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !nonce || !tag || ciphertext === undefined) throw new Error("Not a sealed secret.");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(nonce, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
