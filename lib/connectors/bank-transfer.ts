import { bankByBin } from "./banks";
import { verifySignedNotification } from "./signed";
import type { Connector } from "./types";
import { buildVietQr } from "./vietqr";
import { remarkFor } from "@/lib/payment-links/code";

/**
 * A Vietnamese bank account: the customer scans a VietQR code whose remark
 * carries the link's code; the bank's signed notification (amount, remark,
 * transaction id) finds the link through that remark.
 */
export const bankTransferConnector: Connector = {
  kind: "bank_transfer",
  flows: (service, currency) => (currency === "VND" && service.config.bankBin && service.config.accountNumber ? ["qr"] : []),
  createPayment(service, link) {
    const { bankBin = "", accountNumber = "", accountName = "" } = service.config;
    const remark = remarkFor(link.code);
    return {
      kind: "qr",
      payload: buildVietQr({ bin: bankBin, accountNumber, amount: link.due > 0 ? link.due : undefined, remark }),
      bank: { bankName: bankByBin(bankBin)?.shortName ?? bankBin, accountNumber, accountName, remark },
    };
  },
  verifyNotification: (service, request) => verifySignedNotification(service, request, "bank_transfer"),
};
