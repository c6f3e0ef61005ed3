import { z } from "zod";
import { type PaymentService, paymentServices } from "@/db/schema";
import { transaction } from "@/db/transaction";
import { bankByBin } from "@/lib/connectors/banks";
import { AppError } from "@/lib/errors";
import { currencyCodes } from "@/lib/money";
import { keysetAfter } from "@/lib/paging";
import { httpUrl } from "@/lib/validation";
import { requestInvoicePayment } from "@/lib/payment-links/invoice-payment";
import { apiFieldName, credentialNames, type GatewayOption, linkableGateways } from "@/lib/payment-services/gateway-view";
import { createGatewayService, type GatewayKind, isGatewayKind, updateGatewayService } from "@/lib/payment-services/gateways";
import { connectorFor } from "@/lib/connectors";
import { paymentServiceKindEnum } from "@/db/schema";
import {
  bankServiceSchema,
  createService,
  flowsOf,
  getService,
  listServicesPage,
  redirectServiceSchema,
  setServiceEnabled,
  signingSecretSchema,
  type UpdateServiceInput,
  updateService,
} from "@/lib/payment-services/services";
import { idParams } from "./invoices";
import { bankServiceExample, list, paymentInstructionExample, paymentServiceExample } from "./examples";
import { defineOperation } from "./operation";
import { listOf, pageQuery, toPage } from "./pagination";
import { livemodeField } from "./objects";

const bankObject = z
  .object({
    bank_bin: z.string().meta({ description: "The bank's 6-digit VietQR (NAPAS) BIN." }),
    bank_name: z.string(),
    account_number: z.string(),
    account_name: z.string(),
  })
  .meta({ description: "The account money goes to (bank transfers)." });

export const paymentServiceObject = z
  .object({
    livemode: livemodeField,
    id: z.string().meta({ examples: ["svc_01jq3m6x4r8t2v5w7y9z0a1b2c"] }),
    name: z.string(),
    kind: z.enum(paymentServiceKindEnum.enumValues),
    enabled: z.boolean().meta({ description: "A service turned off is neither offered on new payment links nor shown at checkout." }),
    flows: z.array(z.enum(["qr", "redirect"])).meta({ description: "`qr`: the customer scans a code; `redirect`: the customer is sent to the provider's page." }),
    currencies: z.array(z.string()).meta({ description: "The currencies it can take payments in." }),
    bank: bankObject.nullable(),
    base_url: z.string().nullable().meta({ description: "The provider's base URL (redirect services)." }),
    signing_secret_set: z
      .boolean()
      .meta({ description: "Whether the provider's notifications must be signed. The secret itself is never returned; without one, each notification is confirmed by a status lookup at the provider." }),
    settings: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: "Gateways (myfatoorah, foloosi, ipint, finan, furatpay): the public settings given when linking it, by their API names; null for the other kinds." }),
    credentials_set: z
      .record(z.string(), z.boolean())
      .nullable()
      .meta({ description: "Gateways: for each of its secret fields (API keys, webhook secrets), whether it is set. The values are stored encrypted and never returned; null for the other kinds." }),
    created_at: z.string(),
  })
  .meta({ id: "PaymentService" });

/** A gateway service's public settings and which of its secrets are set, by their API names; null for the built-in kinds. */
function gatewayJson(s: PaymentService): { settings: Record<string, string> | null; credentials_set: Record<string, boolean> | null } {
  if (!isGatewayKind(s.kind)) return { settings: null, credentials_set: null };
  const fields = connectorFor(s.kind).setup?.fields ?? [];
  const sealed = new Set(credentialNames(s));
  const secret = new Set(fields.filter((f) => f.secret).map((f) => f.name));
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(s.config)) if (value !== undefined && !secret.has(name)) settings[apiFieldName(name)] = value;
  const credentials: Record<string, boolean> = {};
  for (const name of secret) credentials[apiFieldName(name)] = sealed.has(name);
  for (const name of sealed) credentials[apiFieldName(name)] = true;
  return { settings, credentials_set: credentials };
}

export function paymentServiceJson(s: PaymentService) {
  const byCurrency = currencyCodes.map((c) => [c, flowsOf(s, c)] as const).filter(([, f]) => f.length > 0);
  const bin = s.config.bankBin;
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    enabled: s.enabled,
    flows: [...new Set(byCurrency.flatMap(([, f]) => f))],
    currencies: byCurrency.map(([c]) => c),
    bank:
      s.kind === "bank_transfer" && bin
        ? { bank_bin: bin, bank_name: bankByBin(bin)?.shortName ?? bin, account_number: s.config.accountNumber ?? "", account_name: s.config.accountName ?? "" }
        : null,
    base_url: s.kind === "redirect" ? (s.config.baseUrl ?? null) : null,
    signing_secret_set: s.secretSealed !== null,
    ...gatewayJson(s),
    created_at: s.createdAt.toISOString(),
  };
}

