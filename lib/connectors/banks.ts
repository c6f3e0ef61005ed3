import { Banks } from "vietnam-qr-pay";

export interface VietnameseBank {
  bin: string;
  shortName: string;
  name: string;
  /** The bank code VietQR's bank list and Finan's answers use (`MB`, `ICB`, `VCB`): not the stock ticker. */
  code: string;
}

/**
 * Where the code VietQR's bank list gives a bank (the one Finan answers with,
 * `MB` for MB Bank) differs from vietnam-qr-pay's, which is mostly the stock
 * ticker (`MBB`, `CTG`, `BID`). Every other bank's code is the same in both.
 * Bank codes are public identifiers, keyed here by BIN.
 */
const VIETQR_CODES: Record<string, string> = {
  "546035": "Ubank",
  "668888": "KBank",
  "801011": "NHB HN",
  "970400": "SGICB",
  "970405": "VBA",
  "970406": "Vikki",
  "970408": "GPB",
  "970410": "SCVN",
  "970412": "PVCB",
  "970415": "ICB",
  "970418": "BIDV",
  "970419": "NCB",
  "970422": "MB",
  "970424": "SHBVN",
  "970433": "VIETBANK",
  "970438": "BVB",
  "970440": "SEAB",
  "970442": "HLBVN",
  "970444": "CBB",
  "970454": "VCCB",
  "970455": "IBK - HN",
  "970456": "IBK - HCM",
  "970457": "WVN",
};

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
    return {
      bin: best!.bin,
      shortName: formerly ? `${best!.shortName} (${formerly})` : best!.shortName,
      name: best!.name,
      code: VIETQR_CODES[best!.bin] ?? best!.code,
    };
  })
  .sort((a, b) => a.shortName.localeCompare(b.shortName));

const byBin = new Map(vietnameseBanks.map((b) => [b.bin, b]));

export const bankByBin = (bin: string | undefined): VietnameseBank | undefined => (bin ? byBin.get(bin) : undefined);
