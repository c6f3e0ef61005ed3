import type { z } from "zod";
import type { PaymentMethod, PaymentServiceConfig, PaymentServiceKind } from "@/db/schema";

/** A payment service as a connector sees it: its secrets already opened. */
export interface ServiceContext {
  id: string;
  merchantId: string;
  kind: PaymentServiceKind;
  name: string;
  /** Public settings: the built-in kinds' fields, or what a gateway's `setup` marks as not secret. */
  config: PaymentServiceConfig;
  /** The built-in kinds' notification signing secret. */
  secret: string | null;
  /** A gateway connector's secret fields (API key, webhook secret…), by field name. */
  credentials: Record<string, string>;
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
  /** The invoice's number and its customer, for gateways that show or require them. */
  invoiceNumber?: string;
  description?: string | null;
  customerName?: string | null;
  customerEmail?: string | null;
}

/**
 * A payment a remote gateway is asked to start: Settle's session id is the
 * merchant reference the gateway is given (its order id, customer reference…),
 * so its notification finds the link again; the URLs bring the customer back
 * and tell Settle what happened.
 */
export interface SessionContext {
  sessionId: string;
  returnUrl: string;
  notifyUrl: string;
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

/** What a remote gateway answered when asked to start a payment. */
export interface StartedPayment {
  instruction: PaymentInstruction;
  /** The gateway's own id for the session (MyFatoorah's InvoiceId, iPint's session_id…). */
  providerRef?: string;
}

/** What one provider message says happened to one transaction. */
export interface NotificationFacts {
  providerRef: string;
  /** processing: money seen, not final (a crypto payment waiting for confirmations); never counted as paid. */
  status: "succeeded" | "failed" | "processing";
  /** Minor units of `currency` (or the link's currency); a gateway's decimal strings are converted exactly. */
  amount: number;
  currency?: string;
  /** How the provider points at the link: its id or code, or (bank transfers) a remark containing the code. */
  paymentLinkId?: string;
  linkCode?: string;
  remark?: string;
  /** Settle's session id given to the gateway, or the gateway's own session id (provider_sessions). */
  sessionRef?: string;
  method: PaymentMethod;
  message?: string;
  cardLast4?: string;
  /** A processing crypto payment's block confirmations: seen so far, and needed. */
  confirmations?: { seen: number; required: number };
}

/** A refund Settle asks a gateway to make: Settle's refund id is the reference the gateway is given. */
export interface RefundRequest {
  refundId: string;
  /** The refunded payment as the gateway knows it (payments.provider_ref). */
  paymentRef: string;
  /** Minor units of `currency`, at most what is still refundable. */
  amount: number;
  currency: string;
  reason: string;
  /** Test mode's sandbox only: how its simulated refund ends. */
  simulate?: "succeed" | "fail";
}

/**
 * What a gateway answered: done at once, accepted and to be confirmed (its
 * refund notification or a later lookup), or refused with its message.
 */
export interface RefundOutcome {
  status: "succeeded" | "pending" | "failed";
  /** The gateway's own refund id: notifications name it. */
  providerRef?: string;
  message?: string;
  /** The gateway's answer, kept on the refund for support staff. */
  raw?: unknown;
}

/** What a gateway's refund notification says happened to one refund. */
export interface RefundNotice {
  /** The gateway's refund id. */
  providerRef: string;
  /** The refunded payment's reference (payments.provider_ref), for a refund made outside Settle (the gateway's portal). */
  paymentRef?: string;
  /** Settle's refund id, when the gateway echoes the reference it was given. */
  reference?: string;
  status: "succeeded" | "failed";
  /** Minor units. */
  amount: number;
  currency?: string;
  message?: string;
}

export type Verification =
  | { ok: true; facts: NotificationFacts }
  /** A refund's outcome (MyFatoorah's RefundStatusChanged). */
  | { ok: true; refund: RefundNotice }
  /** An unsigned callback: only a reference, to be confirmed with `fetchStatus`. */
  | { ok: true; lookup: string }
  /** Authentic and understood, but nothing Settle acts on (yet): stored as "ignored" with this reason. */
  | { ok: true; ignored: string }
  | { ok: false; status: 400 | 401; message: string };

/** One field of a gateway's settings form; secret fields are sealed at rest and never shown again. */
export interface SetupField {
  name: string;
  label: string;
  secret?: boolean;
  type?: "text" | "url";
  placeholder?: string;
  hint?: string;
  /** May be left empty. */
  optional?: boolean;
}

/** How a merchant links a gateway in Settings → Payment services. */
export interface ConnectorSetup {
  /** The gateway's name, as the kind picker shows it. */
  label: string;
  /** One line under the form: what the customer does and what the gateway needs. */
  description: string;
  fields: SetupField[];
  /** The fields' values as the form posts them (strings), with field-level messages; keys are the fields' names. */
  schema: z.ZodObject<z.ZodRawShape>;
}

/** The HTTP answer a gateway expects once its notification is handled. */
export interface Acknowledgement {
  status: number;
  body: string;
  contentType?: string;
}

export interface Connector {
  kind: PaymentServiceKind;
  /** Gateway connectors: the settings form; absent for the built-in kinds (bank transfer, redirect, sandbox). */
  setup?: ConnectorSetup;
  /** The flows this service can offer for a link in this currency (none: not offered). */
  flows(service: ServiceContext, currency: string): Flow[];
  /** Local connectors: what the customer is given, computed without asking anyone. */
  createPayment?(service: ServiceContext, link: LinkContext, flow: Flow, origin: string): PaymentInstruction;
  /**
   * Remote connectors: ask the gateway to start a payment (its hosted page, its
   * QR). Called once per session, not per page view (lib/payment-services/sessions).
   */
  startPayment?(service: ServiceContext, link: LinkContext, flow: Flow, session: SessionContext): Promise<StartedPayment>;
  verifyNotification(service: ServiceContext, request: { headers: Headers; body: string; now?: Date }): Verification | Promise<Verification>;
  /** Ask the gateway what happened to a transaction (or session): the truth an unsigned callback only hints at. */
  fetchStatus?(service: ServiceContext, providerRef: string): Promise<NotificationFacts>;
  /**
   * Gateways with a refund call: give money back on one of their payments.
   * Absent: the refund is made outside Settle and recorded by hand (a bank
   * transfer back), with its reference.
   */
  refund?(service: ServiceContext, request: RefundRequest): Promise<RefundOutcome>;
  /**
   * Gateways whose refunds stay pending for a while: where one stands now,
   * by the gateway's refund id. For a refund whose notification never came
   * (lib/refunds/check.ts).
   */
  refundStatus?(service: ServiceContext, providerRef: string): Promise<RefundOutcome>;
  /** The answer the gateway expects (iPint: 200 with an empty body); Settle's JSON when absent. */
  acknowledge?(outcome: { status: number; body: Record<string, unknown> }): Acknowledgement;
}
