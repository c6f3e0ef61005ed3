import { crcHex } from "./crc16";

/** NAPAS's application id for VietQR (tag 38, sub-tag 00). */
const NAPAS_GUID = "A000000727";
/** "Transfer to an account" service code (tag 38, sub-tag 02). */
const TO_ACCOUNT = "QRIBFTTA";
const VND_NUMERIC = "704";
/** EMVCo limits the purpose of transaction (62/08) to 25 characters. */
export const REMARK_MAX = 25;

/** One EMVCo TLV field: two-digit tag, two-digit length, value (lengths count characters of this ASCII-only data). */
export function tlv(tag: string, value: string): string {
  if (!/^\d{2}$/.test(tag)) throw new RangeError(`bad EMVCo tag ${tag}`);
  if (value.length > 99) throw new RangeError(`EMVCo field ${tag} is longer than 99 characters`);
  return `${tag}${String(value.length).padStart(2, "0")}${value}`;
}

/**
 * A transfer remark every Vietnamese bank passes through intact: ASCII letters,
 * digits and single spaces, at most 25 characters. Diacritics are folded
 * ("Chuyển tiền" → "Chuyen tien", "đ" → "d"); anything else is dropped.
 */
export function toRemark(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^A-Za-z0-9 ]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, REMARK_MAX)
    .trim();
}

export interface VietQrInput {
  bin: string;
  accountNumber: string;
  /** VND, whole đồng; omitted for a static QR that lets the payer type the amount. */
  amount?: number;
  remark?: string;
}

/** The EMVCo / VietQR payload a banking app scans: tags 00, 01, 38, 53, 54, 58, 62 and the CRC in 63. */
export function buildVietQr({ bin, accountNumber, amount, remark }: VietQrInput): string {
  if (!/^\d{6}$/.test(bin)) throw new RangeError("A bank BIN is six digits.");
  if (!/^[0-9A-Za-z]{1,19}$/.test(accountNumber)) throw new RangeError("An account number is 1–19 letters or digits.");
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0 || String(amount).length > 13)) {
    throw new RangeError("A QR amount is a whole number of đồng, 1 to 13 digits.");
  }
  const cleanRemark = remark === undefined ? "" : toRemark(remark);
  const beneficiary = tlv("00", bin) + tlv("01", accountNumber);
  const merchantAccount = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", TO_ACCOUNT);
  const body =
    tlv("00", "01") +
    // 12 = dynamic: a one-off code with its amount; 11 = static, reusable.
    tlv("01", amount !== undefined ? "12" : "11") +
    tlv("38", merchantAccount) +
    tlv("53", VND_NUMERIC) +
    (amount !== undefined ? tlv("54", String(amount)) : "") +
    tlv("58", "VN") +
    (cleanRemark ? tlv("62", tlv("08", cleanRemark)) : "") +
    "6304";
  return body + crcHex(body);
}

/** Reads a payload's top-level fields; checks the CRC so a damaged code is refused. */
export function parseEmvco(payload: string): Map<string, string> {
  const fields = new Map<string, string>();
  let i = 0;
  while (i < payload.length) {
    const tag = payload.slice(i, i + 2);
    const len = Number(payload.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(tag) || !Number.isInteger(len) || i + 4 + len > payload.length) throw new Error("Malformed EMVCo payload.");
    fields.set(tag, payload.slice(i + 4, i + 4 + len));
    i += 4 + len;
  }
  const crc = fields.get("63");
  if (!crc || crcHex(payload.slice(0, -4)) !== crc) throw new Error("EMVCo checksum mismatch.");
  return fields;
}

/** The beneficiary bank's BIN a VietQR names (tag 38 → 01 → 00); undefined for anything else (a URL, a damaged code). */
export function binOfVietQr(payload: string): string | undefined {
  try {
    const account = parseEmvco(payload).get("38");
    if (!account) return undefined;
    const sub = (value: string, tag: string) => {
      let i = 0;
      while (i + 4 <= value.length) {
        const len = Number(value.slice(i + 2, i + 4));
        if (!Number.isInteger(len)) return undefined;
        if (value.slice(i, i + 2) === tag) return value.slice(i + 4, i + 4 + len);
        i += 4 + len;
      }
      return undefined;
    };
    const beneficiary = sub(account, "01");
    const bin = beneficiary === undefined ? undefined : sub(beneficiary, "00");
    return bin && /^\d{6}$/.test(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}
