import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { encryptionKey } from "@/lib/env";

/**
 * Secrets at rest (webhook signing secrets, provider secrets): AES-256-GCM with
 * a random 96-bit nonce, sealed as `v1.<nonce>.<tag>.<ciphertext>` in base64url.
 * The key comes from SETTLE_ENCRYPTION_KEY (any high-entropy string of 32+
 * characters; SHA-256 makes it exactly 32 bytes); on a developer's machine one
 * is generated once into the data folder.
 */
let cached: { source: string; key: Buffer } | undefined;

function key(source = encryptionKey()): Buffer {
  if (cached?.source !== source) cached = { source, key: createHash("sha256").update(source).digest() };
  return cached.key;
}

export function sealSecret(plaintext: string, keySource?: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(keySource), nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", ...[nonce, cipher.getAuthTag(), ciphertext].map((p) => p.toString("base64url"))].join(".");
}

/** Throws when the value was tampered with or sealed under another key. */
export function openSecret(sealed: string, keySource?: string): string {
  const [version, nonce, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !nonce || !tag || ciphertext === undefined) throw new Error("Not a sealed secret.");
  const decipher = createDecipheriv("aes-256-gcm", key(keySource), Buffer.from(nonce, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
