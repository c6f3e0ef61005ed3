import { describe, expect, it } from "vitest";
import { readQrPng } from "@/test/read-qr";
import { buildVietQr } from "@/lib/connectors/vietqr";
import { qrMethodFor, qrPng } from "./qr-image";
import type { CheckoutMethod } from "./view";

const method = (key: string, instruction: CheckoutMethod["instruction"]): CheckoutMethod => ({
  key,
  serviceName: key,
  sandbox: false,
  flow: instruction.kind,
  instruction,
});

describe("the saved QR image", () => {
  it("is a PNG that a scanner reads as the VietQR payload, byte for byte", async () => {
    const payload = buildVietQr({ bin: "970416", accountNumber: "257678859", amount: 168970, remark: "SETTLE PRJXH9KU" });
    const png = await qrPng(payload);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(readQrPng(png)).toBe(payload);
  });

  it("carries a long sandbox URL too", async () => {
    const payload = "https://settle.example/sandbox/PRJXH9KU?service=svc_01jnw1a1b1c1d1e1f1g1h1j1k1&flow=qr&lang=ar";
    expect(readQrPng(await qrPng(payload))).toBe(payload);
  });
});

describe("qrMethodFor", () => {
  const card = method("svc_a.redirect", { kind: "redirect", url: "https://pay.example/x" });
  const bank = method("svc_b.qr", { kind: "qr", payload: "000201" });
  const sandbox = method("svc_c.qr", { kind: "qr", payload: "https://settle.example/sandbox/X" });

  it("takes the chosen method when it is a QR", () => {
    expect(qrMethodFor([card, bank, sandbox], "svc_c.qr")?.key).toBe("svc_c.qr");
  });

  it("falls back to the first QR when the choice is a redirect, unknown or missing", () => {
    expect(qrMethodFor([card, bank, sandbox], "svc_a.redirect")?.key).toBe("svc_b.qr");
    expect(qrMethodFor([card, bank, sandbox], "nope")?.key).toBe("svc_b.qr");
    expect(qrMethodFor([card, bank, sandbox], null)?.key).toBe("svc_b.qr");
  });

  it("is null when no QR is on offer (a card-only or closed link)", () => {
    expect(qrMethodFor([card], "svc_a.redirect")).toBeNull();
    expect(qrMethodFor([], null)).toBeNull();
  });
});
