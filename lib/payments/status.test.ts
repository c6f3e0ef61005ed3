import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { statusOf } from "./status";

const money = fc.nat({ max: Number.MAX_SAFE_INTEGER });

describe("statusOf", () => {
  it("is unpaid exactly when nothing was paid", () => {
    fc.assert(
      fc.property(money, money, (amount, paid) => {
        expect(statusOf(amount, paid) === "unpaid").toBe(paid === 0);
      }),
    );
  });

  it("orders paid against amount: partial below, paid equal, extra above", () => {
    fc.assert(
      fc.property(money, money, (amount, paid) => {
        fc.pre(paid > 0);
        const expected = paid < amount ? "partial" : paid === amount ? "paid" : "extra";
        expect(statusOf(amount, paid)).toBe(expected);
      }),
    );
  });

  it("never moves backwards as more money arrives", () => {
    const rank = { unpaid: 0, partial: 1, paid: 2, extra: 3 };
    fc.assert(
      fc.property(fc.nat({ max: 1e12 }), fc.nat({ max: 1e12 }), fc.nat({ max: 1e12 }), (amount, paid, more) => {
        expect(rank[statusOf(amount, paid + more)]).toBeGreaterThanOrEqual(rank[statusOf(amount, paid)]);
      }),
    );
  });

  it("reads the Finan examples", () => {
    expect([statusOf(100, 0), statusOf(100, 40), statusOf(100, 100), statusOf(100, 130)]).toEqual(["unpaid", "partial", "paid", "extra"]);
  });
});
