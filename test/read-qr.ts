import jsQR from "jsqr";
import { PNG } from "pngjs";

/** What a scanner reads from a PNG image of a QR code (null when it finds none). */
export function readQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}