/** The domain's field names, as this API spells them. */
const serviceFieldRenames = {
  serviceId: "id",
  bankBin: "bank.bank_bin",
  accountNumber: "bank.account_number",
  accountName: "bank.account_name",
  baseUrl: "base_url",
  secret: "signing_secret",
  removeSecret: "signing_secret",
};

export const listPaymentServicesOp = defineOperation({
  operationId: "listPaymentServices",
  method: "GET",
  path: "/payment-services",
  tag: "Payment services",
  summary: "List the merchant's linked payment services",
  description:
    "In the order they were linked, as the dashboard shows them. The built-in sandbox is always there (QR and redirect, any currency), so every flow can be tried with no bank.",
  query: z.object(pageQuery).strict(),
  examples: { response: list(paymentServiceExample) },
  response: listOf(paymentServiceObject),
  async run({ db, principal, query }) {
    const { merchantId } = principal;
    const after = await keysetAfter(db, paymentServices, { merchantId, startingAfter: query.starting_after, what: "payment service" });
    return toPage(await listServicesPage(db, { merchantId, after, limit: query.limit }), query.limit, paymentServiceJson);
  },
});

export const getPaymentServiceOp = defineOperation({
  operationId: "getPaymentService",
  method: "GET",
  path: "/payment-services/{id}",
  tag: "Payment services",
  summary: "Get a payment service",
  params: idParams,
  examples: { response: bankServiceExample },
  response: paymentServiceObject,
  run: async ({ db, principal, params }) => paymentServiceJson(await getService(db, { merchantId: principal.merchantId, id: params.id })),
});

const serviceName = bankServiceSchema.shape.name.meta({ description: "What customers see at checkout, 1 to 60 characters." });
const signingSecret = signingSecretSchema.meta({
  description: "The secret the provider signs its notifications with, 16 to 200 characters. Stored encrypted; never returned.",
});
const bankFields = {
  bank_bin: bankServiceSchema.shape.bankBin.meta({ description: "The bank's 6-digit VietQR (NAPAS) BIN: 970436 Vietcombank, 970416 ACB, 970422 MB…", examples: ["970416"] }),
  account_number: bankServiceSchema.shape.accountNumber.meta({ description: "4 to 19 letters or digits, no spaces." }),
  account_name: bankServiceSchema.shape.accountName.meta({ description: "The holder's name as the bank shows it; kept in capitals." }),
};
const baseUrl = redirectServiceSchema.shape.baseUrl.meta({ description: "The provider's base URL (http:// only for a local test)." });

const bankVariant = z
  .object({
    kind: z.literal("bank_transfer").meta({ description: "A Vietnamese bank account: customers scan a VietQR code." }),
    name: serviceName,
    bank: z.object(bankFields).strict(),
    signing_secret: signingSecret.optional().meta({ description: "The secret your bank signs notifications with. Stored encrypted; never returned." }),
  })
  .strict();
const redirectVariant = z
  .object({
    kind: z.literal("redirect").meta({ description: "A card / e-wallet provider with a hosted page." }),
    name: serviceName,
    base_url: baseUrl,
    signing_secret: signingSecret
      .optional()
      .meta({ description: "Leave out if the provider does not sign its notifications: Settle then checks each payment's status with the provider." }),
  })
  .strict();

/** What a gateway's field says of itself in the API reference. */
function fieldDescription(f: GatewayOption["fields"][number]): string {
  return [`${f.label}.`, f.hint, f.secret ? "Secret: stored encrypted and never returned (`credentials_set` says whether it is set)." : null, f.optional ? "Optional." : null]
    .filter(Boolean)
    .join(" ");
}

/** A gateway's fields as this API spells them (snake_case), each a string; `required` false makes them all optional (PATCH). */
function gatewayFields(g: GatewayOption, required: boolean): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const f of g.fields) {
    const field = z.string({ error: `Enter the ${f.label}.` }).max(4000, "Use at most 4000 characters.");
    shape[apiFieldName(f.name)] = (required && !f.optional ? field : field.optional()).meta({ description: fieldDescription(f) });
  }
  return shape;
}

