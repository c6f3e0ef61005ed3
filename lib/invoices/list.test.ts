import fc from "fast-check";
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { invoices } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { listServices } from "@/lib/payment-services/services";
import { recordPayment } from "@/lib/payments/record";
import { createRefund } from "@/lib/refunds/refunds";
import { useTestDb } from "@/test/db";
import { makeInvoice, makeMerchant } from "@/test/factories";
import { voidInvoice } from "./void";
import { exportInvoicesCsv } from "./csv";
import { countInvoicesByStatus, listInvoices } from "./queries";
import type { InvoiceFiltersInput } from "./schemas";
import { weekOf } from "./search";

const { db, handle } = useTestDb();

let merchantId = "";
let otherMerchantId = "";
/** Numbers by tab, as seeded below. */
const seeded = { unpaid: [] as number[], partial: [] as number[], paid: [] as number[], extra: [] as number[], void: [] as number[] };

const pay = (invoiceId: string, amount: number, ref: string) =>
  recordPayment(db(), { merchantId, invoiceId, serviceId: "sandbox", providerRef: ref, amount, currency: "USD", method: "card", status: "succeeded" });

// 23 invoices for one merchant, one a day from 2030-01-01, in every status; plus a noisy neighbour.
beforeAll(async () => {
  const m = await makeMerchant(db(), "Lister");
  merchantId = m.merchant.id;
  for (let i = 1; i <= 23; i++) {
    const inv = await makeInvoice(db(), m.ownerActor, {
      amount: 1_000,
      referenceId: `REF-${i}`,
      customer: i % 5 === 0 ? { name: "Zoë \"Q\" O'Hara, Ltd", email: `zoe${i}@corp.test` } : { name: `Customer ${i}`, email: `c${i}@example.test` },
    });
    const day = `2030-01-${String(i).padStart(2, "0")}T12:00:00Z`;
    await db().update(invoices).set({ createdAt: new Date(day) }).where(eq(invoices.id, inv.id));
    const tab = (["unpaid", "partial", "paid", "extra", "void"] as const)[i % 5]!;
    if (tab === "partial") await pay(inv.id, 400, `p-${i}`);
    if (tab === "paid") await pay(inv.id, 1_000, `p-${i}`);
    if (tab === "extra") await pay(inv.id, 1_500, `p-${i}`);
    if (tab === "void") await voidInvoice(db(), m.ownerActor, { invoiceId: inv.id });
    seeded[tab].push(i);
  }
  const other = await makeMerchant(db(), "Neighbour");
  otherMerchantId = other.merchant.id;
  for (let i = 0; i < 3; i++) await makeInvoice(db(), other.ownerActor, { customer: { name: "Customer 1 twin" } });
});

const numbers = async (filters: InvoiceFiltersInput, limit = 50) =>
  (await listInvoices(db(), { merchantId, filters, limit })).rows.map((r) => r.number);

async function allPages(filters: InvoiceFiltersInput, limit: number) {
  const seen: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const { rows, nextCursor } = await listInvoices(db(), { merchantId, filters: { ...filters, cursor }, limit });
    seen.push(...rows.map((r) => r.number));
    if (!nextCursor) return seen;
    cursor = nextCursor;
  }
  throw new Error("cursor never ended");
}

