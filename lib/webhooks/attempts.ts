import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { z } from "zod";
import { rowsOf } from "@/db/rows";
import { type AttemptTrigger, attemptTriggerEnum, type DeliveryStatus, deliveryStatusEnum } from "@/db/schema";
import { newId } from "@/lib/ids";
import { type Sender, USER_AGENT } from "./http";
import { nextRetryAt, parseRetryAfter } from "./retry-schedule";
import { openSecret } from "@/lib/crypto/secret-box";
import { DEFAULT_TIMEOUT_MS, defaultPolicy } from "./settings";
import { signatureHeaders, webhookBody } from "./signing";

/** Longer than the longest allowed timeout, so a live attempt never loses its lease. */
export const DEFAULT_LEASE_MS = 60_000;
/** After this long of nothing but failures an endpoint is turned off. */
export const AUTO_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

/** A claimed delivery with everything its attempt needs, read in the claiming statement. */
export interface ClaimedDelivery {
  id: string;
  leaseId: string;
  merchantId: string;
  endpointId: string | null;
  messageId: string;
  attempts: number;
  status: DeliveryStatus;
  nextTrigger: AttemptTrigger | null;
  nextTriggeredBy: string | null;
  retryJobId: string | null;
  eventType: string;
  eventData: unknown;
  eventCreatedAt: Date;
  url: string | null;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  endpointEnabled: boolean | null;
  autoRetry: boolean;
  retrySchedule: number[];
  timeoutMs: number;
}

const claimedColumns = sql`
  c.id, c.lease_id, c.merchant_id, c.endpoint_id, c.message_id, c.attempts, c.status, c.next_trigger,
  c.next_triggered_by, c.retry_job_id, e.type as event_type, e.data as event_data,
  extract(epoch from e.created_at) * 1000 as event_created_ms,
  ep.url, ep.secret, ep.previous_secret, extract(epoch from ep.previous_secret_expires_at) * 1000 as previous_expires_ms,
  ep.enabled as endpoint_enabled, s.auto_retry, s.retry_schedule, s.timeout_ms`;

const claimedJoins = sql`
  join events e on e.id = c.event_id
  left join webhook_endpoints ep on ep.id = c.endpoint_id
  left join webhook_settings s on s.merchant_id = c.merchant_id`;

/** A number a driver may give as a string (numeric, bigint). */
const numeric = z.union([z.number(), z.string()]).transform(Number);

/**
 * A row of the claiming statement (claimedColumns), checked as it arrives: a
 * column renamed on one side fails here, in the tests, not in a delivery.
 */
const claimedRow = z
  .object({
    id: z.string(),
    lease_id: z.string(),
    merchant_id: z.string(),
    endpoint_id: z.string().nullable(),
    message_id: z.string(),
    attempts: numeric,
    status: z.enum(deliveryStatusEnum.enumValues),
    next_trigger: z.enum(attemptTriggerEnum.enumValues).nullable(),
    next_triggered_by: z.string().nullable(),
    retry_job_id: z.string().nullable(),
    event_type: z.string(),
    // jsonb: parsed by pg and PGlite; text on a driver that leaves it.
    event_data: z.unknown().transform((v) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v)),
    event_created_ms: numeric,
    url: z.string().nullable(),
    secret: z.string().nullable(),
    previous_secret: z.string().nullable(),
    previous_expires_ms: numeric.nullable(),
    endpoint_enabled: z.boolean().nullable(),
    auto_retry: z.boolean().nullable(),
    retry_schedule: z.array(numeric).nullable(),
    timeout_ms: numeric.nullable(),
  })
  .transform(
    (r): ClaimedDelivery => ({
      id: r.id,
      leaseId: r.lease_id,
      merchantId: r.merchant_id,
      endpointId: r.endpoint_id,
      messageId: r.message_id,
      attempts: r.attempts,
      status: r.status,
      nextTrigger: r.next_trigger,
      nextTriggeredBy: r.next_triggered_by,
      retryJobId: r.retry_job_id,
      eventType: r.event_type,
      eventData: r.event_data,
      eventCreatedAt: new Date(r.event_created_ms),
      url: r.url,
      secret: r.secret,
      previousSecret: r.previous_secret,
      previousSecretExpiresAt: r.previous_expires_ms == null ? null : new Date(r.previous_expires_ms),
      endpointEnabled: r.endpoint_enabled,
      autoRetry: r.auto_retry ?? defaultPolicy.autoRetry,
      retrySchedule: r.retry_schedule ?? defaultPolicy.retrySchedule,
      timeoutMs: r.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    }),
  );
const claimedRows = z.array(claimedRow);

/**
 * Claims up to `limit` due deliveries in one statement: rows other
 * dispatchers hold are skipped (`FOR UPDATE SKIP LOCKED`), and each claimed
 * row gets a lease until `now + leaseMs`. A dispatcher that dies leaves its
 * leases to expire; the rows are then due again.
 */
