import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { type AttemptTrigger, attemptTriggerEnum } from "@/db/schema";
import { newId } from "@/lib/ids";
import { type WebhookFormatId, webhookFormatIds } from "./formats/catalogue";
import { DEFAULT_TIMEOUT_MS, defaultPolicy } from "./settings";

/**
 * A claim holds a delivery this long past the database's clock; the
 * dispatcher renews it every third of that while the send (or its record)
 * is outstanding, so a live attempt never loses it and a crashed one is
 * claimed again within seconds.
 */
export const DEFAULT_LEASE_MS = 5_000;
/** What an attempt that was in flight when its dispatcher died says, once its delivery is claimed again. */
export const INTERRUPTED =
  "Interrupted: the dispatcher stopped before this attempt's result was recorded; the receiver may or may not have got it, and the delivery is sent again.";

/** A claimed delivery with everything its attempt needs, read in the claiming statement. */
export interface ClaimedDelivery {
  id: string;
  leaseId: string;
  merchantId: string;
  endpointId: string | null;
  messageId: string;
  /** Attempts so far, this one included. */
  attempts: number;
  trigger: AttemptTrigger;
  triggeredBy: string | null;
  retryJobId: string | null;
  eventType: string;
  /** The event's data as JSON text, put into the body as it is. */
  eventData: string;
  eventCreatedAt: Date;
  /** When the claim started this attempt, on the database's clock (or the caller's, when it gives one). */
  startedAt: Date;
  url: string | null;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  endpointEnabled: boolean | null;
  /** The endpoint's format: how the request is built and signed. */
  format: WebhookFormatId;
  autoRetry: boolean;
  /** The endpoint's own schedule, else the merchant's. */
  retrySchedule: number[];
  timeoutMs: number;
}

/** A number a driver may give as a string (numeric, bigint). */
const numeric = z.union([z.number(), z.string()]).transform(Number);

/**
 * A row of the claiming statement. The first row of every claim is checked
 * against it, so a column renamed on one side fails here, in the tests, not
 * in a delivery; the statement's shape is fixed, so the rest are mapped
 * without the check (it was a twentieth of the dispatcher's CPU).
 */
const claimedRow = z.object({
  id: z.string(),
  lease_id: z.string(),
  merchant_id: z.string(),
  endpoint_id: z.string().nullable(),
  message_id: z.string(),
  attempts: numeric,
  trigger: z.enum(attemptTriggerEnum.enumValues),
  triggered_by: z.string().nullable(),
  retry_job_id: z.string().nullable(),
  event_type: z.string(),
  event_data: z.string(),
  event_created_ms: numeric,
  started_ms: numeric,
  url: z.string().nullable(),
  secret: z.string().nullable(),
  previous_secret: z.string().nullable(),
  previous_expires_ms: numeric.nullable(),
  endpoint_enabled: z.boolean().nullable(),
  format: z.enum(webhookFormatIds).nullable(),
  auto_retry: z.boolean().nullable(),
  retry_schedule: z.array(numeric).nullable(),
  timeout_ms: numeric.nullable(),
});
type ClaimedRow = z.input<typeof claimedRow>;

const toClaimed = (r: ClaimedRow): ClaimedDelivery => ({
  id: r.id,
  leaseId: r.lease_id,
  merchantId: r.merchant_id,
  endpointId: r.endpoint_id,
  messageId: r.message_id,
  attempts: Number(r.attempts),
  trigger: r.trigger,
  triggeredBy: r.triggered_by,
  retryJobId: r.retry_job_id,
  eventType: r.event_type,
  eventData: r.event_data,
  eventCreatedAt: new Date(Number(r.event_created_ms)),
  startedAt: new Date(Number(r.started_ms)),
  url: r.url,
  secret: r.secret,
  previousSecret: r.previous_secret,
  previousSecretExpiresAt: r.previous_expires_ms == null ? null : new Date(Number(r.previous_expires_ms)),
  endpointEnabled: r.endpoint_enabled,
  format: r.format ?? "standard",
  autoRetry: r.auto_retry ?? defaultPolicy.autoRetry,
  retrySchedule: r.retry_schedule?.map(Number) ?? defaultPolicy.retrySchedule,
  timeoutMs: r.timeout_ms == null ? DEFAULT_TIMEOUT_MS : Number(r.timeout_ms),
});

/** The claimed rows: the first checked, all mapped. */
function claimedRows(rows: Record<string, unknown>[]): ClaimedDelivery[] {
  if (rows.length) claimedRow.parse(rows[0]);
  return (rows as ClaimedRow[]).map(toClaimed);
}

