import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { encryptionKey } from "@/lib/env";

const VERSION = "v1";

let cachedKey: { source: string; key: Buffer } | undefined;

function key(source = encryptionKey()): Buffer {
  if (cachedKey?.source !== source) {
    // The configured value is a high-entropy secret of any encoding; SHA-256 makes it exactly 32 bytes.
    cachedKey = { source, key: createHash("sha256").update(source).digest() };
  }
  return cachedKey.key;
}

/** A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** AES-256-GCM: `v1:` + base64url(iv ‖ tag ‖ ciphertext). */
export function encryptSecret(plain: string, keySource?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(keySource), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

export function decryptSecret(stored: string, keySource?: string): string {
  const [version, packed] = stored.split(":", 2);
  if (version !== VERSION || !packed) throw new Error("unknown secret encoding");
  const raw = Buffer.from(packed, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key(keySource), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
