import type { WebhookFormatId } from "@/lib/webhooks/formats/catalogue";

/** How a receiver verifies each webhook format: its headers and a verifier written as that gateway's docs say. */
export const formatGuides: Record<WebhookFormatId, { headers: { name: string; description: string }[]; verify: string }> = {
  standard: {
    headers: [
      { name: "webhook-id", description: "The message id, the same on every retry: ignore repeats by it." },
      { name: "webhook-timestamp", description: "Unix seconds when this attempt was signed." },
      { name: "webhook-signature", description: "`v1,<base64 HMAC-SHA256>` of `id.timestamp.body`, one per secret in force (space-separated during a rotation)." },
    ],
    verify: "Verify with the `standardwebhooks` package and the endpoint's `whsec_…` secret, on the raw body (above).",
  },
  finan: {
    headers: [
      { name: "x-client-id", description: "The endpoint's id (`we_…`)." },
      { name: "x-timestamp", description: "Unix seconds when this attempt was signed." },
      { name: "x-signature", description: "Hex SHA-256 of `{secret}_POST_{path}_{body}_{timestamp}` (Finan's scheme)." },
    ],
    verify: `Finan's payment webhook, sent for \`payment.succeeded\` only; \`amount\` is an integer in the smallest currency unit.
\`x-signature\` is Finan's: the hex SHA-256 of the secret, \`POST\`, your endpoint URL's path (no query), the body
as received and \`x-timestamp\`, joined by underscores; \`x-client-id\` is the endpoint's id. Answer 200.

\`\`\`js
import { createHash } from "node:crypto";

const expected = createHash("sha256")
  .update(\`\${secret}_POST_/settle/webhooks_\${rawBody}_\${req.header("x-timestamp")}\`)
  .digest("hex");
if (expected !== req.header("x-signature") || req.header("x-client-id") !== "we_…") return res.status(401).end();
\`\`\``,
  },
  myfatoorah_v1: {
    headers: [{ name: "MyFatoorah-Signature", description: "Base64 HMAC-SHA256 (secret as UTF-8) of Data's properties sorted by name ignoring case, `Name=value` joined by commas, null as empty; a refund's GatewayReference left out." }],
    verify: `MyFatoorah's Webhook V1: \`TransactionsStatusChanged\` (EventType 1) for \`payment.succeeded\` (SUCCESS) and
\`payment.failed\` (FAILED); \`RefundStatusChanged\` (EventType 2) for \`refund.succeeded\` (REFUNDED) and
\`refund.failed\` (CANCELED). Amounts are decimal strings in major units. Verify as MyFatoorah's "Webhook Signature"
page says:

\`\`\`js
import { createHmac } from "node:crypto";

const { Event, Data } = JSON.parse(rawBody);
const fields = { ...Data };
if (Event === "RefundStatusChanged") delete fields.GatewayReference;
const text = Object.keys(fields)
  .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
  .map((k) => \`\${k}=\${fields[k] ?? ""}\`)
  .join(",");
const expected = createHmac("sha256", secret).update(text, "utf8").digest("base64");
if (expected !== req.header("MyFatoorah-Signature")) return res.status(401).end();
\`\`\``,
  },
  foloosi: {
    headers: [
      { name: "webhook-id", description: "Settle's message id, the same on every retry." },
      { name: "webhook-timestamp", description: "Unix seconds when this attempt was signed." },
      { name: "webhook-signature", description: "Settle's Standard Webhooks signature over the body (Foloosi documents none)." },
    ],
    verify: `Foloosi's \`{ data: { transfer } }\`: \`order.success\` (\`transaction_status: "success"\`) for \`payment.succeeded\`,
\`order.cancel\` (\`"failed"\`) for \`payment.failed\`; \`transaction_amount\` is a decimal string in major units.
Foloosi's docs describe no signature, so a receiver written for Foloosi checks none. Settle's Standard Webhooks
headers come with every delivery: verify them with \`standardwebhooks\` and the endpoint's secret (above) to know
the request is Settle's.`,
  },
  furatpay: {
    headers: [
      { name: "x-timestamp", description: "Unix seconds when this attempt was signed." },
      { name: "x-signature", description: "Hex HMAC-SHA256 (secret) of `data.id + data.code + data.order_number + x-timestamp`, trimmed." },
    ],
    verify: `FuratPay's invoice webhook \`{ type, data }\`: \`INVOICE_PAID\` for \`invoice.paid\` and \`invoice.overpaid\`,
\`INVOICE_UPDATED\` (status \`canceled\`) for \`invoice.voided\`; \`total\` is a decimal string in major units and
\`order_number\` your invoice's reference id. Verify as FuratPay's own plugin does:

\`\`\`js
import { createHmac } from "node:crypto";

const { data } = JSON.parse(rawBody);
const ts = req.header("x-timestamp");
const expected = createHmac("sha256", secret).update(\`\${data.id}\${data.code}\${data.order_number}\${ts}\`.trim()).digest("hex");
if (Math.abs(Date.now() / 1000 - Number(ts)) > 300 || expected !== req.header("x-signature")) return res.status(400).end();
\`\`\``,
  },
};

