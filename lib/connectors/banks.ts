import { Banks } from "vietnam-qr-pay";

export interface VietnameseBank {
  bin: string;
  shortName: string;
  name: string;
}

/**
 * Banks that can receive a VietQR transfer, from the list vietnam-qr-pay
 * keeps in step with NAPAS; sorted by the short name people know them by.
 */
export const vietnameseBanks: VietnameseBank[] = Banks.filter((b) => !b.deprecated && b.vietQRStatus >= 0 && /^\d{6}$/.test(b.bin))
  .map((b) => ({ bin: b.bin, shortName: b.shortName, name: b.name }))
  .sort((a, b) => a.shortName.localeCompare(b.shortName));

const byBin = new Map(vietnameseBanks.map((b) => [b.bin, b]));

export const bankByBin = (bin: string | undefined): VietnameseBank | undefined => (bin ? byBin.get(bin) : undefined);
