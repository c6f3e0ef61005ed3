import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as invoicePaymentsRoute from "@/app/api/v1/invoices/[id]/payments/route";
import * as paymentRoute from "@/app/api/v1/payments/[id]/route";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import { invoices, providerNotifications } from "@/db/schema";
import { createService, listServices } from "@/lib/payment-services/services";
import { call, makeApiKey, useApiTestDb } from "@/test/api";
import { type ConnectionRecorder, startConnectionRecorder } from "@/test/connection-recorder";
import { makeInvoice, makeMerchant } from "@/test/factories";

/**
 * Whoever sends a request chooses its Host and X-Forwarded-* headers. Here
 * they all point at a server that records every connection: the sandbox's
 * buttons, the API's checkout links and the checkout page must neither
 * connect to it nor hand out a URL on it; every absolute URL starts with the
 * configured public URL.
 */
const forged = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => forged.headers }));

const { db } = useApiTestDb();
const PUBLIC = "https://pay.settle.example";
let recorder: ConnectionRecorder;
const saved = process.env.APP_URL;

beforeAll(async () => {
  recorder = await startConnectionRecorder();
  process.env.APP_URL = PUBLIC;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.APP_URL;
  else process.env.APP_URL = saved;
  await recorder.close();
});
beforeEach(() => {
  forged.headers = new Headers({ host: recorder.host, "x-forwarded-host": recorder.host, "x-forwarded-proto": "http", "x-request-id": "req_forged-origin-test" });
});

const towardRecorder = () => ({ host: recorder.host, "x-forwarded-host": recorder.host, "x-forwarded-proto": "http" });

