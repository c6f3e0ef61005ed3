import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Database } from "@/db/client";
import { rowsOf } from "@/db/rows";
import {
  apiIdempotencyKeys,
  auditLog,
  invoices,
  merchantCounters,
  paymentLinks,
  paymentServices,
  providerNotifications,
  providerSessions,
  testDataDeletions,
} from "@/db/schema";
import { type Actor, roles } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { createPaymentRequest } from "@/lib/payment-links/requests";
import { createService, ensureSandbox } from "@/lib/payment-services/services";
import { recordManualPayment } from "@/lib/payments/manual";
import { createRefund } from "@/lib/refunds/refunds";
import { startBulkRetry } from "@/lib/webhooks/deliveries";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { deleteTestData, latestTestDataDeletion } from "./deletions";
import { countTestData, purgedTables, resumeTestDataDeletions, runTestDataDeletion } from "./purge";

const { db } = useTestDb();

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : `unexpected: ${String(e)}`),
  );

/** Every table with a merchant_id, and invoice lines and webhook attempts through theirs. */
async function merchantTables(): Promise<string[]> {
  return rowsOf(
    await db().execute(sql`select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'merchant_id' order by 1`),
    z.object({ table_name: z.string() }),
  ).map((r) => r.table_name);
}

/** Per table, the count and a hash of a space's rows (and its invoices' lines). */
async function snapshot(spaceId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const row = z.object({ n: z.coerce.number(), h: z.string() });
  for (const table of await merchantTables()) {
    const [r] = rowsOf(
      await db().execute(sql`select count(*) as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h
        from ${sql.identifier(table)} t where merchant_id = ${spaceId}`),
      row,
    );
    out[table] = `${r!.n} ${r!.h}`;
  }
  const [items] = rowsOf(
    await db().execute(sql`select count(*) as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h
      from invoice_items t join invoices i on i.id = t.invoice_id where i.merchant_id = ${spaceId}`),
    row,
  );
  out.invoice_items = `${items!.n} ${items!.h}`;
  return out;
}

async function count(table: string, spaceId: string): Promise<number> {
  const [r] = rowsOf(await db().execute(sql`select count(*) as n from ${sql.identifier(table)} where merchant_id = ${spaceId}`), z.object({ n: z.coerce.number() }));
  return r!.n;
}

async function idempotencyKey(database: Database, merchantId: string) {
  await database.insert(apiIdempotencyKeys).values({
    merchantId,
    key: newId("idem"),
    fingerprint: "f",
    state: "done",
    lockedUntil: new Date(),
    responseStatus: 201,
    responseBody: "{}",
    expiresAt: new Date(Date.now() + 86_400_000),
  });
}

