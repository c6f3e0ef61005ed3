/**
 * Response examples for the reference. The OpenAPI test parses each one with
 * its operation's response shape, so an example can never drift from the API.
 */
const at = "2026-03-01T09:30:00.000Z";
const later = "2026-03-01T10:00:00.000Z";

export const invoiceExample = {
  livemode: true,
  id: "inv_01jnw3m6x4r8t2v5w7y9z0a1b2",
  number: "INV-000042",
  reference_id: "ORD-1001",
  currency: "USD",
  amount: 13900,
  paid_amount: 0,
  refunded_amount: 0,
  net_amount: 0,
  payment_status: "unpaid",
  status: "open",
  needs_review: false,
  customer: { name: "Minh Nguyen", email: "minh@example.com", phone: null, address: null },
  description: null,
  due_date: "2026-12-31",
  metadata: {},
  created_at: at,
} as const;

const paymentExample = {
  id: "pay_01jnw4a2b3c4d5e6f7g8h9j0k1",
  invoice_id: invoiceExample.id,
  payment_link_id: "pl_01jnw3q9r8s7t6v5w4x3y2z1a0",
  service_id: "svc_01jnw1a1b1c1d1e1f1g1h1j1k1",
  provider_ref: "FT26060123456",
  amount: 13900,
  currency: "USD",
  method: "bank_transfer",
  status: "succeeded",
  message: null,
  card_last4: null,
  late: false,
  refunded_amount: 0,
  created_at: later,
} as const;

export const invoiceDetailExample = {
  ...invoiceExample,
  paid_amount: 13900,
  net_amount: 13900,
  payment_status: "paid",
  items: [
    { name: "Espresso machine service", unit_price: 12000, quantity: 1, amount: 12000 },
    { name: "Descaler", unit_price: 950, quantity: 2, amount: 1900 },
  ],
  payments: [paymentExample],
};

export const refundExample = {
  livemode: true,
  id: "re_01jnw7c8d9e0f1g2h3j4k5m6n7",
  payment_id: paymentExample.id,
  invoice_id: invoiceExample.id,
  amount: 2500,
  currency: "USD",
  reason: "One descaler arrived damaged",
  status: "succeeded",
  provider_ref: "re_3PzQ8h2eZvKYlo2C1a2b3c4d",
  manual: false,
  failure_message: null,
  created_at: "2026-03-02T08:15:00.000Z",
  settled_at: "2026-03-02T08:15:01.000Z",
} as const;

export const list = <T>(item: T) => ({ object: "list", data: [item], has_more: false });

export const paymentServiceExample = {
  livemode: true,
  id: "svc_01jnw1a1b1c1d1e1f1g1h1j1k1",
  name: "Sandbox",
  kind: "sandbox",
  enabled: true,
  flows: ["qr", "redirect"],
  currencies: ["VND", "USD", "IQD"],
  bank: null,
  base_url: null,
  signing_secret_set: true,
  settings: null,
  credentials_set: null,
  created_at: at,
};

export const bankServiceExample = {
  livemode: true,
  id: "svc_01jnw6d7e8f9g0h1j2k3m4n5p6",
  name: "ACB account",
  kind: "bank_transfer",
  enabled: true,
  flows: ["qr"],
  currencies: ["VND"],
  bank: { bank_bin: "970416", bank_name: "ACB", account_number: "257678859", account_name: "TRAN TU THIEN" },
  base_url: null,
  signing_secret_set: true,
  settings: null,
  credentials_set: null,
  created_at: later,
};

export const webhookSettingsExample = {
  livemode: true,
  auto_retry: true,
  retry_schedule_minutes: [5, 10, 15],
  timeout_seconds: 10,
};

export const paymentInstructionExample = {
  type: "qr",
  qr_code: "https://settle.example/sandbox/PRJXH9KU?service=svc_01jnw1a1b1c1d1e1f1g1h1j1k1&flow=qr",
  bank_name: "Settle Sandbox Bank",
  account_name: "Demo Store",
  account_number: "0001 2345 6789",
  remark: "SETTLE PRJXH9KU",
  expires_at: later,
  amount: 13900,
  currency: "USD",
  payment_link_id: "pl_01jnw3q9r8s7t6v5w4x3y2z1a0",
  payment_url: "https://settle.example/pay/PRJXH9KU",
};

