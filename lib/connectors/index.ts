import type { PaymentServiceKind } from "@/db/schema";
import { bankTransferConnector } from "./bank-transfer";
import { finanConnector } from "./finan";
import { foloosiConnector } from "./foloosi";
import { furatpayConnector } from "./furatpay";
import { ipintConnector } from "./ipint";
import { myfatoorahConnector } from "./myfatoorah";
import { redirectConnector } from "./redirect";
import { sandboxConnector } from "./sandbox";
import type { Connector } from "./types";

export const connectors: Record<PaymentServiceKind, Connector> = {
  bank_transfer: bankTransferConnector,
  redirect: redirectConnector,
  sandbox: sandboxConnector,
  myfatoorah: myfatoorahConnector,
  foloosi: foloosiConnector,
  ipint: ipintConnector,
  finan: finanConnector,
  furatpay: furatpayConnector,
};

export const connectorFor = (kind: PaymentServiceKind): Connector => connectors[kind];

export type * from "./types";
