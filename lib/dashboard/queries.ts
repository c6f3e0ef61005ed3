import { and, desc, eq, gte, isNotNull, isNull, lte, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  dashboardDaily,
  dashboardOutstanding,
  events,
  invoices,
  merchantCounters,
  paymentServices,
  webhookDeliveries,
  webhookEndpoints,
} from "@/db/schema";
import { endpointHealth } from "@/lib/webhooks/endpoints";
import { daysBefore, periodDays } from "./period";

/**
 * The overview's reads. Each one is an index lookup on a small table (the
 * rollups, the counters, endpoints) or a short index range (the last events,
 * a day of attempts): none scans invoices or payments, so a page view costs
 * the same at 1M invoices as at 10.
 */

export interface MoneySummary {
  currency: string;
  today: number;
  last7: number;
  last30: number;
  outstanding: number;
  outstandingInvoices: number;
}

/**
 * The order the overview lists currencies in, the same on every card and
 * chart: the busiest first (invoices made in the last 30 days plus invoices
 * still owing), then by code. The busiest leads the money cards and is the
 * chart's currency until the merchant picks another.
 */
function busiestFirst(activity: Map<string, number>) {
  const score = (currency: string) => activity.get(currency) ?? 0;
  return (a: string, b: string) => score(b) - score(a) || a.localeCompare(b);
}

const outstandingOf = (db: Database, merchantId: string) =>
  db.select().from(dashboardOutstanding).where(eq(dashboardOutstanding.merchantId, merchantId));

/**
 * Money collected today, in the last 7 and 30 days (UTC days, today included),
 * net of the refunds that succeeded on those days, and what open invoices
 * still owe; per currency.
 */
export async function moneySummary(db: Database, { merchantId, today }: { merchantId: string; today: string }): Promise<MoneySummary[]> {
  const [collected, owed] = await Promise.all([
    db
      .select({
        currency: dashboardDaily.currency,
        today: sql<string>`coalesce(sum(${dashboardDaily.collected} - ${dashboardDaily.refunded}) filter (where ${dashboardDaily.day} = ${today}), 0)`,
        last7: sql<string>`coalesce(sum(${dashboardDaily.collected} - ${dashboardDaily.refunded}) filter (where ${dashboardDaily.day} >= ${daysBefore(today, 6)}), 0)`,
        last30: sql<string>`coalesce(sum(${dashboardDaily.collected} - ${dashboardDaily.refunded}), 0)`,
        created: sql<string>`coalesce(sum(${dashboardDaily.invoicesCreated}), 0)`,
      })
      .from(dashboardDaily)
      .where(
        and(
          eq(dashboardDaily.merchantId, merchantId),
          gte(dashboardDaily.day, daysBefore(today, 29)),
          lte(dashboardDaily.day, today),
        ),
      )
      .groupBy(dashboardDaily.currency),
    outstandingOf(db, merchantId),
  ]);
  const byCurrency = new Map<string, MoneySummary>();
  const entry = (currency: string) => {
    let e = byCurrency.get(currency);
    if (!e) byCurrency.set(currency, (e = { currency, today: 0, last7: 0, last30: 0, outstanding: 0, outstandingInvoices: 0 }));
    return e;
  };
  const activity = new Map<string, number>();
  for (const c of collected) {
    Object.assign(entry(c.currency), { today: Number(c.today), last7: Number(c.last7), last30: Number(c.last30) });
    activity.set(c.currency, Number(c.created));
  }
  for (const o of owed) {
    Object.assign(entry(o.currency), { outstanding: o.amount, outstandingInvoices: o.invoices });
    activity.set(o.currency, (activity.get(o.currency) ?? 0) + o.invoices);
  }
  const order = busiestFirst(activity);
  return [...byCurrency.values()]
    .filter((e) => e.last30 || e.outstanding || e.outstandingInvoices)
    .sort((a, b) => order(a.currency, b.currency));
}

export interface DailySeries {
  days: string[];
  /** Collected per day, one array per currency that moved in the period, aligned with `days`. */
  collected: Record<string, number[]>;
  /** The currencies of `collected`, busiest first as on the money cards. */
  currencies: string[];
  created: number[];
  paid: number[];
}

/** The period's days, oldest first, with zeros where nothing happened. */
export async function dailySeries(
  db: Database,
  { merchantId, today, period }: { merchantId: string; today: string; period: number },
): Promise<DailySeries> {
  const days = periodDays(today, period);
  // At least 30 days, for the currencies' order.
  const from = [days[0]!, daysBefore(today, 29)].sort()[0]!;
  const [rows, owed] = await Promise.all([
    db
      .select()
      .from(dashboardDaily)
      .where(and(eq(dashboardDaily.merchantId, merchantId), gte(dashboardDaily.day, from), lte(dashboardDaily.day, today))),
    outstandingOf(db, merchantId),
  ]);
  const index = new Map(days.map((d, i) => [d, i]));
  const month = daysBefore(today, 29);
  const activity = new Map(owed.map((o) => [o.currency, o.invoices]));
  const collected: Record<string, number[]> = {};
  const created = days.map(() => 0);
  const paid = days.map(() => 0);
  for (const r of rows) {
    if (r.day >= month) activity.set(r.currency, (activity.get(r.currency) ?? 0) + r.invoicesCreated);
    const i = index.get(r.day);
    if (i === undefined) continue;
    created[i]! += r.invoicesCreated;
    paid[i]! += r.invoicesPaid;
    // Net of the day's refunds: a day of refunds alone is a bar below the axis.
    const net = r.collected - r.refunded;
    if (r.collected || r.refunded) (collected[r.currency] ??= days.map(() => 0))[i]! += net;
  }
  return { days, collected, currencies: Object.keys(collected).sort(busiestFirst(activity)), created, paid };
}

