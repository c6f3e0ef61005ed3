/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR),
 * the checksum EMVCo QR codes carry in tag 63, over the UTF-8 bytes.
 */
export function crc16CcittFalse(text: string): number {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** As tag 63 prints it: four upper-case hex digits. */
export const crcHex = (text: string) => crc16CcittFalse(text).toString(16).toUpperCase().padStart(4, "0");