const FORMAT_TITLES: Record<WebhookFormatId, string> = {
  standard: "Standard Webhooks (`standard`, the default)",
  finan: "Finan (`finan`)",
  myfatoorah_v1: "MyFatoorah Webhook V1 (`myfatoorah_v1`)",
  foloosi: "Foloosi (`foloosi`)",
  furatpay: "FuratPay (`furatpay`)",
};

function formatGuideMarkdown(): string {
  return (Object.keys(formatGuides) as WebhookFormatId[])
    .filter((f) => f !== "standard")
    .map((f) => `#### ${FORMAT_TITLES[f]}\n\n${formatGuides[f].verify}`)
    .join("\n\n");
}

/** The document's introduction: how to authenticate, sign, retry safely, page, and verify webhooks. Markdown. */
export const apiGuide = `
Settle's REST API lets your server create invoices and payment requests, read their authoritative status,
give money back (refunds), link the payment services they are paid through, and manage the webhooks that
tell you when money arrives and how they are retried. JSON in and out; amounts are integers in the
currency's minor unit (cents; VND and JPY have none). Ids are prefixed (\`inv_\`, \`pl_\`, \`pay_\`, \`re_\`, \`svc_\`, \`we_\`, \`dlv_\`).

What the dashboard's settings do, a full-access key does too: \`POST /payment-services\` links a bank
account or a card / e-wallet provider, \`PATCH /payment-services/{id}\` changes it or turns it off
(\`enabled: false\`), and \`GET\`/\`PATCH /webhook-settings\` read and change the retry schedule, the
timeout and auto-retry. A provider's signing secret goes in and is never sent back.

## Authentication

Make a key in **Settings → API keys**: you get a \`client_id\` (\`ck_…\`) and a secret (\`sk_…\`), shown once.
Every request is scoped to that key's merchant; another merchant's ids answer 404.

**Bearer** — simplest, over HTTPS:

\`\`\`bash
curl https://settle.example/api/v1/invoices -H "Authorization: Bearer sk_…"
\`\`\`

**Signed headers** — the secret never travels. Send \`x-client-id\`, \`x-timestamp\` (unix seconds) and
\`x-signature\`: the hex HMAC-SHA256, keyed with the secret, of

\`\`\`
METHOD + "\\n" + PATH_WITH_QUERY + "\\n" + TIMESTAMP + "\\n" + BODY
\`\`\`

where PATH_WITH_QUERY is exactly what you request (\`/api/v1/payments?reference_id=A-1\`), byte for byte as
on the request line, however you encoded it (\`?q=Minh%20Nguyen\` from \`encodeURIComponent\`, raw
\`~ : / ' [ |\`, a lowercase \`%2f\`, a trailing \`?\`), and BODY the exact bytes you send (empty for GET). Timestamps more than 5 minutes from Settle's clock are refused.
A signed POST, PATCH or DELETE is accepted once: sent again with the same signature it is
\`401 replayed_request\`, unless it carries the same \`Idempotency-Key\` as the first time (then you get
the first response back). To send a write again, sign it again; within the same second, the same
request signs the same, so add an \`Idempotency-Key\` or wait for the next second. GETs may repeat.

\`\`\`js
import { createHmac } from "node:crypto";

const body = JSON.stringify({ payment_method: "bank_transfer", amount: 6000000, reference_id: "ORDER-1" });
const path = "/api/v1/payments";
const timestamp = Math.floor(Date.now() / 1000).toString();
const signature = createHmac("sha256", process.env.SETTLE_SECRET)
  .update(\`POST\\n\${path}\\n\${timestamp}\\n\${body}\`)
  .digest("hex");

await fetch("https://settle.example" + path, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "x-client-id": process.env.SETTLE_CLIENT_ID,
    "x-timestamp": timestamp,
    "x-signature": signature,
    "idempotency-key": "order-1-payment",
  },
  body,
});
\`\`\`

\`\`\`bash
ts=$(date +%s); body='{"payment_method":"bank_transfer","amount":6000000,"reference_id":"ORDER-1"}'
sig=$(printf 'POST\\n/api/v1/payments\\n%s\\n%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$SETTLE_SECRET" -hex | sed 's/^.* //')
curl https://settle.example/api/v1/payments -H "content-type: application/json" \\
  -H "x-client-id: $SETTLE_CLIENT_ID" -H "x-timestamp: $ts" -H "x-signature: $sig" -d "$body"
\`\`\`

A refused request is a 401 whose \`error.code\` says why: \`missing_credentials\`, \`invalid_key\`
(no key has this secret or client id), \`invalid_signature\`, \`stale_timestamp\`, \`replayed_request\` or
\`revoked_key\`.

## Key access

Each key is made with an access level, like a teammate's role: **full access** (everything the API
offers), **support** (read everything and retry webhook deliveries) or **read only**. A request the key
may not make is \`403 forbidden\`, answered before anything is read or stored, and each operation below
lists the access it needs. Give a reporting system a read-only key.

## Retrying safely: Idempotency-Key

Send \`Idempotency-Key: <up to 255 characters>\` with any POST. For 24 hours the same key with the same
method, path and body returns the first response again, with \`Idempotent-Replayed: true\`; the same key
with anything else is \`409 idempotency_conflict\`; while the first request is still running it is
\`409 idempotency_in_progress\`. A request refused before it ran (401, 415, 422…) stores nothing.

## Errors

Always \`{ "error": { "code", "message", "fields"? } }\` with the status: 400 (malformed JSON),
401, 403, 404, 409, 413 (bodies over 1 MiB), 415 (not \`application/json\`), 422 (\`validation_failed\`,
with a message for every field that needs one), 429 (\`rate_limited\`). Unknown fields are refused, never ignored.
A path no route serves (a trailing slash included) is \`404 not_found\`, a method the path does not serve
\`405 method_not_allowed\` with \`Allow\`, and every 401 carries \`WWW-Authenticate\`.

## Rate limit

By default each API key may make 100 requests a second (the operator can change it with
\`API_RATE_LIMIT_PER_SECOND\`), counted across every server. Past it the answer is
\`429 rate_limited\` with \`Retry-After: 1\`; refused requests count too, so back off rather than
retry at once.

## Pages

Lists return \`{ "object": "list", "data": [...], "has_more" }\`, newest first (payment services in the
order they were linked, as the dashboard shows them). Ask for the next page with
\`starting_after=<the last id>\`, \`limit\` 1–100 (default 20).

## Refunds

A refund gives back a succeeded payment, in full or in part: \`POST /payments/{id}/refunds\` with a
\`reason\`, where \`{id}\` is the payment's \`pay_\` id (in \`payments\` of the invoice or the payment
request), and \`amount\` left out for everything still refundable. Money taken through a gateway goes back
through it: the refund is \`succeeded\` or \`failed\` at once, or \`pending\` until the gateway confirms
(\`refund.succeeded\` / \`refund.failed\`). Money that came outside a gateway (a bank transfer, cash) goes
back outside Settle too: send the transfer's \`reference\` and the refund is recorded as made. An invoice's
payment status never changes; its \`refunded_amount\` and \`net_amount\` do. In test mode, a sandbox
payment's refund takes \`simulate: "fail"\` to try the failure path.

## Webhooks

Each event is POSTed as \`{ "type", "timestamp", "data" }\`, signed per the Standard Webhooks spec
(\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`). Verify it with the \`standardwebhooks\`
package and the endpoint's \`whsec_…\` secret, on the raw body:

\`\`\`js
import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.SETTLE_WEBHOOK_SECRET); // "whsec_…"

app.post("/settle/webhooks", express.raw({ type: "application/json" }), (req, res) => {
  let event;
  try {
    event = wh.verify(req.body.toString("utf8"), {
      "webhook-id": req.header("webhook-id"),
      "webhook-timestamp": req.header("webhook-timestamp"),
      "webhook-signature": req.header("webhook-signature"),
    });
  } catch {
    return res.status(400).end();
  }
  // webhook-id is the same on every retry: use it to ignore repeats.
  if (event.type === "invoice.paid") markPaid(event.data.invoice.id);
  res.status(200).end();
});
\`\`\`

Answer 2xx quickly; anything else is retried (5, 10 and 15 minutes later by default, or on the endpoint's own
\`retry_schedule\`). A webhook is a hint: before you ship, GET the invoice for its authoritative status.

### Formats: a gateway's own webhooks

An endpoint's \`format\` makes its deliveries the webhooks of the gateway you integrated before, so your
receiver works unchanged: the gateway's payload shape, event names, amount units and signature. The secret is
the endpoint's \`whsec_…\` text, byte for byte, where the gateway's docs put its own secret. A gateway
format sends only the events that gateway has; the rest are never sent to it (the \`webhooks\` section lists
every event in every format, with an example). A gateway format has no test event: pay an invoice with the
sandbox in test mode instead.

${formatGuideMarkdown()}

## Finan-compatible API

A server written for Finan's payment gateway API works unchanged: set its base URL to
\`https://settle.example/open\`, its client id to your key's \`ck_…\` and its secret key to the \`sk_…\`.
\`POST /open/api/v1/payments\`, \`GET /open/api/v1/payments\` and \`GET /open/api/v1/payments/{id}\` take
Finan's request as its documentation gives it and answer in Finan's envelope
(\`{ "message": { "content" }, "code", "request_id", "data" }\`, code 102001 or 102000), signed as Finan
signs: \`x-signature\` is the hex SHA-256 of \`{secret}_{METHOD}_{path after /open}_{body}_{timestamp}\`
(the body "" for a GET), and \`x-timestamp\` must be within 30 seconds. \`bank_name\` is the bank's code
(\`MB\`), \`remark\` the bare code to transfer with, \`account_id\` a payment service id or your Finan
account id. A refusal is the same envelope with \`code\` 102000 + the HTTP status and this API's
\`error\` object beside it. These paths are not in this document: they are Finan's.
`.trim();