export async function claimDue(
  db: Database,
  { now, limit, leaseMs = DEFAULT_LEASE_MS }: { now: Date; limit: number; leaseMs?: number },
): Promise<ClaimedDelivery[]> {
  const leaseId = randomUUID();
  const until = new Date(now.getTime() + leaseMs);
  const result = await db.execute(sql`
    with c as (
      update webhook_deliveries d set locked_until = ${until.toISOString()}::timestamptz, lease_id = ${leaseId}
      where d.id in (
        select id from webhook_deliveries
        where next_attempt_at <= ${now.toISOString()}::timestamptz
          and (locked_until is null or locked_until <= ${now.toISOString()}::timestamptz)
        order by next_attempt_at
        limit ${limit}
        for update skip locked
      )
      returning d.*
    )
    select ${claimedColumns} from c ${claimedJoins}`);
  return claimedRows.parse(rowsOf(result));
}

/**
 * Takes the lease on one delivery for an attempt a person asked for. Null when
 * a dispatcher holds it right now.
 */
export async function claimOne(
  db: Database,
  { merchantId, deliveryId, now, leaseMs = DEFAULT_LEASE_MS }: { merchantId: string; deliveryId: string; now: Date; leaseMs?: number },
): Promise<ClaimedDelivery | null> {
  const leaseId = randomUUID();
  const until = new Date(now.getTime() + leaseMs);
  const result = await db.execute(sql`
    with c as (
      update webhook_deliveries d set locked_until = ${until.toISOString()}::timestamptz, lease_id = ${leaseId}
      where d.id = ${deliveryId} and d.merchant_id = ${merchantId}
        and (d.locked_until is null or d.locked_until <= ${now.toISOString()}::timestamptz)
      returning d.*
    )
    select ${claimedColumns} from c ${claimedJoins}`);
  return claimedRows.parse(rowsOf(result))[0] ?? null;
}

/** What happened on one attempt, ready to be written. */
export interface AttemptOutcome {
  delivery: ClaimedDelivery;
  trigger: AttemptTrigger;
  triggeredBy: string | null;
  outcome: "succeeded" | "failed" | "timeout";
  requestUrl: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
  startedAt: Date;
  nextAttemptAt: Date | null;
  /** False when nothing went out (the endpoint was deleted or disabled): no effect on its health. */
  sent: boolean;
}

const secretCache = new Map<string, string>();
function plainSecret(stored: string): string {
  let plain = secretCache.get(stored);
  if (plain === undefined) {
    if (secretCache.size > 10_000) secretCache.clear();
    plain = openSecret(stored);
    secretCache.set(stored, plain);
  }
  return plain;
}

/** The signing secrets in force at `at`: the current one, and the previous one during its overlap. */
export function activeSecrets(d: Pick<ClaimedDelivery, "secret" | "previousSecret" | "previousSecretExpiresAt">, at: Date): string[] {
  if (!d.secret) return [];
  const out = [plainSecret(d.secret)];
  if (d.previousSecret && d.previousSecretExpiresAt && d.previousSecretExpiresAt > at) out.push(plainSecret(d.previousSecret));
  return out;
}

/**
 * Sends one claimed delivery and decides what comes next: 2xx succeeded;
 * a timeout ends as `timeout`; any other failure is retried on the merchant's
 * schedule, but only after an automatic attempt and only with auto-retry on.
 */
export async function attemptDelivery(
  sender: Sender,
  d: ClaimedDelivery,
  opts: { now: () => Date; random?: () => number; trigger?: AttemptTrigger; triggeredBy?: string | null },
): Promise<AttemptOutcome> {
  const trigger = opts.trigger ?? d.nextTrigger ?? "auto";
  const triggeredBy = opts.triggeredBy ?? d.nextTriggeredBy ?? null;
  const startedAt = opts.now();
  const body = webhookBody({ type: d.eventType, createdAt: d.eventCreatedAt, data: d.eventData });
  const base = { delivery: d, trigger, triggeredBy, requestUrl: d.url ?? "", requestBody: body, startedAt };

  const notSent = (error: string): AttemptOutcome => ({
    ...base,
    outcome: "failed",
    requestHeaders: {},
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    durationMs: 0,
    error,
    nextAttemptAt: null,
    sent: false,
  });
  if (!d.url || !d.secret) return notSent("Not sent: the endpoint was deleted.");
  // Only the schedule stops at a disabled endpoint; a person may still send to it.
  if (trigger === "auto" && !d.endpointEnabled) return notSent("Not sent: the endpoint is disabled.");

  const headers = signatureHeaders(d.messageId, startedAt, body, activeSecrets(d, startedAt));
  const res = await sender.send({ url: d.url, headers, body, timeoutMs: d.timeoutMs });
  const finishedAt = new Date(startedAt.getTime() + res.durationMs);
  const retry = res.outcome === "failed" && trigger === "auto" && d.autoRetry;
  return {
    ...base,
    outcome: res.outcome,
    requestHeaders: { "content-type": "application/json", "user-agent": USER_AGENT, ...headers },
    sent: true,
    responseStatus: res.status,
    responseHeaders: res.headers,
    responseBody: res.body,
    durationMs: res.durationMs,
    error: res.error,
    nextAttemptAt: retry
      ? nextRetryAt(finishedAt, d.attempts + 1, d.retrySchedule, {
          retryAfterSeconds: parseRetryAfter(res.retryAfter, finishedAt),
          random: opts.random,
        })
      : null,
  };
}

