import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, signNotification, TIMESTAMP_HEADER, verifySignature } from "./signature";

const secret = "pss_test-secret-0123456789";
const body = JSON.stringify({ id: "txn_1", amount: 10000, remark: "SETTLE ABCDEFGH" });
const now = new Date("2026-01-01T12:00:00Z");

describe("notification signatures", () => {
  it("accepts a good signature", () => {
    expect(verifySignature(secret, new Headers(signNotification(secret, body, now)), body, now)).toEqual({ ok: true });
  });

  it("refuses a changed body, a wrong secret or a missing header", () => {
    const headers = new Headers(signNotification(secret, body, now));
    expect(verifySignature(secret, headers, body.replace("10000", "90000"), now).ok).toBe(false);
    expect(verifySignature("another-secret-0123456789", headers, body, now).ok).toBe(false);
    const missing = new Headers(headers);
    missing.delete(SIGNATURE_HEADER);
    expect(verifySignature(secret, missing, body, now)).toMatchObject({ ok: false, message: /Missing/ });
  });

  it("refuses a stale or future timestamp, even with a valid signature", () => {
    const old = new Headers(signNotification(secret, body, new Date(now.getTime() - 5 * 60_000 - 1000)));
    expect(verifySignature(secret, old, body, now)).toMatchObject({ ok: false, message: /5-minute/ });
    const future = new Headers(signNotification(secret, body, new Date(now.getTime() + 6 * 60_000)));
    expect(verifySignature(secret, future, body, now).ok).toBe(false);
  });

  it("a replay inside the window verifies (idempotency in the ledger absorbs it); after the window it does not", () => {
    const captured = new Headers(signNotification(secret, body, now));
    expect(verifySignature(secret, captured, body, new Date(now.getTime() + 60_000)).ok).toBe(true);
    expect(verifySignature(secret, captured, body, new Date(now.getTime() + 10 * 60_000)).ok).toBe(false);
  });

  it("refuses a re-timestamped signature (the timestamp is signed too)", () => {
    const headers = new Headers(signNotification(secret, body, new Date(now.getTime() - 60 * 60_000)));
    headers.set(TIMESTAMP_HEADER, String(Math.floor(now.getTime() / 1000)));
    expect(verifySignature(secret, headers, body, now)).toMatchObject({ ok: false, message: /does not match/ });
  });

  it("round-trips any body, and any one-character change breaks it", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), (text, pos) => {
        const headers = new Headers(signNotification(secret, text, now));
        expect(verifySignature(secret, headers, text, now).ok).toBe(true);
        const i = pos % text.length;
        const changed = text.slice(0, i) + (text[i] === "a" ? "b" : "a") + text.slice(i + 1);
        expect(verifySignature(secret, headers, changed, now).ok).toBe(false);
      }),
    );
  });
});
