import QRCode from "qrcode";
import type { CheckoutMethod } from "./view";

/** A QR method of the checkout, as the QR panel shows it. */
export type QrMethod = CheckoutMethod & { instruction: { kind: "qr" } };

const isQr = (m: CheckoutMethod): m is QrMethod => m.instruction.kind === "qr";

/** The QR the customer saves: the method they chose when it is a QR, else the first QR on offer; null when none is. */
export function qrMethodFor(methods: CheckoutMethod[], key: string | null | undefined): QrMethod | null {
  const chosen = methods.find((m) => m.key === key);
  if (chosen && isQr(chosen)) return chosen;
  return methods.find(isQr) ?? null;
}

/**
 * The checkout's QR as a PNG, to save and scan from the phone's gallery in a
 * banking app: the same payload and error correction (M) as the page's SVG,
 * black on white whatever the page's colour scheme, with the four-module quiet
 * zone that scanning from an image needs.
 */
export function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: "png", errorCorrectionLevel: "M", margin: 4, width: 720, color: { dark: "#000000ff", light: "#ffffffff" } });
}