/**
 * Writes a batch of attempts in one statement: the attempt rows, each
 * delivery's new state (only where this dispatcher still holds the lease),
 * bulk-retry progress, and endpoint health with the automatic disable.
 */
export async function recordOutcomes(db: Database, outcomes: AttemptOutcome[], now: Date): Promise<void> {
  if (!outcomes.length) return;
  const rows = outcomes.map((o) => ({
    attempt_id: newId("att"),
    delivery_id: o.delivery.id,
    lease_id: o.delivery.leaseId,
    merchant_id: o.delivery.merchantId,
    endpoint_id: o.delivery.endpointId,
    trigger: o.trigger,
    triggered_by: o.triggeredBy,
    outcome: o.outcome,
    request_url: o.requestUrl,
    request_headers: o.requestHeaders,
    request_body: o.requestBody,
    response_status: o.responseStatus,
    response_headers: o.responseHeaders,
    response_body: o.responseBody,
    duration_ms: o.durationMs,
    error: o.error,
    started_at: o.startedAt.toISOString(),
    next_attempt_at: o.nextAttemptAt?.toISOString() ?? null,
    retry_job_id: o.delivery.retryJobId,
  }));

  // Health per endpoint, in attempt order: a success resets the streak.
  const health = new Map<string, { reset: boolean; failures: number; since: string | null; last: string }>();
  for (const o of outcomes) {
    if (!o.delivery.endpointId || !o.sent) continue;
    const h = health.get(o.delivery.endpointId) ?? { reset: false, failures: 0, since: null, last: o.startedAt.toISOString() };
    if (o.outcome === "succeeded") Object.assign(h, { reset: true, failures: 0, since: null });
    else {
      h.failures += 1;
      h.since ??= o.startedAt.toISOString();
    }
    if (o.startedAt.toISOString() > h.last) h.last = o.startedAt.toISOString();
    health.set(o.delivery.endpointId, h);
  }
  const healthRows = [...health].map(([endpoint_id, h]) => ({ endpoint_id, ...h }));
  const disableBefore = new Date(now.getTime() - AUTO_DISABLE_AFTER_MS).toISOString();

  await db.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
        attempt_id text, delivery_id text, lease_id text, merchant_id text, endpoint_id text,
        trigger webhook_attempt_trigger, triggered_by text, outcome webhook_delivery_status,
        request_url text, request_headers jsonb, request_body text, response_status int,
        response_headers jsonb, response_body text, duration_ms int, error text,
        started_at timestamptz, next_attempt_at timestamptz, retry_job_id text)
    ),
    ins as (
      insert into webhook_attempts (id, delivery_id, merchant_id, endpoint_id, trigger, triggered_by, outcome,
        request_url, request_headers, request_body, response_status, response_headers, response_body,
        duration_ms, error, started_at)
      select attempt_id, delivery_id, merchant_id, endpoint_id, trigger, triggered_by, outcome,
        request_url, request_headers, request_body, response_status, response_headers, response_body,
        duration_ms, error, started_at from v
    ),
    upd as (
      update webhook_deliveries d set
        status = v.outcome, attempts = d.attempts + 1, next_attempt_at = v.next_attempt_at,
        locked_until = null, lease_id = null, next_trigger = null, next_triggered_by = null, retry_job_id = null,
        last_response_status = v.response_status, last_attempt_at = v.started_at
      from v where d.id = v.delivery_id and d.lease_id = v.lease_id
    ),
    jobs as (
      update webhook_retry_jobs j set
        done = least(j.total, j.done + c.n),
        status = case when j.done + c.n >= j.total then 'finished'::webhook_retry_job_status else j.status end,
        finished_at = case when j.done + c.n >= j.total then ${now.toISOString()}::timestamptz else j.finished_at end
      from (select retry_job_id, count(*)::int as n from v where retry_job_id is not null group by retry_job_id) c
      where j.id = c.retry_job_id
    ),
    h as (
      select * from jsonb_to_recordset(${JSON.stringify(healthRows)}::jsonb)
        as h(endpoint_id text, reset boolean, failures int, since timestamptz, last timestamptz)
    )
    update webhook_endpoints ep set
      consecutive_failures = case when h.reset then h.failures else ep.consecutive_failures + h.failures end,
      failing_since = case when h.reset then h.since else coalesce(ep.failing_since, h.since) end,
      last_attempt_at = greatest(ep.last_attempt_at, h.last),
      enabled = ep.enabled and not coalesce(
        (case when h.reset then h.since else coalesce(ep.failing_since, h.since) end) <= ${disableBefore}::timestamptz, false),
      auto_disabled_at = case
        when ep.enabled and (case when h.reset then h.since else coalesce(ep.failing_since, h.since) end) <= ${disableBefore}::timestamptz
        then ${now.toISOString()}::timestamptz else ep.auto_disabled_at end
    from h where ep.id = h.endpoint_id`);
}