describe("listInvoices", () => {
  it("pages newest first through every row exactly once, and oldest first when asked", async () => {
    const desc = Array.from({ length: 23 }, (_, i) => 23 - i);
    expect(await allPages({}, 5)).toEqual(desc);
    expect(await allPages({ sort: "created_asc" }, 7)).toEqual([...desc].reverse());
    expect((await listInvoices(db(), { merchantId, filters: {}, limit: 23 })).nextCursor).toBeNull();
  });

  it("keeps rows with the same created_at apart by id across pages", async () => {
    const m = await makeMerchant(db());
    for (let i = 0; i < 6; i++) await makeInvoice(db(), m.ownerActor);
    await db().update(invoices).set({ createdAt: new Date("2030-06-01T00:00:00Z") }).where(eq(invoices.merchantId, m.merchant.id));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listInvoices(db(), { merchantId: m.merchant.id, filters: { cursor }, limit: 4 });
      seen.push(...page.rows.map((r) => r.number));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("shows each status tab, void apart from the payment tabs", async () => {
    for (const tab of ["unpaid", "partial", "paid", "extra", "void"] as const) {
      expect((await allPages({ status: tab }, 2)).sort((a, b) => a - b)).toEqual(seeded[tab]);
    }
  });

  it("searches by number, reference id, customer name and email, case-insensitively", async () => {
    expect(await numbers({ q: "INV-000007" })).toEqual([7]);
    expect(await numbers({ q: "ref-12" })).toEqual([12]);
    expect(await numbers({ q: "customer 2" })).toEqual([23, 22, 21, 2]);
    expect(await numbers({ q: "ZOE20@corp.test" })).toEqual([20]);
    expect(await numbers({ q: "c1@" })).toEqual([1]);
    expect(await numbers({ q: "o'hara", status: "unpaid" })).toEqual([20, 15, 10, 5]);
    expect(await numbers({ q: "o'hara", status: "paid" })).toEqual([]);
    expect(await numbers({ q: "100%" })).toEqual([]);
    expect(await numbers({ q: "%" })).toEqual([]);
  });

  it("never shows another merchant's invoices", async () => {
    expect(await numbers({ q: "twin" })).toEqual([]);
    const theirs = await listInvoices(db(), { merchantId: otherMerchantId, filters: {} });
    expect(theirs.rows).toHaveLength(3);
  });
  it("filters by an inclusive date range", async () => {
    expect(await numbers({ from: "2030-01-03", to: "2030-01-05" })).toEqual([5, 4, 3]);
    expect(await numbers({ from: "2030-01-22" })).toEqual([23, 22]);
  });

  it("turns bad filters into messages a person can act on", async () => {
    const err = await listInvoices(db(), { merchantId, filters: { from: "2030-02-01", to: "2030-01-01" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe("The end date must be on or after the start date.");
    const bad = await listInvoices(db(), { merchantId, filters: { cursor: "nonsense" } }).catch((e: unknown) => e);
    expect((bad as AppError).code).toBe("bad_request");
    expect((err as AppError).fields).toEqual({ to: ["The end date must be on or after the start date."] });
    // Next.js hands a repeated param over as an array: the first value counts.
    expect(await numbers({ q: ["ref-12", "ref-13"] })).toEqual([12]);
    // An unknown tab in a shared URL falls back to All instead of failing the page.
    expect(await numbers({ status: "bogus" }, 3)).toEqual([23, 22, 21]);
  });
});

describe("search", () => {
  let shop = "";
  let neighbour = "";
  const found = async (q: string, merchant = shop) =>
    (await listInvoices(db(), { merchantId: merchant, filters: { q } })).rows.map((r) => r.customerName).sort();

  beforeAll(async () => {
    const m = await makeMerchant(db(), "Search Shop");
    shop = m.merchant.id;
    const customers = [
      { name: "Nguyễn Thị Minh Khai", email: "minh.khai@shop.test", ref: "PO-7731" },
      { name: "ĐẶNG VĂN LÂM", email: "lam@shop.test", ref: "PO-7740" },
      { name: "Layla Al-Sayed", email: "layla.s@mail.test", ref: "ORD/2025/001" },
      { name: "Omar Khalil", email: "omar.khalil@shop.test", ref: "ord-9" },
      { name: "Omar Haddad", email: "o.haddad@mail.test", ref: undefined },
      { name: "محمد عبد الله", email: undefined, ref: "AR-1" },
      { name: "Nguyễn Văn A", email: "Duc.Nguyen@shop.test", ref: undefined },
      { name: "Trần Đức Bình", email: "binh@shop.test", ref: undefined },
    ];
    for (const c of customers) {
      await makeInvoice(db(), m.ownerActor, { referenceId: c.ref, customer: { name: c.name, email: c.email } });
    }
    const other = await makeMerchant(db(), "Search Neighbour");
    neighbour = other.merchant.id;
    await makeInvoice(db(), other.ownerActor, { referenceId: "PO-7731", customer: { name: "Omar Khalil", email: "omar.khalil@shop.test" } });
  });

  it("finds the start of any word of the name, in any script and case, but not the middle of one", async () => {
    expect(await found("ngu")).toEqual(["Nguyễn Thị Minh Khai", "Nguyễn Văn A"]);
    expect(await found("MINH")).toEqual(["Nguyễn Thị Minh Khai"]);
    expect(await found("đặng")).toEqual(["ĐẶNG VĂN LÂM"]);
    expect(await found("lâm")).toEqual(["ĐẶNG VĂN LÂM"]);
    expect(await found("عبد")).toEqual(["محمد عبد الله"]);
    expect(await found("say")).toEqual(["Layla Al-Sayed"]);
    expect(await found("al-say")).toEqual(["Layla Al-Sayed"]);
    expect(await found("guyen")).toEqual([]);
    expect(await found("halil")).toEqual([]);
  });

  it("finds a name and an email whatever their accents and case, đ as d", async () => {
    for (const q of ["nguyen", "NGUYEN", "nguyễn", "Nguyễn", "nguye\u0302\u0303n"]) {
      expect(await found(`${q} van`), q).toEqual(["Nguyễn Văn A"]);
    }
    expect(await found("dang lam")).toEqual(["ĐẶNG VĂN LÂM"]);
    expect(await found("DANG")).toEqual(["ĐẶNG VĂN LÂM"]);
    expect(await found("duc")).toEqual(["Nguyễn Văn A", "Trần Đức Bình"]); // her email, his name
    expect(await found("đuc binh")).toEqual(["Trần Đức Bình"]);
    expect(await found("tran đuc")).toEqual(["Trần Đức Bình"]);
    expect(await found("duc.nguyen@")).toEqual(["Nguyễn Văn A"]);
    expect(await found("ĐỨC.NGUYỄN@SHOP")).toEqual(["Nguyễn Văn A"]);
    expect((await countInvoicesByStatus(db(), { merchantId: shop, filters: { q: "nguyen" } })).all).toBe(2);
  });

  it("narrows with every word, in any order", async () => {
    expect(await found("omar")).toEqual(["Omar Haddad", "Omar Khalil"]);
    expect(await found("omar k")).toEqual(["Omar Khalil"]);
    expect(await found("KHALIL   om")).toEqual(["Omar Khalil"]);
    expect(await found("omar layla")).toEqual([]);
  });

  it("finds the start of the email and of the reference id, not their middle", async () => {
    expect(await found("omar.k")).toEqual(["Omar Khalil"]);
    expect(await found("O.HADDAD@MAIL.TEST")).toEqual(["Omar Haddad"]);
    expect(await found("shop.test")).toEqual([]);
    expect(await found("po-77")).toEqual(["Nguyễn Thị Minh Khai", "ĐẶNG VĂN LÂM"]);
    expect(await found("PO-7731")).toEqual(["Nguyễn Thị Minh Khai"]);
    expect(await found("ord/2025")).toEqual(["Layla Al-Sayed"]);
    expect(await found("7731")).toEqual([]);
  });

  it("finds an invoice number however it is typed, and nothing for words that match nothing", async () => {
    expect(await found("INV-000004")).toEqual(["Omar Khalil"]);
    expect(await found("#4")).toEqual(["Omar Khalil"]);
    expect(await found("4")).toEqual(["Omar Khalil"]);
    expect(await found("zzz")).toEqual([]);
    expect(await found("omar zzz")).toEqual([]);
  });

  it("never finds another merchant's invoice, nor counts it", async () => {
    expect(await found("omar khalil", neighbour)).toEqual(["Omar Khalil"]);
    expect(await found("po-7731")).toEqual(["Nguyễn Thị Minh Khai"]);
    expect((await countInvoicesByStatus(db(), { merchantId: shop, filters: { q: "omar.khalil@" } })).all).toBe(1);
    expect((await countInvoicesByStatus(db(), { merchantId: neighbour, filters: { q: "omar" } })).all).toBe(1);
  });
});

/**
 * A search reads the newest 1,000 rows first, then up to 2,000 index matches,
 * then the keyset scan: each path must give the same page as a plain filter.
 */
describe("search at every density", () => {
  let big = "";
  const page = async (q: string, filters: InvoiceFiltersInput = {}) =>
    (await listInvoices(db(), { merchantId: big, filters: { ...filters, q } })).rows.map((r) => r.number);
  const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

  beforeAll(async () => {
    const m = await makeMerchant(db(), "Big Shop");
    big = m.merchant.id;
    // 1..2100 "Old Timer", then 2101..3200 "New Buyer"; every 400th is also "Rare".
    await db().execute(sql`
      insert into invoices (id, merchant_id, number, currency, amount, customer_name, created_at)
      select 'inv_big_' || g, ${big}, g, 'USD', 100,
             case when g <= 2100 then 'Old Timer' else 'New Buyer' end || case when g % 400 = 0 then ' Rare' else '' end,
             timestamptz '2031-01-01' + g * interval '1 minute'
      from generate_series(1, 3200) g`);
    // Written around createInvoice: the counters row says what it would have.
    await db().execute(sql`insert into merchant_counters (merchant_id, invoice_seq, unpaid_count) values (${big}, 3200, 3200)`);
  });

  it("gives the newest matches whether the word is common, rare or only common long ago", async () => {
    expect(await page("new")).toEqual(range(3200, 3151));
    expect(await page("rare")).toEqual([3200, 2800, 2400, 2000, 1600, 1200, 800, 400]);
    expect(await page("old")).toEqual(range(2100, 2051));
    expect(await page("old", { sort: "created_asc" })).toEqual(range(50, 1).reverse());
    expect(await page("old rare")).toEqual([2000, 1600, 1200, 800, 400]);
  });

  it("pages through every match of an old word exactly once", async () => {
    let cursor: string | undefined;
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await listInvoices(db(), { merchantId: big, filters: { q: "old", cursor }, limit: 700 });
      seen.push(...r.rows.map((x) => x.number));
      cursor = r.nextCursor ?? undefined;
    }
    expect(seen).toEqual(range(2100, 1));
  });

  it("counts exactly up to 2,000 matches and says 'at least' beyond", async () => {
    expect(await countInvoicesByStatus(db(), { merchantId: big, filters: { q: "rare" } })).toMatchObject({ all: 8, unpaid: 8, atLeast: false });
    expect(await countInvoicesByStatus(db(), { merchantId: big, filters: { q: "new" } })).toMatchObject({ all: 1100, atLeast: false });
    expect(await countInvoicesByStatus(db(), { merchantId: big, filters: { q: "old" } })).toMatchObject({ all: 2000, atLeast: true });
  });

  it("counts exactly past 2,000 when nothing is searched: the whole list, and a date range", async () => {
    expect(await countInvoicesByStatus(db(), { merchantId: big, filters: {} })).toMatchObject({ all: 3200, unpaid: 3200, atLeast: false });
    expect(await countInvoicesByStatus(db(), { merchantId: big, filters: { from: "2031-01-01", to: "2031-12-31" } })).toMatchObject({
      all: 3200,
      unpaid: 3200,
      atLeast: false,
    });
  });
});

/**
 * Past the probe's rows, a word too rare to fill a page there is read a few weeks at
 * a time from the weekly index: every page must still equal a plain filter, in both
 * orders, under tabs and dates, with matches right on the edges between weeks.
 */
describe("search over many weeks", () => {
  let shop = "";
  const WEEK_MS = 7 * 86_400_000;
  const truth = async (where: SQL, descending = true) =>
    (
      await db()
        .select({ number: invoices.number })
        .from(invoices)
        .where(and(eq(invoices.merchantId, shop), where))
        .orderBy(...(descending ? [desc(invoices.createdAt), desc(invoices.id)] : [asc(invoices.createdAt), asc(invoices.id)]))
    ).map((r) => r.number);

  beforeAll(async () => {
    const m = await makeMerchant(db(), "Weekly Shop");
    shop = m.merchant.id;
    // 12,000 invoices 30 minutes apart (36 weeks); every 101st is "Sparse", every 7th void, and a
    // few more match "sparse" by their email or reference only: too few to fill a page in the probe.
    await db().execute(sql`
      insert into invoices (id, merchant_id, number, reference_id, currency, amount, customer_name, customer_email, status, created_at)
      select 'inv_wk_' || g, ${shop}, g, case when g % 307 = 0 then 'SPARSE-' || g end, 'USD', 100,
             case when g % 101 = 0 then 'Sparse Buyer' else 'Plain Buyer' end,
             case when g % 293 = 0 then 'sparse' else 'plain' end || g || '@mail.test',
             (case when g % 7 = 0 then 'void' else 'open' end)::invoice_status,
             timestamptz '2031-03-01' + g * interval '30 minutes'
      from generate_series(1, 12000) g`);
    // And a "Sparse" invoice on every other edge between two of those weeks, and one a millisecond before it.
    await db().execute(sql`
      insert into invoices (id, merchant_id, number, currency, amount, customer_name, created_at)
      select 'inv_wk_edge_' || k || '_' || d, ${shop}, 20000 + 2 * k + d, 'USD', 100, 'Sparse Edge',
             to_timestamp(k * 604800) - d * interval '1 millisecond'
      from generate_series(
             ceil(extract(epoch from timestamptz '2031-03-01') / 604800)::int,
             floor(extract(epoch from timestamptz '2031-03-01' + 12000 * interval '30 minutes') / 604800)::int, 2) k,
           generate_series(0, 1) d`);
  });

  const allPages = async (filters: InvoiceFiltersInput) => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await listInvoices(db(), { merchantId: shop, filters: { ...filters, cursor } });
      seen.push(...r.rows.map((x) => x.number));
      cursor = r.nextCursor ?? undefined;
      if (!cursor) return seen;
    }
    throw new Error("cursor never ended");
  };
  /** Every page of the search equals the plain filter, which holds more than a page. */
  const samePages = async (filters: InvoiceFiltersInput, where: SQL) => {
    const expected = await truth(where, filters.sort !== "created_asc");
    expect(expected.length).toBeGreaterThan(60);
    expect(await allPages(filters)).toEqual(expected);
  };
  const word = (w: string) =>
    sql`(${invoices.searchVector} @@ ${w}::tsquery or lower(${invoices.customerEmail}) like ${`${w}%`} or lower(${invoices.referenceId}) like ${`${w}%`})`;
  const words = (a: string, b: string) => sql`${invoices.searchVector} @@ (${a}::tsquery && ${b}::tsquery)`;

  it("gives every page of a sparse word as a plain filter would, newest or oldest first", async () => {
    await samePages({ q: "sparse" }, word("sparse"));
    await samePages({ q: "SPARSE  b" }, words("sparse", "b"));
    await samePages({ q: "SPARSE b", sort: "created_asc" }, words("sparse", "b"));
    await samePages({ q: "spars", sort: "created_asc" }, word("spars"));
  });

  it("keeps the tab and the dates while reading by week", async () => {
    const open = sql`${invoices.status} = 'open' and ${invoices.paymentStatus} = 'unpaid'`;
    await samePages({ q: "sparse", status: "unpaid" }, sql`${open} and ${word("sparse")}`);
    await samePages(
      { q: "sparse buy", status: "unpaid", from: "2031-03-05", to: "2031-10-31", sort: "created_asc" },
      sql`${open} and ${words("sparse", "buy")} and ${invoices.createdAt} >= '2031-03-05T00:00:00Z' and ${invoices.createdAt} < '2031-11-01T00:00:00Z'`,
    );
  });

  it("files every lexeme under the week the search computes, to the millisecond", async () => {
    const edges = fc.integer({ min: 2_000, max: 6_000 }).chain((k) => fc.constantFrom(k * WEEK_MS - 1, k * WEEK_MS, k * WEEK_MS + 1));
    await fc.assert(
      fc.asyncProperty(fc.oneof(edges, fc.integer({ min: -6_000 * WEEK_MS, max: 6_000 * WEEK_MS })), async (ms) => {
        const { rows } = (await db().execute(
          sql`select invoice_search_weekly(array_to_tsvector(array['x']), ${new Date(ms).toISOString()}::timestamptz)::text as v`,
        )) as unknown as { rows: { v: string }[] };
        expect(rows[0]!.v).toBe(`'${weekOf(ms)}@x'`);
      }),
      { numRuns: 200 },
    );
  });
});

describe("countInvoicesByStatus", () => {
  it("matches a COUNT(*) per tab, unfiltered (from the counters row) and filtered", async () => {
    const counts = await countInvoicesByStatus(db(), { merchantId });
    expect(counts).toEqual({ all: 23, unpaid: 4, partial: 5, paid: 5, extra: 5, void: 4, atLeast: false });
    const [truth] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(invoices)
      .where(eq(invoices.merchantId, merchantId));
    expect(counts.all).toBe(truth!.n);
    expect(await countInvoicesByStatus(db(), { merchantId, filters: { q: "zoe" } })).toEqual({
      all: 4, unpaid: 4, partial: 0, paid: 0, extra: 0, void: 0, atLeast: false,
    });
    expect(await countInvoicesByStatus(db(), { merchantId, filters: { from: "2030-01-01", to: "2030-01-04" } })).toEqual({
      all: 4, unpaid: 0, partial: 1, paid: 1, extra: 1, void: 1, atLeast: false,
    });
    expect((await countInvoicesByStatus(db(), { merchantId: "mer_nobody" })).all).toBe(0);
  });
});

const collect = async (it: AsyncIterable<string>) => {
  const lines: string[] = [];
  for await (const l of it) lines.push(l);
  return lines;
};

describe("exportInvoicesCsv", () => {
  it("exports exactly the filtered list, every page, RFC 4180 quoted, amounts in major units", async () => {
    const lines = await collect(exportInvoicesCsv(db(), { merchantId, filters: { status: "extra", cursor: "ignored-by-export" } }));
    expect(lines[0]).toBe(
      "\uFEFFnumber,id,reference_id,created_at,due_date,status,currency,amount,paid_amount,remaining,refunded,net,customer_name,customer_email,customer_phone,description,needs_review\r\n",
    );
    expect(lines.slice(1).map((l) => l.slice(0, 10))).toEqual(seeded.extra.map((n) => `INV-${String(n).padStart(6, "0")}`).reverse());
    expect(lines.every((l) => l.endsWith("\r\n"))).toBe(true);
    const zoe = await collect(exportInvoicesCsv(db(), { merchantId, filters: { q: "o'hara" } }));
    expect(zoe).toHaveLength(5);
    expect(zoe[1]).toContain(',unpaid,USD,10.00,0.00,10.00,0.00,0.00,"Zoë ""Q"" O\'Hara, Ltd",zoe20@corp.test,,,false\r\n');
    const all = await collect(exportInvoicesCsv(db(), { merchantId, filters: {} }));
    expect(all).toHaveLength(24);
  });

  it("says what was refunded and what the merchant keeps, while the status still says what was paid", async () => {
    const m = await makeMerchant(db());
    const inv = await makeInvoice(db(), m.ownerActor, { amount: 10_000 });
    const sandbox = (await listServices(db(), m.merchant.id)).find((s) => s.kind === "sandbox")!;
    const { payment } = await recordPayment(db(), {
      merchantId: m.merchant.id,
      invoiceId: inv.id,
      serviceId: sandbox.id,
      providerRef: "card-refund-csv",
      amount: 10_000,
      currency: "USD",
      method: "card",
      status: "succeeded",
    });
    await createRefund(db(), m.ownerActor, { paymentId: payment.id, amount: "25.50", reason: "Damaged" });
    await createRefund(db(), m.ownerActor, { paymentId: payment.id, amount: "10", reason: "Declined on purpose", simulate: "fail" });
    const [head, row] = (await collect(exportInvoicesCsv(db(), { merchantId: m.merchant.id, filters: {} }))).map((l) => l.replace(/^\uFEFF/, "").trimEnd().split(","));
    const cell = (name: string) => row![head!.indexOf(name)];
    expect([cell("status"), cell("paid_amount"), cell("remaining"), cell("refunded"), cell("net")]).toEqual(["paid", "100.00", "0.00", "25.50", "74.50"]);
  });

  it("starts with the UTF-8 byte order mark, so spreadsheets read Vietnamese names right", async () => {
    const m = await makeMerchant(db());
    await makeInvoice(db(), m.ownerActor, { customer: { name: "Nguyễn Văn Đức", email: "duc@example.test" } });
    const bytes = Buffer.from((await collect(exportInvoicesCsv(db(), { merchantId: m.merchant.id, filters: {} }))).join(""), "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // A reader that honours the mark (TextDecoder, like a spreadsheet) sees the plain header and the name intact.
    const [head, row] = new TextDecoder("utf-8").decode(bytes).split("\r\n").map((l) => l.split(","));
    expect(head![0]).toBe("number");
    expect(row![head!.indexOf("customer_name")]).toBe("Nguyễn Văn Đức");
    expect(row![head!.indexOf("customer_email")]).toBe("duc@example.test");
  });

  it("neutralises spreadsheet formulas in customer text", async () => {
    const m = await makeMerchant(db());
    await makeInvoice(db(), m.ownerActor, { customer: { name: "=HYPERLINK(\"x\")" } });
    const [, row] = await collect(exportInvoicesCsv(db(), { merchantId: m.merchant.id, filters: {} }));
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it("does not export another merchant's invoices", async () => {
    const lines = await collect(exportInvoicesCsv(db(), { merchantId, filters: { q: "twin" } }));
    expect(lines).toHaveLength(1);
  });
});