/** POST's body for a gateway: its kind, a name, and its connector's fields. */
const gatewayVariant = (g: GatewayOption) =>
  z
    .object({
      kind: z.literal(g.kind).meta({ description: `${g.label}: ${g.description}` }),
      // Checked by the command, with the gateway's fields, so every bad field comes back at once.
      name: z.string({ error: "Enter a name." }).meta({ description: "What customers see at checkout, 1 to 60 characters." }),
      ...gatewayFields(g, true),
    })
    .strict()
    .meta({ title: g.label });

type GatewayBody = { kind: GatewayKind; name: string } & Record<string, string | undefined>;
type CreateBody = z.output<typeof bankVariant> | z.output<typeof redirectVariant> | GatewayBody;

/**
 * The body of POST /payment-services: the built-in kinds, and every gateway
 * whose connector can be linked (asked per request, so the reference and the
 * checks follow the connectors that have landed).
 */
export function createPaymentServiceBody(): z.ZodType<CreateBody> {
  const gateways = linkableGateways();
  const kinds = ["bank_transfer", "redirect", ...gateways.map((g) => g.kind)];
  const list = `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`;
  return z.discriminatedUnion("kind", [bankVariant, redirectVariant, ...gateways.map(gatewayVariant)], { error: `Choose ${list}.` }) as unknown as z.ZodType<CreateBody>;
}

/**
 * Runs a gateway command, its field errors named as this API spells the
 * gateway's fields (apiKey → api_key). Done here, not with the operation's
 * `fieldRenames`, which are the built-in kinds' (a Finan `bankBin` is
 * `bank_bin`, not a bank transfer's `bank.bank_bin`).
 */
async function inApiNames<T>(g: GatewayOption, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AppError) || !err.fields) throw err;
    const names = new Map<string, string>([["serviceId", "id"], ...g.fields.map((f) => [f.name, apiFieldName(f.name)] as [string, string])]);
    const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [names.get(k) ?? k, v]));
    throw new AppError(err.code, err.message, fields);
  }
}

/** A gateway's fields from a body in this API's spelling, by their setup names. */
function gatewayInput(g: GatewayOption, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(g.fields.map((f) => [f.name, body[apiFieldName(f.name)]]));
}

const gatewayOf = (kind: GatewayKind): GatewayOption => {
  const g = linkableGateways().find((x) => x.kind === kind);
  if (!g) throw new AppError("validation_failed", "Some fields need attention.", { kind: ["This gateway cannot be linked yet."] });
  return g;
};

export const createPaymentServiceOp = defineOperation({
  operationId: "createPaymentService",
  command: createService,
  method: "POST",
  path: "/payment-services",
  tag: "Payment services",
  summary: "Link a payment service",
  description:
    "A bank account (VietQR), a card / e-wallet provider with a hosted page, or a gateway Settle speaks to in its own protocol (each gateway kind with its own fields, in snake_case: the fields of its form in Settings → Payment services). Give the provider the notification URL `/api/providers/{id}/notify` on your Settle host. Secrets (the signing secret, a gateway's API keys and webhook secrets) are stored encrypted and never returned: `signing_secret_set` and `credentials_set` say which are set.",
  get body() {
    return createPaymentServiceBody();
  },
  response: paymentServiceObject,
  status: 201,
  idempotency: "transaction",
  fieldRenames: serviceFieldRenames,
  examples: {
    request: {
      kind: "bank_transfer",
      name: "ACB account",
      bank: { bank_bin: "970416", account_number: "257678859", account_name: "Tran Tu Thien" },
      signing_secret: "pss_4f9c2a7e1b8d3c6a5e0f",
    },
    response: bankServiceExample,
  },
  async run({ db, principal, body }) {
    if (isGatewayKind(body.kind)) {
      const gateway = gatewayOf(body.kind);
      const input = { kind: body.kind, name: body.name, ...gatewayInput(gateway, body) };
      return paymentServiceJson(await inApiNames(gateway, () => createGatewayService(db, principal.actor, input)));
    }
    const builtIn = body as Exclude<CreateBody, GatewayBody>;
    const service = await createService(
      db,
      principal.actor,
      builtIn.kind === "bank_transfer"
        ? {
            kind: builtIn.kind,
            name: builtIn.name,
            bankBin: builtIn.bank.bank_bin,
            accountNumber: builtIn.bank.account_number,
            accountName: builtIn.bank.account_name,
            secret: builtIn.signing_secret,
          }
        : { kind: builtIn.kind, name: builtIn.name, baseUrl: builtIn.base_url, secret: builtIn.signing_secret },
    );
    return paymentServiceJson(service);
  },
});

