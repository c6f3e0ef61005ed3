import type { PaymentServiceKind } from "@/db/schema";
import { bankTransferConnector } from "./bank-transfer";
import { redirectConnector } from "./redirect";
import { sandboxConnector } from "./sandbox";
import type { Connector } from "./types";

export const connectors: Record<PaymentServiceKind, Connector> = {
  bank_transfer: bankTransferConnector,
  redirect: redirectConnector,
  sandbox: sandboxConnector,
};

export const connectorFor = (kind: PaymentServiceKind): Connector => connectors[kind];

export type * from "./types";