/** Where an endpoint stands: turned off by the engine (5 days of failures), failing, turned off by a person, or healthy. */
export type EndpointCondition = "auto_off" | "failing" | "disabled" | "healthy";

export interface EndpointState {
  condition: EndpointCondition;
  id: string;
  url: string;
  description: string | null;
  enabled: boolean;
  /** Set when the engine turned it off after 5 days of failures. */
  autoDisabledAt: Date | null;
  consecutiveFailures: number;
  failingSince: Date | null;
  attempts24h: number;
  succeeded24h: number;
}

export interface WebhookHealth {
  /** Every endpoint: those that need a look first (turned off by the engine or failing, then turned off by a person), each group newest first. */
  endpoints: EndpointState[];
  attempts24h: number;
  succeeded24h: number;
  /** Null when nothing was attempted in 24 hours. */
  successRate24h: number | null;
  waitingForRetry: number;
  nextRetryAt: Date | null;
}

const conditionOf = (e: Pick<EndpointState, "autoDisabledAt" | "enabled" | "consecutiveFailures">): EndpointCondition =>
  e.autoDisabledAt ? "auto_off" : !e.enabled ? "disabled" : e.consecutiveFailures > 0 ? "failing" : "healthy";
const attention: Record<EndpointCondition, number> = { auto_off: 0, failing: 0, disabled: 1, healthy: 2 };

export async function webhookHealth(db: Database, { merchantId, now = new Date() }: { merchantId: string; now?: Date }): Promise<WebhookHealth> {
  const [endpoints, [waiting]] = await Promise.all([
    db
      .select({
        id: webhookEndpoints.id,
        url: webhookEndpoints.url,
        description: webhookEndpoints.description,
        enabled: webhookEndpoints.enabled,
        autoDisabledAt: webhookEndpoints.autoDisabledAt,
        consecutiveFailures: webhookEndpoints.consecutiveFailures,
        failingSince: webhookEndpoints.failingSince,
      })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.merchantId, merchantId), isNull(webhookEndpoints.deletedAt)))
      .orderBy(desc(webhookEndpoints.createdAt)),
    db
      .select({ n: sql<number>`count(*)::int`, next: sql<string | null>`min(${webhookDeliveries.nextAttemptAt})` })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.merchantId, merchantId),
          eq(webhookDeliveries.status, "failed"),
          isNotNull(webhookDeliveries.nextAttemptAt),
        ),
      ),
  ]);
  const health = await endpointHealth(db, merchantId, endpoints.map((e) => e.id), now);
  const states: EndpointState[] = endpoints
    .map((e) => {
      const { attempts24h, succeeded24h } = health.get(e.id)!;
      return { ...e, condition: conditionOf(e), attempts24h, succeeded24h };
    })
    .sort((x, y) => attention[x.condition] - attention[y.condition]);
  const attempts24h = states.reduce((n, e) => n + e.attempts24h, 0);
  const succeeded24h = states.reduce((n, e) => n + e.succeeded24h, 0);
  return {
    endpoints: states,
    attempts24h,
    succeeded24h,
    successRate24h: attempts24h ? succeeded24h / attempts24h : null,
    waitingForRetry: Number(waiting?.n ?? 0),
    nextRetryAt: waiting?.next ? new Date(waiting.next) : null,
  };
}

export interface ActivityItem {
  id: string;
  type: string;
  invoiceId: string | null;
  invoiceNumber: number | null;
  data: unknown;
  createdAt: Date;
}

/** The merchant's latest events, newest first, with the invoice each belongs to. */
export async function recentActivity(db: Database, { merchantId, limit = 8 }: { merchantId: string; limit?: number }): Promise<ActivityItem[]> {
  return db
    .select({
      id: events.id,
      type: events.type,
      invoiceId: events.invoiceId,
      invoiceNumber: invoices.number,
      data: events.data,
      createdAt: events.createdAt,
    })
    .from(events)
    .leftJoin(invoices, and(eq(invoices.merchantId, merchantId), eq(invoices.id, events.invoiceId)))
    .where(and(eq(events.merchantId, merchantId), ne(events.type, "webhook.test")))
    .orderBy(desc(events.seq))
    .limit(limit);
}

export interface SetupState {
  hasInvoices: boolean;
  hasEndpoint: boolean;
  /** A way to get paid besides the built-in sandbox: a bank account or a provider. */
  hasPaymentService: boolean;
}

/** What a new merchant has not done yet: the dashboard's first steps. */
export async function setupState(db: Database, { merchantId }: { merchantId: string }): Promise<SetupState> {
  const [[counter], [endpoint], [service]] = await Promise.all([
    db.select({ seq: merchantCounters.invoiceSeq }).from(merchantCounters).where(eq(merchantCounters.merchantId, merchantId)),
    db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.merchantId, merchantId), isNull(webhookEndpoints.deletedAt)))
      .limit(1),
    db
      .select({ id: paymentServices.id })
      .from(paymentServices)
      .where(and(eq(paymentServices.merchantId, merchantId), ne(paymentServices.kind, "sandbox")))
      .limit(1),
  ]);
  return { hasInvoices: (counter?.seq ?? 0) > 0, hasEndpoint: !!endpoint, hasPaymentService: !!service };
}