const updateShape = {
  name: serviceName.optional(),
  bank: z
    .object({ bank_bin: bankFields.bank_bin.optional(), account_number: bankFields.account_number.optional(), account_name: bankFields.account_name.optional() })
    .strict()
    .optional()
    .meta({ description: "Bank transfer services: the fields of the account to change." }),
  base_url: baseUrl.optional().meta({ description: "Redirect services: the provider's base URL." }),
  signing_secret: signingSecret.nullable().optional().meta({ description: "A new secret replaces the old one; `null` removes it (unsigned notifications). Never returned." }),
  enabled: z.boolean().optional().meta({ description: "`false` turns the service off: it is no longer offered on new payment links, nor shown at checkout. `true` turns it back on." }),
};
type UpdateBody = z.output<z.ZodObject<typeof updateShape>> & Record<string, unknown>;

/**
 * The body of PATCH /payment-services/{id}: the built-in kinds' settings, and
 * every linkable gateway's fields (each only for a service of that gateway).
 */
export function updatePaymentServiceBody(): z.ZodType<UpdateBody> {
  const extra: Record<string, z.ZodType> = {};
  for (const g of linkableGateways()) {
    for (const [name, field] of Object.entries(gatewayFields(g, false))) {
      if (name in updateShape || name in extra) continue;
      extra[name] = field;
    }
  }
  return z.object({ ...updateShape, ...extra }).strict() as unknown as z.ZodType<UpdateBody>;
}

const builtInChangeable = {
  bank_transfer: ["name", "bank", "signing_secret", "enabled"],
  redirect: ["name", "base_url", "signing_secret", "enabled"],
  sandbox: ["enabled"],
} as const;

/** What a PATCH may change of each kind: the sandbox is built in and is only turned on or off; a gateway, its name and its fields. */
function changeable(kind: PaymentService["kind"]): readonly string[] {
  if (!isGatewayKind(kind)) return builtInChangeable[kind];
  const g = linkableGateways().find((x) => x.kind === kind);
  return g ? ["name", "enabled", ...g.fields.map((f) => apiFieldName(f.name))] : ["enabled"];
}

export const updatePaymentServiceOp = defineOperation({
  operationId: "updatePaymentService",
  command: updateService,
  method: "PATCH",
  path: "/payment-services/{id}",
  tag: "Payment services",
  summary: "Change or turn off a payment service",
  description:
    "Only the fields sent change. `enabled: false` turns a service off (there is no delete: its payments keep pointing at it); `enabled: true` turns it back on. The sandbox can only be turned on or off. A gateway takes its own fields, as when linking it: a secret sent replaces the old one, an empty string keeps it; an optional public field sent empty is cleared. Secrets are never returned.",
  params: idParams,
  get body() {
    return updatePaymentServiceBody();
  },
  response: paymentServiceObject,
  fieldRenames: serviceFieldRenames,
  examples: { request: { name: "ACB (main account)", signing_secret: "pss_7d1e5b9a3c2f8e6d4b0a" }, response: { ...bankServiceExample, name: "ACB (main account)" } },
  async run({ db, principal, params, body }) {
    const before = await getService(db, { merchantId: principal.merchantId, id: params.id });
    const misplaced = Object.keys(body).filter((k) => !changeable(before.kind).includes(k));
    if (misplaced.length) {
      const why = before.kind === "sandbox" ? "The sandbox is built in: it can only be turned on or off (`enabled`)." : `A ${before.kind} service has no such setting.`;
      throw new AppError("validation_failed", "Some fields need attention.", Object.fromEntries(misplaced.map((k) => [k, [why]])));
    }
    return transaction(db, async (tx) => {
      let service = before;
      if (Object.keys(body).some((k) => k !== "enabled")) {
        if (isGatewayKind(before.kind)) {
          const gateway = gatewayOf(before.kind);
          service = await inApiNames(gateway, () => updateGatewayService(tx, principal.actor, changedGatewayInput(before, gateway, body)));
        } else service = await updateService(tx, principal.actor, changedInput(before, body));
      }
      if (body.enabled !== undefined && body.enabled !== service.enabled) {
        service = await setServiceEnabled(tx, principal.actor, { serviceId: service.id, enabled: body.enabled });
      }
      return paymentServiceJson(service);
    });
  },
});