/** One of everything in one space: invoices with lines, links, payments, events and deliveries, notifications, a payment request, an idempotency key, a bulk retry. */
async function furnish(actor: Actor, { invoicesToMake, live }: { invoicesToMake: number; live: boolean }) {
  const spaceId = actor.merchantId;
  let serviceId: string;
  if (live) {
    serviceId = (await createService(db(), actor, { kind: "bank_transfer", name: "Shop bank", bankBin: "970416", accountNumber: "257678859", accountName: "NGUYEN VAN A" })).id;
  } else {
    await ensureSandbox(db(), spaceId);
    serviceId = (await db().select().from(paymentServices).where(eq(paymentServices.merchantId, spaceId)))[0]!.id;
  }
  await createEndpoint(db(), actor, { url: "http://127.0.0.1:9/hook", allEvents: true });
  const made = [];
  for (let i = 0; i < invoicesToMake; i++) {
    const invoice = await makeInvoice(db(), actor, { currency: "VND", amount: 100_000 + i });
    await createInvoiceLink(db(), actor, { invoiceId: invoice.id, serviceIds: [serviceId] });
    made.push(invoice);
  }
  const cash = await recordManualPayment(db(), actor, { invoiceId: made[0]!.id, amount: 40_000, method: "cash", reference: `cash-${spaceId}` });
  await createRefund(db(), actor, { paymentId: cash.payment.id, amount: 1_000, reason: "Change given back", reference: `back-${spaceId}` });
  await createPaymentRequest(db(), actor, { paymentMethod: "bank_transfer", amount: 5_000, currency: "VND", referenceId: `ORD-${spaceId}`, origin: "http://127.0.0.1:3999" });
  await db().insert(providerNotifications).values({ id: newId("ntf"), merchantId: spaceId, serviceId, headers: {}, body: "{}", outcome: "unmatched", providerRef: `ref-${spaceId}`, amount: 5, currency: "VND" });
  // A gateway session, as a remote connector's checkout leaves one.
  const [link] = await db().select().from(paymentLinks).where(eq(paymentLinks.merchantId, spaceId)).limit(1);
  await db().insert(providerSessions).values({ id: newId("pse"), merchantId: spaceId, serviceId, paymentLinkId: link!.id, flow: "redirect", amount: 5, instruction: { kind: "redirect", url: "http://127.0.0.1:9/pay" } });
  await idempotencyKey(db(), spaceId);
  await startBulkRetry(db(), actor, { status: [] });
  return { serviceId, invoices: made };
}

async function shop(name: string) {
  const m = await makeMerchant(db(), name);
  const owner = m.ownerActor;
  const liveOwner = m.inMode(owner, true);
  await furnish(owner, { invoicesToMake: 7, live: false });
  const live = await furnish(liveOwner, { invoicesToMake: 3, live: true });
  return { m, owner, liveOwner, live, testId: m.account.testId, liveId: m.account.id };
}