/** A time on the caller's clock when it gives one (tests, the demo month), else the database's. */
export const clockSql = (at: Date | undefined): SQL => (at ? sql`${at.toISOString()}::timestamptz` : sql`now()`);
const leaseSql = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;

/**
 * The ids of the attempt rows a claim may write, from one: the row's position
 * in hex replaces the id's last four characters (hex digits are ULID
 * characters, so each is still a ULID), and the random part left keeps claims
 * apart. One id per claim rather than one per row, since such rows are rare.
 */
const attemptIdsFrom = (base: string) => sql`left(${base}, -4) || lpad(to_hex(c.nth::int), 4, '0')`;

/**
 * The second half of every claim, from `c` (the claimed deliveries with
 * `prior_lease`, `prior_started` and their position `nth`). The claim itself
 * is the trace of the attempt it starts: the delivery holds its lease, its
 * attempt count and start time (no index changes, so it is a HOT update). A
 * delivery claimed again while a lease was still on it had a dispatcher die
 * mid-attempt: that attempt goes into the log now, labelled interrupted.
 * Then the columns the send needs.
 */
function traceAndRead(startedAt: SQL, trigger: SQL, triggeredBy: SQL): SQL {
  return sql`,
    interrupted as (
      insert into webhook_attempts (id, delivery_id, merchant_id, endpoint_id, trigger, triggered_by, outcome,
        request_url, request_headers, duration_ms, error, started_at)
      select ${attemptIdsFrom(newId("att"))}, c.id, c.merchant_id, c.endpoint_id,
        coalesce(c.next_trigger, 'auto'::webhook_attempt_trigger), c.next_triggered_by, 'pending',
        coalesce(ep.url, ''), '{}'::jsonb, 0, ${INTERRUPTED}, coalesce(c.prior_started, ${startedAt})
      from c left join webhook_endpoints ep on ep.id = c.endpoint_id
      where c.prior_lease is not null
    )
    select c.id, c.lease_id, c.merchant_id, c.endpoint_id,
      c.message_id, c.attempts, ${trigger} as trigger, ${triggeredBy} as triggered_by, c.retry_job_id,
      e.type as event_type, e.data::text as event_data, extract(epoch from e.created_at) * 1000 as event_created_ms,
      extract(epoch from ${startedAt}) * 1000 as started_ms,
      ep.url, ep.secret, ep.previous_secret, extract(epoch from ep.previous_secret_expires_at) * 1000 as previous_expires_ms,
      ep.enabled as endpoint_enabled, ep.format, s.auto_retry, coalesce(ep.retry_schedule, s.retry_schedule) as retry_schedule, s.timeout_ms
    from c
    join events e on e.id = c.event_id
    left join webhook_endpoints ep on ep.id = c.endpoint_id
    left join webhook_settings s on s.merchant_id = c.merchant_id`;
}

/** What this dispatcher already has in flight: per endpoint and per merchant, so a claim stays within the caps. */
export interface InFlight {
  byEndpoint: ReadonlyMap<string, number>;
  byMerchant: ReadonlyMap<string, number>;
  perEndpoint: number;
  perMerchant: number;
}

const json = (m: ReadonlyMap<string, number>) => JSON.stringify(Object.fromEntries(m));
const full = (m: ReadonlyMap<string, number>, cap: number) => [...m].filter(([, n]) => n >= cap).map(([k]) => k).join(",");

/**
 * Claims up to `limit` due deliveries in one statement, oldest due first,
 * skipping rows other dispatchers hold (`FOR UPDATE SKIP LOCKED`) and never
 * taking an endpoint or a merchant past its cap of requests in flight (this
 * dispatcher's own count plus what it takes now), so a hanging endpoint or a
 * merchant's backlog cannot take every slot. Each row gets a lease on the
 * database's clock and an attempt row in flight.
 */