export const createdPaymentExample = {
  livemode: true,
  payment_request_id: "pl_01jnw3q9r8s7t6v5w4x3y2z1a0",
  payment_request_code: "PRJXH9KU",
  payment_url: "https://settle.example/pay/PRJXH9KU",
  bank_transfer_detail: {
    qr_code: "00020101021238570010A00000072701270006970416011325767885902080QRIBFTTA53037045406600000",
    bank_name: "ACB",
    account_name: "TRAN TU THIEN",
    account_number: "257678859",
    remark: "SETTLE PRJXH9KU",
  },
  redirect_url: null,
  invoice_id: "inv_01jnw3m6x4r8t2v5w7y9z0a1b2",
  amount: 6000000,
  currency: "VND",
  status: "unpaid",
  expires_at: later,
};

export const paymentRequestExample = {
  livemode: true,
  payment_request_id: createdPaymentExample.payment_request_id,
  payment_request_code: "PRJXH9KU",
  payment_url: "https://settle.example/pay/PRJXH9KU",
  status: "partial_paid",
  state: "active",
  cancellation_reason: null,
  amount: 6000000,
  paid_amount: 2000000,
  currency: "VND",
  payment_method: "bank_transfer",
  description: "thanh toan don hang",
  reference_type: "invoice",
  reference_id: "INV-001",
  invoice_id: "inv_01jnw3m6x4r8t2v5w7y9z0a1b2",
  success_redirect_url: "https://shop.example/success",
  failure_redirect_url: null,
  expires_at: later,
  created_at: at,
  payments: [{ id: "pay_01jnw4a2b3c4d5e6f7g8h9j0k1", amount: 2000000, method: "bank_transfer", status: "succeeded", created_at: at }],
  merchant: { name: "Demo Store" },
  customer: { name: "Nguyen Van A", email: "nguyena@example.com" },
};

export const endpointExample = {
  livemode: true,
  id: "we_01jnw2k3m4n5p6q7r8s9t0v1w2",
  url: "https://shop.example/settle/webhooks",
  description: "Order system",
  event_types: ["invoice.paid", "invoice.partially_paid"],
  enabled: true,
  format: "standard",
  retry_schedule: null,
  rotating: false,
  auto_disabled_at: null,
  consecutive_failures: 0,
  last_attempt_at: null,
  created_at: at,
};

export const attemptExample = {
  livemode: true,
  delivery_id: "dlv_01jnw5b6c7d8e9f0g1h2j3k4m5",
  outcome: "succeeded",
  response_status: 200,
  response_body: "ok",
  error: null,
  duration_ms: 84,
};

export const deliveryExample = {
  livemode: true,
  id: "dlv_01jnw5b6c7d8e9f0g1h2j3k4m5",
  event_id: "evt_01jnw5a1b2c3d4e5f6g7h8j9k0",
  event_type: "invoice.paid",
  invoice_id: "inv_01jnw3m6x4r8t2v5w7y9z0a1b2",
  endpoint_id: endpointExample.id,
  endpoint_url: endpointExample.url,
  endpoint_description: endpointExample.description,
  endpoint_deleted_at: null,
  status: "succeeded",
  attempts: 1,
  next_attempt_at: null,
  created_at: later,
};

export const deliveryDetailExample = {
  ...deliveryExample,
  message_id: "msg_01jnw5a1b2c3d4e5f6g7h8j9k0",
  event_data: { invoice: { ...invoiceExample, paid_amount: 13900, net_amount: 13900, payment_status: "paid" } },
  attempt_list: [
    {
      id: "wat_01jnw5c7d8e9f0g1h2j3k4m5n6",
      trigger: "auto",
      outcome: "succeeded",
      request_url: endpointExample.url,
      request_headers: { "content-type": "application/json", "webhook-id": "msg_01jnw5a1b2c3d4e5f6g7h8j9k0" },
      request_body: '{"type":"invoice.paid","timestamp":"2026-03-01T10:00:00.000Z","data":{…}}',
      response_status: 200,
      response_headers: { "content-type": "text/plain" },
      response_body: "ok",
      duration_ms: 84,
      error: null,
      started_at: later,
    },
  ],
};