/** Runs a server action to its redirect (Next's NEXT_REDIRECT error), and returns where it sends the browser. */
async function redirectOf(run: Promise<unknown>): Promise<string> {
  const thrown = await run.then(
    () => null,
    (err: unknown) => err,
  );
  const digest = String((thrown as { digest?: unknown } | null)?.digest ?? "");
  if (!digest.startsWith("NEXT_REDIRECT")) throw thrown ?? new Error("the action did not redirect");
  return digest.split(";")[2]!;
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

/** Every absolute URL anywhere in a value (an API answer, a page's element tree), and those inside their query strings. */
function urlsIn(value: unknown): string[] {
  const found = JSON.stringify(value).match(/https?:\/\/[^\s"'\\]+/g) ?? [];
  const nested = found.flatMap((u) => [...(URL.parse(u)?.searchParams.values() ?? [])].filter((v) => /^https?:\/\//.test(v)));
  return [...new Set([...found, ...nested])];
}

describe("no outgoing request or absolute URL is built from a request's headers", () => {
  it("the sandbox's Approve pays the invoice in-process: nothing connects to the forged host", async () => {
    const m = await makeMerchant(db(), "Origin Shop");
    const [sandbox] = (await listServices(db(), m.merchant.id)).filter((s) => s.kind === "sandbox");
    const invoice = await makeInvoice(db(), m.ownerActor, { amount: 2_500, currency: "USD" });
    const creds = await makeApiKey(db(), m.ownerActor);
    const qr = await call(invoicePaymentsRoute.POST, `/invoices/${invoice.id}/payments`, creds, { body: { payment_service_id: sandbox!.id }, headers: towardRecorder() });
    expect(qr.status).toBe(201);
    const code = String(qr.json.remark).replace(/^SETTLE /, "");

    const { sandboxAction } = await import("@/app/sandbox/[code]/actions");
    const to = await redirectOf(sandboxAction(form({ code, service: sandbox!.id, flow: "qr", op: "approve" })));
    // Back to the checkout, as after a real provider; no "Settle answered …" problem.
    expect(to).toBe(`/pay/${code}?return=1&method=${encodeURIComponent(`${sandbox!.id}.qr`)}`);
    const [paid] = await db().select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(paid).toMatchObject({ paymentStatus: "paid", paidAmount: 2_500 });

    // The notification went through the notify endpoint's own path: verified by its signature,
    // recorded, and logged under the button press's request id.
    const [n] = await db().select().from(providerNotifications).where(eq(providerNotifications.serviceId, sandbox!.id));
    expect(n).toMatchObject({ outcome: "recorded", verifiedBy: "signature", invoiceId: invoice.id });
    expect(n!.headers["x-request-id"]).toBe("req_forged-origin-test");

    // Replay and decline take the same road: still nothing at the recorder.
    expect(await redirectOf(sandboxAction(form({ code, service: sandbox!.id, flow: "qr", op: "replay" })))).toMatch(/^\/pay\//);
    expect(recorder.connections).toEqual([]);
    expect(recorder.requests).toEqual([]);
  });

  it("the checkout URLs the API returns start with the public URL, whatever Host the caller sent", async () => {
    const m = await makeMerchant(db(), "Origin API Shop");
    const creds = await makeApiKey(db(), m.ownerActor);
    const cards = await createService(db(), m.ownerActor, { kind: "redirect", name: "Cards", baseUrl: "https://cards.example.com/", secret: "c".repeat(32) });
    const invoice = await makeInvoice(db(), m.ownerActor, { amount: 4_000, currency: "USD" });
    const redirect = await call(invoicePaymentsRoute.POST, `/invoices/${invoice.id}/payments`, creds, { body: { payment_service_id: cards.id }, headers: towardRecorder() });
    expect(redirect.status).toBe(201);
    // The provider's page is told to send the customer and its callback back to the public URL.
    const provider = new URL(redirect.json.url);
    expect(provider.origin).toBe("https://cards.example.com");
    expect(provider.searchParams.get("return_url")).toMatch(new RegExp(`^${PUBLIC}/pay/[A-Z0-9]{8}\\?return=1`));
    expect(provider.searchParams.get("notify_url")).toBe(`${PUBLIC}/api/providers/${cards.id}/notify`);

    const created = await call(paymentsRoute.POST, "/payments", creds, {
      body: { items: [{ name: "Tea", price: 500, quantity: 2, amount: 1000 }], currency: "USD", payment_method: "card", amount: 1000, reference_id: "ORDER-1" },
      headers: towardRecorder(),
    });
    expect(created.status).toBe(201);
    expect(created.json.payment_url).toBe(`${PUBLIC}/pay/${created.json.payment_request_code}`);
    const read = await call(paymentRoute.GET, `/payments/${created.json.payment_request_id}`, creds, { headers: towardRecorder() });
    expect(read.json.payment_url).toBe(created.json.payment_url);
    const listed = await call(paymentsRoute.GET, "/payments?reference_id=ORDER-1", creds, { headers: towardRecorder() });
    expect(listed.json.data.map((p: { payment_url: string }) => p.payment_url)).toEqual([created.json.payment_url]);

    for (const answer of [redirect.json, created.json, read.json, listed.json]) {
      for (const url of urlsIn(answer)) expect(url).not.toContain(recorder.host);
    }
    expect(recorder.connections).toEqual([]);
  });

  it("the checkout page links back to the public URL, not to the Host it was asked on", async () => {
    const m = await makeMerchant(db(), "Origin Page Shop");
    const creds = await makeApiKey(db(), m.ownerActor);
    const cards = await createService(db(), m.ownerActor, { kind: "redirect", name: "Cards", baseUrl: "https://cards.example.com/", secret: "d".repeat(32) });
    const invoice = await makeInvoice(db(), m.ownerActor, { amount: 900, currency: "USD" });
    const made = await call(invoicePaymentsRoute.POST, `/invoices/${invoice.id}/payments`, creds, { body: { payment_service_id: cards.id } });
    const code = new URL(new URL(made.json.url).searchParams.get("return_url")!).pathname.split("/")[2]!;

    const { default: CheckoutPage } = await import("@/app/pay/[code]/page");
    // The page's element tree, as Next would render it: every URL it carries.
    const tree = await CheckoutPage({ params: Promise.resolve({ code }), searchParams: Promise.resolve({ return: "1" }) });
    const urls = urlsIn(tree);
    expect(urls).toContain(`${PUBLIC}/api/providers/${cards.id}/notify`);
    for (const url of urls) expect(url).not.toContain(recorder.host);
    expect(recorder.connections).toEqual([]);
  });
});
