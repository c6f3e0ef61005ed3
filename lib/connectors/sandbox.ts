import { verifySignedNotification } from "./signed";
import type { Connector } from "./types";
import { remarkFor } from "@/lib/payment-links/code";

export const SANDBOX_BANK = { bankName: "Settle Sandbox Bank", accountNumber: "0001 2345 6789" } as const;

/**
 * The built-in provider: its QR opens the sandbox "bank app" and its redirect
 * the sandbox "card page"; both pages send real signed notifications back.
 * Its refunds end at once, or fail when a test asks them to.
 */
export const sandboxConnector: Connector = {
  kind: "sandbox",
  flows: () => ["qr", "redirect"],
  createPayment(service, link, flow, origin) {
    const lang = link.locale ? `&lang=${encodeURIComponent(link.locale)}` : "";
    const url = `${origin}/sandbox/${link.code}?service=${encodeURIComponent(service.id)}&flow=${flow}${lang}`;
    if (flow === "redirect") return { kind: "redirect", url };
    return {
      kind: "qr",
      payload: url,
      bank: { ...SANDBOX_BANK, accountName: link.merchantName, remark: remarkFor(link.code) },
    };
  },
  verifyNotification: (service, request) => verifySignedNotification(service, request, "bank_transfer"),
  // Refunds at once, ending as the test asked: it succeeds unless told to fail.
  async refund(_service, { refundId, simulate }) {
    const providerRef = `sbr_${refundId}`;
    return simulate === "fail" ? { status: "failed", message: "The sandbox declined this refund, as asked.", providerRef } : { status: "succeeded", providerRef };
  },
};