export async function claimDue(
  db: Database,
  {
    now,
    limit,
    leaseMs = DEFAULT_LEASE_MS,
    inFlight = { byEndpoint: new Map(), byMerchant: new Map(), perEndpoint: limit, perMerchant: limit },
  }: { now?: Date; limit: number; leaseMs?: number; inFlight?: InFlight },
): Promise<ClaimedDelivery[]> {
  const leaseId = randomUUID();
  const due = clockSql(now);
  const result = await db.execute(sql`
    with picked as (
      select id, endpoint_id, merchant_id, next_attempt_at, lease_id as prior_lease, last_attempt_at as prior_started
      from webhook_deliveries
      where next_attempt_at <= ${due}
        and (locked_until is null or locked_until <= now())
        and coalesce(endpoint_id, '') <> all(string_to_array(${full(inFlight.byEndpoint, inFlight.perEndpoint)}, ','))
        and merchant_id <> all(string_to_array(${full(inFlight.byMerchant, inFlight.perMerchant)}, ','))
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    ),
    ranked as (
      select p.*,
        row_number() over (partition by endpoint_id order by next_attempt_at, id) as nth_endpoint,
        row_number() over (partition by merchant_id order by next_attempt_at, id) as nth_merchant
      from picked p
    ),
    chosen as (
      select id, prior_lease, prior_started, row_number() over (order by next_attempt_at, id) as nth from ranked
      where nth_endpoint + coalesce((${json(inFlight.byEndpoint)}::jsonb ->> endpoint_id)::int, 0) <= ${inFlight.perEndpoint}
        and nth_merchant + coalesce((${json(inFlight.byMerchant)}::jsonb ->> merchant_id)::int, 0) <= ${inFlight.perMerchant}
      order by next_attempt_at, id
      limit ${limit}
    ),
    c as (
      update webhook_deliveries d set locked_until = ${leaseSql(leaseMs)}, lease_id = ${leaseId}, attempts = d.attempts + 1,
        last_attempt_at = ${due}
      from chosen where d.id = chosen.id and d.id = any(array(select id from chosen))
      returning d.id, d.lease_id, d.merchant_id, d.endpoint_id, d.message_id, d.attempts, d.next_trigger, d.next_triggered_by,
        d.retry_job_id, d.event_id, chosen.prior_lease, chosen.prior_started, chosen.nth
    )${traceAndRead(due, sql`coalesce(c.next_trigger, 'auto'::webhook_attempt_trigger)`, sql`c.next_triggered_by`)}`);
  return claimedRows(rowsOf(result));
}

/**
 * Takes the lease on one delivery for an attempt a person asked for (or the
 * demo month replays). Null when a dispatcher holds it right now.
 */
export async function claimOne(
  db: Database,
  {
    merchantId,
    deliveryId,
    now,
    trigger,
    triggeredBy = null,
    leaseMs = DEFAULT_LEASE_MS,
  }: { merchantId: string; deliveryId: string; now?: Date; trigger?: AttemptTrigger; triggeredBy?: string | null; leaseMs?: number },
): Promise<ClaimedDelivery | null> {
  const leaseId = randomUUID();
  const result = await db.execute(sql`
    with prior as (
      select id, lease_id as prior_lease, last_attempt_at as prior_started from webhook_deliveries
      where id = ${deliveryId} and merchant_id = ${merchantId} and (locked_until is null or locked_until <= now())
      for update
    ),
    c as (
      update webhook_deliveries d set locked_until = ${leaseSql(leaseMs)}, lease_id = ${leaseId}, attempts = d.attempts + 1,
        last_attempt_at = ${clockSql(now)}
      from prior where d.id = prior.id
      returning d.id, d.lease_id, d.merchant_id, d.endpoint_id, d.message_id, d.attempts, d.next_trigger, d.next_triggered_by,
        d.retry_job_id, d.event_id, prior.prior_lease, prior.prior_started, 1 as nth
    )${traceAndRead(
      clockSql(now),
      trigger ? sql`${trigger}::webhook_attempt_trigger` : sql`coalesce(c.next_trigger, 'auto'::webhook_attempt_trigger)`,
      trigger ? sql`${triggeredBy}` : sql`c.next_triggered_by`,
    )}`);
  return claimedRows(rowsOf(result))[0] ?? null;
}

/**
 * Pushes the leases of deliveries still being sent (or recorded) another
 * `leaseMs` past the database's clock. A row locked right now is being
 * recorded, which ends its lease anyway: skipped, never waited for, so a
 * renewal and a record touching the same rows in other orders cannot deadlock.
 */
export async function renewLeases(db: Database, held: Array<{ id: string; leaseId: string }>, leaseMs = DEFAULT_LEASE_MS): Promise<void> {
  if (!held.length) return;
  await db.execute(sql`
    with h as (select * from jsonb_to_recordset(${JSON.stringify(held)}::jsonb) as h(id text, "leaseId" text)),
    mine as (
      select d.id from webhook_deliveries d join h on h.id = d.id and h."leaseId" = d.lease_id
      where d.id = any(array(select id from h))
      for no key update of d skip locked
    )
    update webhook_deliveries d set locked_until = ${leaseSql(leaseMs)}
    where d.id = any(array(select id from mine))`);
}

