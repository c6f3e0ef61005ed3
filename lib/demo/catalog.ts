import type { CurrencyCode } from "@/lib/money";

/** A small coffee-equipment business selling in four currencies: who buys, and what. */
export const customers: Record<string, { name: string; email?: string; phone?: string }[]> = {
  USD: [
    { name: "Minh Nguyen", email: "minh@example.com" },
    { name: "Sara Haddad", email: "sara@example.com" },
    { name: "Omar Khalil" },
    { name: "Lena Fischer", email: "lena.fischer@example.de" },
    { name: "James Carter", email: "james@carterandco.example" },
    { name: "Priya Raman", email: "priya@example.in" },
    { name: "Daniel Kim", email: "dkim@example.com" },
    { name: "Aisha Bello", email: "aisha@example.ng" },
    { name: "The Daily Grind Café", email: "orders@dailygrind.example" },
  ],
  AED: [
    { name: "Fatima Al Mansoori", email: "fatima@example.ae", phone: "+971 50 123 4567" },
    { name: "Khalid Rahman", email: "khalid@example.ae" },
    { name: "Noura Saeed", phone: "+971 55 765 4321" },
  ],
  VND: [
    { name: "Tran Thi Lan", email: "lan@example.vn" },
    { name: "Lê Văn Hùng", email: "hung.le@example.vn" },
    { name: "Phạm Thu Hà", phone: "+84 90 123 4567" },
  ],
  KWD: [
    { name: "Yousef Al Sabah" },
    { name: "Dana Al Ali", email: "dana@example.kw" },
  ],
};

export const products: Record<string, { name: string; price: string }[]> = {
  USD: [
    { name: "Espresso machine service", price: "120.00" },
    { name: "Descaler", price: "9.50" },
    { name: "Workshop ticket", price: "45.00" },
    { name: "Barista training (half day)", price: "180.00" },
    { name: "Grinder burr set", price: "64.00" },
    { name: "Cold brew kit", price: "38.00" },
    { name: "Coffee beans, 1 kg", price: "24.00" },
    { name: "Milk frothing pitcher", price: "18.50" },
    { name: "Monthly bean subscription", price: "72.00" },
  ],
  AED: [
    { name: "Catering for 20 guests", price: "1,800.00" },
    { name: "Coffee cart hire (4 hours)", price: "950.00" },
    { name: "Arabic coffee set", price: "240.00" },
  ],
  VND: [
    { name: "Trà sen (hộp)", price: "250000" },
    { name: "Cà phê rang xay 500 g", price: "185000" },
    { name: "Bộ phin pha cà phê", price: "120000" },
  ],
  KWD: [
    { name: "Dates gift box", price: "12.750" },
    { name: "Cardamom coffee, 250 g", price: "4.500" },
  ],
};

/** How often each currency comes up, out of 20. */
export const currencyMix: [CurrencyCode, number][] = [
  ["USD", 12],
  ["AED", 3],
  ["VND", 3],
  ["KWD", 2],
];

/** A seeded generator (mulberry32): the same demo every time, relative to when it is made. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const weighted = <T>(xs: readonly [T, number][]): T => {
    let r = next() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  return { next, int, pick, weighted };
}
export type Rng = ReturnType<typeof prng>;
