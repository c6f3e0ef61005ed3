import { Banks } from "vietnam-qr-pay";

export interface VietnameseBank {
  bin: string;
  shortName: string;
  name: string;
}

/**
 * Banks that can receive a VietQR transfer, from the list vietnam-qr-pay
 * keeps in step with NAPAS; sorted by the short name people know them by.
 * One per BIN (the BIN is what a transfer names): a renamed bank is listed
 * under both names (DongA Bank became Vikki Bank, 970406), so the entry that
 * supports transfers best keeps its names and the old short name follows in
 * brackets, where someone looking for it still finds it.
 */
const receiving = Banks.filter((b) => !b.deprecated && b.vietQRStatus >= 0 && /^\d{6}$/.test(b.bin));
const sameBin = new Map<string, typeof receiving>();
for (const b of receiving) sameBin.set(b.bin, [...(sameBin.get(b.bin) ?? []), b]);

export const vietnameseBanks: VietnameseBank[] = [...sameBin.values()]
  .map((same) => {
    const [best, ...others] = same.sort((a, b) => b.vietQRStatus - a.vietQRStatus);
    const formerly = others.map((b) => b.shortName).join(", ");
    return { bin: best!.bin, shortName: formerly ? `${best!.shortName} (${formerly})` : best!.shortName, name: best!.name };
  })
  .sort((a, b) => a.shortName.localeCompare(b.shortName));

const byBin = new Map(vietnameseBanks.map((b) => [b.bin, b]));

export const bankByBin = (bin: string | undefined): VietnameseBank | undefined => (bin ? byBin.get(bin) : undefined);
