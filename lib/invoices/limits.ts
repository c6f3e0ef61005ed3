import { type CurrencyCode, currencies } from "@/lib/money";

/**
 * A total the invoice form asks about before creating it (an extra zero is
 * easy to type): a million in the currency's major unit, or a billion where
 * the unit is small (đồng, yen).
 */
export function isLargeTotal(amount: number, currency: CurrencyCode): boolean {
  const { exponent } = currencies[currency];
  return amount / 10 ** exponent >= (exponent === 0 ? 1_000_000_000 : 1_000_000);
}
