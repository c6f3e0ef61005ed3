import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, events, invoices, merchantCounters } from "@/db/schema";
import { roles } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { createInvoice } from "./create";
import { getInvoice, invoiceEvents } from "./queries";
import { formatInvoiceNumber, parseInvoiceNumber } from "./schemas";
import { voidInvoice } from "./void";

const { db, handle } = useTestDb();

const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "ok" as string, fields: undefined as Record<string, string[]> | undefined }),
    (e: unknown) => (e instanceof AppError ? { code: e.code as string, fields: e.fields } : { code: `unexpected: ${String(e)}`, fields: undefined }),
  );

describe("createInvoice", () => {
  it("totals the lines, numbers per merchant, and writes the created event and audit in one go", async () => {
    const m = await makeMerchant(db());
    const first = await createInvoice(db(), m.ownerActor, {
      currency: "KWD",
      items: [
        { name: "Design", unitPrice: 12_500, quantity: 2 },
        { name: "Hosting", unitPrice: "1.250", quantity: 3 },
      ],
      customer: { name: "Layla", email: "layla@example.test", phone: "+965 5555 1234" },
      referenceId: "ORD-1",
      dueDate: "2031-02-28",
      metadata: { order: "1" },
    });
    expect(first.number).toBe(1);
    expect(first.items.map((i) => [i.name, i.unitPrice, i.quantity, i.amount])).toEqual([
      ["Design", 12_500, 2, 25_000],
      ["Hosting", 1_250, 3, 3_750],
    ]);
    expect(first).toMatchObject({ amount: 28_750, paidAmount: 0, paymentStatus: "unpaid", status: "open", dueDate: "2031-02-28" });

    const second = await makeInvoice(db(), m.ownerActor);
    expect(formatInvoiceNumber(second.number)).toBe("INV-000002");
    const other = await makeMerchant(db());
    expect((await makeInvoice(db(), other.ownerActor)).number).toBe(1);

    const timeline = await invoiceEvents(db(), { merchantId: m.merchant.id, invoiceId: first.id });
    expect(timeline.map((e) => e.type)).toEqual(["invoice.created"]);
    expect(timeline[0]!.data).toMatchObject({ invoice: { number: "INV-000001", amount: 28_750, currency: "KWD", reference_id: "ORD-1" } });
    expect(await db().$count(auditLog, and(eq(auditLog.targetId, first.id), eq(auditLog.action, "invoice.created")))).toBe(1);
  });

  it("reports every bad field at once and writes nothing", async () => {
    const m = await makeMerchant(db());
    const result = await failure(
      createInvoice(db(), m.ownerActor, {
        currency: "USD",
        items: [
          { name: "", unitPrice: "12.345", quantity: 0 },
          { name: "ok", unitPrice: 100, quantity: 1.5 },
        ],
        customer: { name: " ", email: "not-an-email" },
        dueDate: "2031-02-30",
      }),
    );
    expect(result.code).toBe("validation_failed");
    expect(Object.keys(result.fields ?? {}).sort()).toEqual(
      ["customer.email", "customer.name", "dueDate", "items.0.name", "items.0.quantity", "items.1.quantity"].sort(),
    );
    expect(await db().$count(invoices, eq(invoices.merchantId, m.merchant.id))).toBe(0);
    expect(await db().$count(merchantCounters, eq(merchantCounters.merchantId, m.merchant.id))).toBe(0);
  });

  it("rejects a typed price with too many decimals on its own line", async () => {
    const m = await makeMerchant(db());
    const result = await failure(
      createInvoice(db(), m.ownerActor, { currency: "USD", items: [{ name: "x", unitPrice: "12.345", quantity: 1 }], customer: { name: "A" } }),
    );
    expect(result.fields).toEqual({ "items.0.unitPrice": ["USD amounts have at most 2 decimal places."] });
  });

  it("refuses a reference ID the merchant already used, without spending a number", async () => {
    const m = await makeMerchant(db());
    await makeInvoice(db(), m.ownerActor, { referenceId: "ORD-7" });
    const dup = await failure(makeInvoice(db(), m.ownerActor, { referenceId: "ORD-7" }));
    expect(dup).toEqual({ code: "validation_failed", fields: { referenceId: ["Another invoice already uses this reference ID."] } });
    expect((await makeInvoice(db(), m.ownerActor)).number).toBe(2);
    // Another merchant may use the same reference.
    const other = await makeMerchant(db());
    expect((await failure(makeInvoice(db(), other.ownerActor, { referenceId: "ORD-7" }))).code).toBe("ok");
  });

  for (const role of roles) {
    const allowed = role === "owner" || role === "admin";
    it(`${role} ${allowed ? "can" : "cannot"} create and void`, async () => {
      const m = await makeMerchant(db());
      const actor = role === "owner" ? m.ownerActor : (await m.addMember(role)).actor;
      expect((await failure(makeInvoice(db(), actor))).code).toBe(allowed ? "ok" : "forbidden");
      const inv = await makeInvoice(db(), m.ownerActor);
      expect((await failure(voidInvoice(db(), actor, { invoiceId: inv.id }))).code).toBe(allowed ? "ok" : "forbidden");
    });
  }
});

describe("voidInvoice", () => {
  it("voids an unpaid invoice once, with an event and audit; counts move to Void", async () => {
    const m = await makeMerchant(db());
    const inv = await makeInvoice(db(), m.ownerActor);
    const voided = await voidInvoice(db(), m.ownerActor, { invoiceId: inv.id });
    expect(voided.status).toBe("void");
    expect(voided.voidedAt).toBeInstanceOf(Date);
    expect((await failure(voidInvoice(db(), m.ownerActor, { invoiceId: inv.id }))).code).toBe("conflict");
    const types = (await invoiceEvents(db(), { merchantId: m.merchant.id, invoiceId: inv.id })).map((e) => e.type);
    expect(types).toEqual(["invoice.created", "invoice.voided"]);
    expect(await db().$count(auditLog, and(eq(auditLog.targetId, inv.id), eq(auditLog.action, "invoice.voided")))).toBe(1);
    const [c] = await db().select().from(merchantCounters).where(eq(merchantCounters.merchantId, m.merchant.id));
    expect([c?.unpaidCount, c?.voidCount]).toEqual([0, 1]);
  });

  it("another merchant's invoice is not found, and stays open", async () => {
    const a = await makeMerchant(db(), "A");
    const b = await makeMerchant(db(), "B");
    const bInv = await makeInvoice(db(), b.ownerActor);
    expect((await failure(voidInvoice(db(), a.ownerActor, { invoiceId: bInv.id }))).code).toBe("not_found");
    expect(await getInvoice(db(), { merchantId: a.merchant.id, id: bInv.id })).toBeNull();
    expect(await invoiceEvents(db(), { merchantId: a.merchant.id, invoiceId: bInv.id })).toEqual([]);
    expect((await getInvoice(db(), { merchantId: b.merchant.id, id: bInv.id }))?.status).toBe("open");
  });
});

describe("parseInvoiceNumber", () => {
  it.each([
    ["INV-000042", 42],
    ["inv42", 42],
    ["#7", 7],
    [" 0012 ", 12],
    ["INV-", null],
    ["ada", null],
    ["0", null],
  ] as const)("%j → %s", (q, n) => expect(parseInvoiceNumber(q)).toBe(n));
});
