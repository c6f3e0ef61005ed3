import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { nextRetryAt, parseRetryAfter } from "./retry-schedule";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { generateSigningSecret } from "./secrets";
import { sign, signatureHeaders, webhookBody } from "./signing";

describe("signatures", () => {
  it("any body, id and secret: the standardwebhooks package verifies what we sign, with either secret in a rotation", () => {
    const secrets = Array.from({ length: 4 }, generateSigningSecret);
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^msg_[a-z0-9]{1,26}$/), fc.jsonValue(), fc.nat(3), fc.nat(3), (type, id, data, a, b) => {
        const body = webhookBody({ type, createdAt: new Date(), data });
        const headers = signatureHeaders(id, new Date(), body, [secrets[a]!, secrets[b]!]);
        for (const s of [secrets[a]!, secrets[b]!]) expect(new Webhook(s).verify(body, headers)).toEqual(JSON.parse(body));
        const stranger = secrets.find((s) => s !== secrets[a] && s !== secrets[b])!;
        expect(() => new Webhook(stranger).verify(body, headers)).toThrow();
        expect(() => new Webhook(secrets[a]!).verify(`${body} `, headers)).toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it("signs byte for byte as the standardwebhooks package does, for any id, time, body and secret", () => {
    // Any UTF-16 code unit, lone surrogates included: both encode them as U+FFFD.
    const anyText = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }));
    const secret = fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean())
      .map(([bytes, prefixed]) => `${prefixed ? "whsec_" : ""}${Buffer.from(bytes).toString("base64")}`);
    const at = fc.date({ min: new Date(0), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true });
    fc.assert(
      fc.property(secret, anyText, at, fc.oneof(anyText, fc.json()), (s, id, time, body) => {
        expect(sign(s, id, time, body)).toBe(new Webhook(s).sign(id, time, body));
      }),
      { numRuns: 1_000 },
    );
  });

  it("secrets are whsec_ and 32 random bytes, encrypted at rest with AES-256-GCM", () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stored = sealSecret(secret, "k".repeat(32));
    expect(stored).not.toContain(secret.slice(6));
    expect(sealSecret(secret, "k".repeat(32))).not.toBe(stored);
    expect(openSecret(stored, "k".repeat(32))).toBe(secret);
    expect(() => openSecret(stored, "x".repeat(32))).toThrow();
    const tampered = stored.slice(0, -2) + (stored.endsWith("A") ? "BB" : "AA");
    expect(() => openSecret(tampered, "k".repeat(32))).toThrow();
  });
});

describe("retry schedule", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const at = (d: Date | null) => (d ? (d.getTime() - now.getTime()) / 1000 : null);

  it("steps after the previous attempt, then nothing", () => {
    const schedule = [300, 600, 900];
    expect([1, 2, 3, 4].map((n) => at(nextRetryAt(now, n, schedule, { random: () => 0 })))).toEqual([300, 600, 900, null]);
  });

  it("jitter and Retry-After stay within their bounds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 604_800 }), { minLength: 1, maxLength: 20 }),
        fc.nat(25),
        fc.option(fc.integer({ min: 0, max: 10_000_000 })),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (schedule, attempt, retryAfter, r) => {
          const next = at(nextRetryAt(now, attempt + 1, schedule, { retryAfterSeconds: retryAfter, random: () => r }));
          const step = schedule[attempt];
          if (step === undefined) {
            expect(next).toBeNull();
          } else {
            expect(next).toBeGreaterThanOrEqual(step);
            expect(next).toBeLessThanOrEqual(retryAfter == null ? step * 1.1 + 0.001 : 2 * step);
          }
        },
      ),
    );
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:10:00 GMT", now)).toBe(600);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