describe("delete all test data", () => {
  it("deletes every test row in batches, progress reaching the total, and leaves live data untouched", async () => {
    const s = await shop("Purge shop");
    const other = await shop("Neighbour shop");
    const liveBefore = await snapshot(s.liveId);
    const neighbourBefore = [await snapshot(other.liveId), await snapshot(other.testId)];
    const testBefore = await snapshot(s.testId);
    // Something of every kind to delete, or the test proves nothing for that table.
    for (const table of purgedTables) expect(await count(table, s.testId), table).toBeGreaterThan(0);
    expect(Object.values(liveBefore).filter((v) => v.startsWith("0 ")).length).toBeLessThan(Object.keys(liveBefore).length);

    const total = await countTestData(db(), s.testId);
    const job = await deleteTestData(db(), s.owner, {});
    expect(job).toMatchObject({ merchantId: s.testId, status: "running", total, deleted: 0 });

    // Watch the progress while it runs, 3 rows a statement.
    const seen: number[] = [];
    let running = true;
    const run = runTestDataDeletion(db(), job.id, { batchSize: 3 }).finally(() => (running = false));
    while (running) {
      const p = await latestTestDataDeletion(db(), { accountId: s.liveId });
      if (p?.status === "running") seen.push(p.deleted);
    }
    expect(await run).toBe("finished");
    expect(seen.some((d) => d > 0 && d < total), `progress seen: ${seen.join(",")}`).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);

    const done = await latestTestDataDeletion(db(), { accountId: s.liveId });
    expect(done).toMatchObject({ status: "finished", total, deleted: total, error: null });
    expect(done!.finishedAt).not.toBeNull();

    // Every test row gone; configuration kept; counters back to zero.
    const testAfter = await snapshot(s.testId);
    for (const table of [...purgedTables, "invoice_items", "webhook_attempts"]) expect(testAfter[table], table).toMatch(/^0 /);
    for (const table of ["payment_services", "webhook_endpoints", "api_keys", "webhook_settings"]) expect(testAfter[table], table).toBe(testBefore[table]);
    const [counters] = await db().select().from(merchantCounters).where(eq(merchantCounters.merchantId, s.testId));
    expect(counters).toMatchObject({ invoiceSeq: 0, unpaidCount: 0, partialCount: 0, paidCount: 0, extraCount: 0, voidCount: 0 });

    // Live rows, and another account's, exactly as they were; the live log has the request's entry.
    const { audit_log: auditAfter, ...liveAfter } = await snapshot(s.liveId);
    const { audit_log: auditBefore, ...liveRowsBefore } = liveBefore;
    expect(liveAfter).toEqual(liveRowsBefore);
    expect(Number(auditAfter!.split(" ")[0])).toBe(Number(auditBefore!.split(" ")[0]) + 1);
    expect([await snapshot(other.liveId), await snapshot(other.testId)]).toEqual(neighbourBefore);

    // The next test invoice is number 1 again; live numbering goes on.
    expect((await makeInvoice(db(), s.owner)).number).toBe(1);
    const liveInvoices = await count("invoices", s.liveId);
    expect((await makeInvoice(db(), s.liveOwner, { currency: "VND" })).number).toBe(liveInvoices + 1);
  });

  it("writes the request to the live and the test audit log", async () => {
    const m = await makeMerchant(db(), "Audit shop");
    await makeInvoice(db(), m.ownerActor);
    const job = await deleteTestData(db(), m.ownerActor, {});
    for (const space of [m.account.id, m.account.testId]) {
      const entries = await db().select().from(auditLog).where(and(eq(auditLog.merchantId, space), eq(auditLog.action, "test_data.deletion_started")));
      expect(entries, space).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actorUserId: m.owner.id, targetId: job.id, after: { testSpace: m.account.testId, rows: job.total } });
    }
  });

  it("is the owner's alone: other roles and every API key are refused and nothing is recorded", async () => {
    const m = await makeMerchant(db(), "Roles shop");
    await makeInvoice(db(), m.ownerActor);
    for (const role of roles.filter((r) => r !== "owner")) {
      const { actor } = await m.addMember(role);
      expect(await codeOf(deleteTestData(db(), actor, {})), role).toBe("forbidden");
      expect(await codeOf(deleteTestData(db(), m.inMode(actor, true), {})), `${role} in live mode`).toBe("forbidden");
    }
    for (const role of ["admin", "support", "viewer"] as const) {
      expect(await codeOf(deleteTestData(db(), { ...m.ownerActor, role, apiKeyId: `key_${role}` }, {})), `${role} key`).toBe("forbidden");
    }
    expect(await db().select().from(testDataDeletions).where(eq(testDataDeletions.merchantId, m.account.testId))).toEqual([]);
    expect(await count("invoices", m.account.testId)).toBe(1);
  });

  it("targets the test space even when the owner asks from live mode", async () => {
    const m = await makeMerchant(db(), "Live ask shop");
    const live = m.inMode(m.ownerActor, true);
    await makeInvoice(db(), m.ownerActor);
    await makeInvoice(db(), live);
    const job = await deleteTestData(db(), live, {});
    expect(job.merchantId).toBe(m.account.testId);
    expect(await runTestDataDeletion(db(), job.id)).toBe("finished");
    expect(await count("invoices", m.account.testId)).toBe(0);
    expect(await count("invoices", m.account.id)).toBe(1);
  });

  it("answers a second request while one runs with a conflict, and runs again once it has finished", async () => {
    const m = await makeMerchant(db(), "Twice shop");
    await makeInvoice(db(), m.ownerActor);
    const first = await deleteTestData(db(), m.ownerActor, {});
    const second = deleteTestData(db(), m.ownerActor, {});
    await expect(second).rejects.toMatchObject({ code: "conflict", status: 409 });
    expect(await runTestDataDeletion(db(), first.id)).toBe("finished");

    await makeInvoice(db(), m.ownerActor);
    await makeInvoice(db(), m.ownerActor);
    const again = await deleteTestData(db(), m.ownerActor, {});
    expect(again.id).not.toBe(first.id);
    expect(await runTestDataDeletion(db(), again.id)).toBe("finished");
    expect(await latestTestDataDeletion(db(), { accountId: m.account.id })).toMatchObject({ id: again.id, status: "finished", deleted: again.total });
    expect(await count("invoices", m.account.testId)).toBe(0);
  });

  it("is run by one worker at a time, and picked up again once a stopped run's lease ends", async () => {
    const m = await makeMerchant(db(), "Resume shop");
    await makeInvoice(db(), m.ownerActor);
    const job = await deleteTestData(db(), m.ownerActor, {});
    // A worker that took the lease and stopped (a crashed process).
    await db().update(testDataDeletions).set({ leaseId: "lease_gone", lockedUntil: sql`now() + interval '1 minute'` }).where(eq(testDataDeletions.id, job.id));
    expect(await runTestDataDeletion(db(), job.id)).toBe("busy");
    await resumeTestDataDeletions(db());
    expect(await latestTestDataDeletion(db(), { accountId: m.account.id })).toMatchObject({ status: "running", deleted: 0 });
    expect(await count("invoices", m.account.testId)).toBe(1);

    await db().update(testDataDeletions).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(testDataDeletions.id, job.id));
    expect(await resumeTestDataDeletions(db())).toBeGreaterThanOrEqual(1);
    expect(await latestTestDataDeletion(db(), { accountId: m.account.id })).toMatchObject({ status: "finished" });
    expect(await count("invoices", m.account.testId)).toBe(0);
  });

  it("stops at its time budget with its progress kept, and the next sweep goes on from there", async () => {
    const m = await makeMerchant(db(), "Budget shop");
    for (let i = 0; i < 3; i++) await makeInvoice(db(), m.ownerActor);
    const job = await deleteTestData(db(), m.ownerActor, {});
    expect(await runTestDataDeletion(db(), job.id, { until: Date.now() - 1 })).toBe("paused");
    expect(await latestTestDataDeletion(db(), { accountId: m.account.id })).toMatchObject({ status: "running", deleted: 0 });
    expect(await count("invoices", m.account.testId)).toBe(3);
    // The lease is let go: the sweep need not wait for it to run out.
    expect(await resumeTestDataDeletions(db())).toBeGreaterThanOrEqual(1);
    expect(await latestTestDataDeletion(db(), { accountId: m.account.id })).toMatchObject({ status: "finished", deleted: job.total });
    expect(await count("invoices", m.account.testId)).toBe(0);
  });

  it("never empties a live space, whatever a job row says", async () => {
    const m = await makeMerchant(db(), "Forged shop", { livemode: true });
    await makeInvoice(db(), m.ownerActor);
    const before = await snapshot(m.account.id);
    const id = newId("tdd");
    await db().insert(testDataDeletions).values({ id, merchantId: m.account.id, total: 1 });
    expect(await runTestDataDeletion(db(), id)).toBe("busy");
    const after = await snapshot(m.account.id);
    expect(after.invoices).toBe(before.invoices);
    expect(await count("invoices", m.account.id)).toBe(1);
    await db().delete(testDataDeletions).where(eq(testDataDeletions.id, id));
  });

  it("deletes test data that arrives while it runs, and numbering never repeats", async () => {
    const m = await makeMerchant(db(), "Busy shop");
    for (let i = 0; i < 4; i++) await makeInvoice(db(), m.ownerActor);
    const job = await deleteTestData(db(), m.ownerActor, {});
    const run = runTestDataDeletion(db(), job.id, { batchSize: 1 });
    const during = await makeInvoice(db(), m.ownerActor);
    expect(await run).toBe("finished");
    const left = await db().select({ id: invoices.id }).from(invoices).where(eq(invoices.merchantId, m.account.testId));
    // Made before the counters were reset: deleted with the rest. Made after: kept, and numbered from 1.
    if (left.length) expect(left).toEqual([{ id: during.id }]);
    const next = await makeInvoice(db(), m.ownerActor);
    expect(next.number).toBe(left.length + 1);
  });
});
