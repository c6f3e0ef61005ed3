import type { Database } from "@/db/client";
import type { Invoice, PaymentLink } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { signNotification } from "@/lib/connectors/signature";
import { createInvoice } from "@/lib/invoices/create";
import { voidInvoice } from "@/lib/invoices/void";
import type { CurrencyCode } from "@/lib/money";
import { createInvoiceLink, createStandaloneLink } from "@/lib/payment-links/create";
import { cancelLink, expireDueLinks } from "@/lib/payment-links/lifecycle";
import { handleProviderNotification } from "@/lib/payment-services/notify";
import { createService, ensureSandbox, listServices, serviceContext } from "@/lib/payment-services/services";
import { recordManualPayment } from "@/lib/payments/manual";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { backdated } from "./backdate";
import { createRefund } from "@/lib/refunds/refunds";
import { publicUrl } from "@/lib/env";
import { currencyMix, customers, prng, products, type Rng } from "./catalog";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * The demo's two webhook endpoints. Outside production they are receivers
 * this server serves itself (app/api/dev/demo-receiver): the Order system
 * answers 200 and Accounting keeps failing as its story says, so the log goes
 * on telling the same story after the seed, instead of every new delivery
 * failing on a host that does not resolve. Seeded on purpose in production,
 * where that route does not exist, they name example hosts.
 */
export function demoEndpoints(): { orders: string; books: string } {
  if (process.env.NODE_ENV === "production") {
    return { orders: "https://shop.example.com/settle/webhooks", books: "https://books.example.net/hooks/settle" };
  }
  const origin = publicUrl();
  return { orders: `${origin}${DEMO_RECEIVER_PATH}/orders`, books: `${origin}${DEMO_RECEIVER_PATH}/books` };
}

export const DEMO_RECEIVER_PATH = "/api/dev/demo-receiver";

/** The Order system's receiver answers 503 for these 20 minutes, 12 days before the seed runs. */
export const outageWindow = (now: Date) => ({ from: new Date(now.getTime() - 12 * DAY - 2 * HOUR), to: new Date(now.getTime() - 12 * DAY - 100 * MIN) });
/** From then on the Accounting receiver answers 500. */
export const accountingDownSince = (now: Date) => new Date(now.getTime() - 5 * HOUR);

type Outcome = "paid" | "partial" | "unpaid" | "extra" | "void";
type Via = "card" | "qr" | "bank" | "cash";

interface Plan {
  at: Date;
  currency: CurrencyCode;
  outcome: Outcome;
  via: Via;
  payAt: Date;
  /** When its payment link is made (default: 10 minutes after the invoice) and for how long it stays open (default: 30 days). */
  link?: { at: Date; minutes: number };
  /** A card declined first: a new attempt (new transaction), or the same transaction confirmed later. */
  declined?: "retry" | "late";
}

interface Step {
  at: Date;
  run: () => Promise<unknown>;
}

const INVOICES = 46;

function outcomeFor(rng: Rng, ageDays: number): Outcome {
  if (ageDays > 7) return rng.weighted<Outcome>([["paid", 66], ["partial", 10], ["unpaid", 14], ["extra", 4], ["void", 6]]);
  if (ageDays > 2) return rng.weighted<Outcome>([["paid", 45], ["partial", 12], ["unpaid", 38], ["void", 5]]);
  return rng.weighted<Outcome>([["paid", 25], ["partial", 5], ["unpaid", 70]]);
}

/** Oldest first: about one and a half invoices a day over 29 days, each with what will happen to it. */
function plans(rng: Rng, now: Date): Plan[] {
  const latest = now.getTime() - 10 * MIN;
  const out: Plan[] = [];
  for (let i = 0; i < INVOICES; i++) {
    const ageH = 3 + (29 * 24 - 3) * ((INVOICES - 1 - i) / (INVOICES - 1)) + (i === INVOICES - 1 ? 0 : rng.int(-4, 4));
    const at = new Date(now.getTime() - ageH * HOUR);
    const currency = rng.weighted(currencyMix);
    const via: Via = currency === "VND" ? rng.pick<Via>(["qr", "bank"]) : rng.weighted<Via>([["card", 4], ["qr", 2], ["bank", 3], ["cash", 1]]);
    const payAt = new Date(Math.min(latest, at.getTime() + rng.int(1, 72) * HOUR + rng.int(0, 59) * MIN));
    out.push({ at, currency, outcome: outcomeFor(rng, ageH / 24), via, payAt });
  }
  // Every status shows up, whatever the draw: an overpaid, a void and a partly paid invoice among the older ones.
  Object.assign(out[5]!, { outcome: "extra", via: "bank", currency: "USD" });
  Object.assign(out[11]!, { outcome: "void" });
  Object.assign(out[19]!, { outcome: "partial", via: "bank" });
  Object.assign(out[28]!, { outcome: "paid", via: "qr", currency: "VND" });
  Object.assign(out[8]!, { outcome: "paid", via: "card", currency: "USD", declined: "retry" });
  Object.assign(out[23]!, { outcome: "paid", via: "card", currency: "USD", declined: "late" });
  // Two card payments during the Order system's outage: their webhooks fail, then succeed on a retry.
  const outage = outageWindow(now);
  Object.assign(out[14]!, { outcome: "paid", via: "card", currency: "USD", payAt: new Date(outage.from.getTime() + 5 * MIN) });
  Object.assign(out[15]!, { outcome: "paid", via: "card", currency: "USD", payAt: new Date(outage.from.getTime() + 10 * MIN) });
  // The newest got a one-hour link 20 minutes ago, part paid by QR 12 minutes ago while the Accounting receiver is down:
  // its deliveries wait for a retry, and its checkout is still open.
  Object.assign(out[INVOICES - 1]!, {
    outcome: "partial",
    via: "qr",
    currency: "USD",
    link: { at: new Date(now.getTime() - 20 * MIN), minutes: 60 },
    payAt: new Date(now.getTime() - 12 * MIN),
  });
  return out;
}

