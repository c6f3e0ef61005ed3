import type { PaymentServiceConfig, PaymentServiceKind } from "@/db/schema";
import type { PaymentMethod } from "@/db/schema";

/** A payment service as a connector sees it: the secret already opened. */
export interface ServiceContext {
  id: string;
  merchantId: string;
  kind: PaymentServiceKind;
  name: string;
  config: PaymentServiceConfig;
  secret: string | null;
}

/** What a connector needs of a payment link to ask for money. */
export interface LinkContext {
  id: string;
  code: string;
  currency: string;
  /** What is still owed on the link, in minor units. */
  due: number;
  merchantName: string;
  /** The customer's checkout language: a provider that sends them back keeps it on the way (`lang`). */
  locale?: string;
}

export type Flow = "qr" | "redirect";

export interface BankDetails {
  bankName: string;
  accountNumber: string;
  accountName: string;
  remark: string;
}

export type PaymentInstruction =
  | { kind: "qr"; payload: string; bank?: BankDetails }
  | { kind: "redirect"; url: string };

/** What one provider message says happened to one transaction. */
export interface NotificationFacts {
  providerRef: string;
  status: "succeeded" | "failed";
  amount: number;
  currency?: string;
  /** How the provider points at the link: its id or code, or (bank transfers) a remark containing the code. */
  paymentLinkId?: string;
  linkCode?: string;
  remark?: string;
  method: PaymentMethod;
  message?: string;
  cardLast4?: string;
}

export type Verification =
  | { ok: true; facts: NotificationFacts }
  /** An unsigned callback: only a reference, to be confirmed with `fetchStatus`. */
  | { ok: true; lookup: string }
  | { ok: false; status: 400 | 401; message: string };

export interface Connector {
  kind: PaymentServiceKind;
  /** The flows this service can offer for a link in this currency (none: not offered). */
  flows(service: ServiceContext, currency: string): Flow[];
  createPayment(service: ServiceContext, link: LinkContext, flow: Flow, origin: string): PaymentInstruction;
  verifyNotification(service: ServiceContext, request: { headers: Headers; body: string; now?: Date }): Verification;
  fetchStatus?(service: ServiceContext, providerRef: string): Promise<NotificationFacts>;
}