/** A gateway's whole form for its update command: what was sent; public fields not sent as they are, secrets not sent kept (empty). */
function changedGatewayInput(before: PaymentService, g: GatewayOption, body: UpdateBody) {
  const fields: Record<string, unknown> = {};
  for (const f of g.fields) {
    const sent = body[apiFieldName(f.name)];
    fields[f.name] = sent !== undefined ? sent : f.secret ? "" : (before.config[f.name] ?? "");
  }
  return { serviceId: before.id, kind: g.kind, name: body.name ?? before.name, ...fields };
}

/** The whole of a service's settings for the update command: what was sent, and the rest as it is. */
function changedInput(before: PaymentService, body: UpdateBody): UpdateServiceInput {
  const secret = body.signing_secret === null ? { removeSecret: true } : { secret: body.signing_secret };
  const common = { serviceId: before.id, name: body.name ?? before.name, ...secret };
  if (before.kind === "bank_transfer") {
    return {
      kind: "bank_transfer",
      ...common,
      bankBin: body.bank?.bank_bin ?? before.config.bankBin ?? "",
      accountNumber: body.bank?.account_number ?? before.config.accountNumber ?? "",
      accountName: body.bank?.account_name ?? before.config.accountName ?? "",
    };
  }
  return { kind: "redirect", ...common, baseUrl: body.base_url ?? before.config.baseUrl ?? "" };
}

export const requestPaymentBody = z
  .object({
    payment_service_id: z.string().min(1).max(100).meta({ description: "One of GET /payment-services." }),
    flow: z.enum(["qr", "redirect"]).optional().meta({ description: "For a service with both (the sandbox); its first flow by default." }),
    success_redirect_url: httpUrl("The success URL").optional(),
    failure_redirect_url: httpUrl("The failure URL").optional(),
  })
  .strict();

export const paymentInstructionObject = z
  .object({
    type: z.enum(["qr", "redirect"]),
    url: z.string().optional().meta({ description: "redirect: send the customer here." }),
    qr_code: z.string().optional().meta({ description: "qr: the payload to render as a QR code (VietQR / EMVCo for banks)." }),
    bank_name: z.string().nullable().optional(),
    account_name: z.string().nullable().optional(),
    account_number: z.string().nullable().optional(),
    remark: z.string().nullable().optional().meta({ description: "The transfer note that identifies this payment." }),
    expires_at: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    payment_link_id: z.string(),
    payment_url: z.string().meta({ description: "Settle's hosted checkout for the same payment." }),
  })
  .meta({ id: "PaymentInstruction" });

export const requestInvoicePaymentOp = defineOperation({
  operationId: "requestInvoicePayment",
  command: requestInvoicePayment,
  method: "POST",
  path: "/invoices/{id}/payments",
  tag: "Invoices",
  summary: "Request payment for an invoice through a service",
  description:
    "Makes a payment link for what is still owed and returns the service's data: a `redirect` URL, or a `qr` code with the bank details and the remark. Then wait for the `invoice.paid` webhook, and GET the invoice to confirm.",
  params: idParams,
  body: requestPaymentBody,
  response: paymentInstructionObject,
  status: 201,
  idempotency: "transaction",
  fieldRenames: { serviceIds: "payment_service_id", successUrl: "success_redirect_url", failureUrl: "failure_redirect_url" },
  examples: { response: paymentInstructionExample, request: { payment_service_id: "svc_01jq3m6x4r8t2v5w7y9z0a1b2c", flow: "qr" } },
  async run({ db, principal, params, body, origin }) {
    const { link, flow, instruction } = await requestInvoicePayment(db, principal.actor, {
      invoiceId: params.id,
      serviceId: body.payment_service_id,
      flow: body.flow,
      successUrl: body.success_redirect_url,
      failureUrl: body.failure_redirect_url,
      origin,
    });
    const common = {
      expires_at: link.expiresAt.toISOString(),
      amount: link.amount,
      currency: link.currency,
      payment_link_id: link.id,
      payment_url: `${origin}/pay/${link.code}`,
    };
    if (instruction.kind === "redirect") return { type: flow, url: instruction.url, ...common };
    return {
      type: flow,
      qr_code: instruction.payload,
      bank_name: instruction.bank?.bankName ?? null,
      account_name: instruction.bank?.accountName ?? null,
      account_number: instruction.bank?.accountNumber ?? null,
      remark: instruction.bank?.remark ?? null,
      ...common,
    };
  },
});