/** Writes a month of history through the commands (and the notify handler), each step dated back to when it happened. */
export async function seedHistory(db: Database, actor: Actor, now: Date): Promise<void> {
  const rng = prng(20240601);
  const merchantId = actor.merchantId;
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const steps: Step[] = [];
  const step = (at: Date, run: () => Promise<unknown>) => steps.push({ at, run });
  const services: { sandbox?: string; bank?: string } = {};
  const BANK_SECRET = "pss_demo_bank_notifications_0001";

  step(ago(30 * DAY), async () => {
    await ensureSandbox(db, merchantId);
    const bank = await createService(db, actor, { kind: "bank_transfer", name: "Techcombank account", bankBin: "970407", accountNumber: "19036512345016", accountName: "Demo Store", secret: BANK_SECRET });
    services.bank = bank.id;
    services.sandbox = (await listServices(db, merchantId)).find((s) => s.kind === "sandbox")!.id;
  });
  step(ago(29 * DAY + 20 * HOUR), () => createEndpoint(db, actor, { url: demoEndpoints().orders, description: "Order system", allEvents: true, enabled: true }));
  step(ago(9 * DAY), () =>
    createEndpoint(db, actor, { url: demoEndpoints().books, description: "Accounting", allEvents: false, eventTypes: ["invoice.paid", "invoice.overpaid", "payment.succeeded"], enabled: true }),
  );

  /** A signed notification from the sandbox (cards, QR) or the bank, handled as if it had come over HTTP. */
  async function notify(link: PaymentLink, body: Record<string, unknown>) {
    const viaBank = link.currency === "VND" && link.serviceIds.includes(services.bank!);
    const rows = await listServices(db, merchantId);
    const service = serviceContext(rows.find((s) => s.id === (viaBank ? services.bank : services.sandbox))!);
    const json = JSON.stringify({ currency: link.currency, payment_link_id: link.id, ...body });
    const request = new Request(`http://demo.invalid/api/providers/${service.id}/notify`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signNotification(service.secret!, json) },
      body: json,
    });
    await handleProviderNotification(db, service.id, request);
  }

  plans(rng, now).forEach((plan, i) => {
    const made: { invoice?: Invoice; link?: PaymentLink } = {};
    const who = rng.pick(customers[plan.currency]!);
    const lines = Array.from({ length: rng.int(1, plan.currency === "USD" ? 3 : 2) }, () => rng.pick(products[plan.currency]!));
    const items = [...new Map(lines.map((p) => [p.name, p])).values()].map((p) => ({ name: p.name, unitPrice: p.price, quantity: rng.int(1, 3) }));
    const due = new Date(plan.at.getTime() + 14 * DAY).toISOString().slice(0, 10);
    step(plan.at, async () => {
      made.invoice = await createInvoice(db, actor, { currency: plan.currency, customer: who, items, referenceId: `ORD-${1001 + i}`, dueDate: due, confirmPastDue: true });
    });
    if (plan.outcome === "unpaid") return;
    if (plan.outcome === "void") return void step(new Date(plan.at.getTime() + rng.int(2, 30) * HOUR), () => voidInvoice(db, actor, { invoiceId: made.invoice!.id }));

    const amountNow = () => made.invoice!.amount;
    const part = () => Math.max(1, Math.round((amountNow() * rng.int(30, 60)) / 100 / 100) * 100);
    if (plan.via === "bank" || plan.via === "cash") {
      const method = plan.via === "bank" ? "bank_transfer" : "cash";
      const reference = plan.via === "bank" ? `FT${String(240000 + i * 37).padStart(8, "0")}` : undefined;
      step(plan.payAt, () =>
        recordManualPayment(db, actor, { invoiceId: made.invoice!.id, method, reference, amount: plan.outcome === "partial" ? part() : amountNow() }),
      );
      // Overpaid: the customer sent the transfer twice.
      if (plan.outcome === "extra") {
        let twice: string | undefined;
        step(new Date(plan.payAt.getTime() + 26 * HOUR), async () => {
          const extra = await recordManualPayment(db, actor, { invoiceId: made.invoice!.id, method, reference: `${reference}-2`, amount: Math.round(amountNow() / 10), note: "Sent twice by the customer; refund the difference." });
          twice = extra.payment.id;
        });
        // A bank transfer's surplus goes back by transfer, recorded here with its reference.
        const refundAt = new Date(plan.payAt.getTime() + 50 * HOUR);
        if (plan.via === "bank" && refundAt < now) {
          step(refundAt, () =>
            createRefund(db, actor, { paymentId: twice!, reason: "The customer sent the transfer twice.", reference: `${reference}-R` }),
          );
        }
      }
      return;
    }
    // Card or QR: through a payment link and a signed provider notification.
    const { at: linkAt, minutes } = plan.link ?? { at: new Date(plan.at.getTime() + 10 * MIN), minutes: 43_200 };
    step(linkAt, async () => {
      const serviceIds = plan.currency === "VND" ? [services.bank!, services.sandbox!] : [services.sandbox!];
      made.link = await createInvoiceLink(db, actor, { invoiceId: made.invoice!.id, serviceIds, expiresInMinutes: minutes });
    });
    const method = plan.via === "card" ? "card" : "bank_transfer";
    const txn = `sbx_${(0x5eed00 + i * 7919).toString(16)}`;
    const card = plan.via === "card" ? { card_last4: rng.pick(["4242", "1881", "0005", "5100"]) } : {};
    const pay = (amount: number) => ({ id: txn, status: "succeeded", amount, payment_method: method, ...card });
    if (plan.declined) {
      const declinedAt = new Date(plan.payAt.getTime() - 15 * MIN);
      const failed = plan.declined === "late" ? { id: txn, message: "Awaiting confirmation from the issuer" } : { id: `${txn}_1`, message: "Declined: insufficient funds", card_last4: "0002" };
      step(declinedAt, () => notify(made.link!, { ...pay(amountNow()), status: "failed", ...failed }));
    }
    step(plan.payAt, () => notify(made.link!, pay(plan.outcome === "partial" ? part() : amountNow())));
  });

  // Standalone links: a paid deposit, one still open, one that expired unpaid, one canceled.
  const standalone = (at: Date, input: { currency: CurrencyCode; amount: string; description: string; customerName?: string; expiresInMinutes: number }, then?: (link: PaymentLink) => Step[]) =>
    step(at, async () => {
      const link = await createStandaloneLink(db, actor, { ...input, serviceIds: [services.sandbox!] });
      for (const s of then?.(link) ?? []) steps.push(s);
      steps.sort((a, b) => a.at.getTime() - b.at.getTime());
    });
  standalone(ago(18 * DAY), { currency: "AED", amount: "500.00", description: "Deposit: coffee cart hire", customerName: "Khalid Rahman", expiresInMinutes: 43_200 }, (link) => [
    { at: ago(17 * DAY + 5 * HOUR), run: () => notify(link, { id: "sbx_deposit_1", status: "succeeded", amount: link.amount, payment_method: "card", card_last4: "4242" }) },
  ]);
  standalone(ago(2 * DAY + 3 * HOUR), { currency: "USD", amount: "45.00", description: "Barista workshop seat", customerName: "Mei Lin", expiresInMinutes: 10_080 });
  standalone(ago(6 * DAY), { currency: "USD", amount: "38.00", description: "Cold brew kit (pre-order)", customerName: "Tom Becker", expiresInMinutes: 60 }, (link) => [
    { at: ago(6 * DAY - 61 * MIN), run: () => expireDueLinks(db, { now: ago(6 * DAY - 61 * MIN), merchantId, linkId: link.id }) },
  ]);
  standalone(ago(4 * DAY), { currency: "USD", amount: "120.00", description: "Espresso machine service", customerName: "Omar Khalil", expiresInMinutes: 43_200 }, (link) => [
    { at: ago(4 * DAY - 2 * HOUR), run: () => cancelLink(db, actor, { linkId: link.id }) },
  ]);

  steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  // Steps may add later steps (a link's payment): walk the list as it grows, always oldest first.
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k]!;
    await backdated(db, { merchantId, at: s.at }, s.run);
  }
}
