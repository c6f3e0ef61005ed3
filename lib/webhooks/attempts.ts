import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { AttemptTrigger } from "@/db/schema";
import { openSecret } from "@/lib/crypto/secret-box";
import { newId } from "@/lib/ids";
import { type ClaimedDelivery, clockSql } from "./claims";
import { type Sender, USER_AGENT } from "./http";
import { formatBuilders, webhookFormats } from "./formats";
import { nextRetryAt, parseRetryAfter } from "./retry-schedule";

/** After this long of nothing but failures an endpoint is turned off. */
export const AUTO_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

/** What happened on one attempt, ready to be written. */
export interface AttemptOutcome {
  delivery: ClaimedDelivery;
  trigger: AttemptTrigger;
  triggeredBy: string | null;
  outcome: "succeeded" | "failed" | "timeout";
  requestUrl: string;
  requestHeaders: Record<string, string>;
  /** The exact bytes sent ("" when nothing was). */
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

/** The outcome of an attempt that sent nothing (a deleted or disabled endpoint, a request that could not be made): no effect on the endpoint's health. */
export function notSentOutcome(d: ClaimedDelivery, error: string): AttemptOutcome {
  return {
    delivery: d,
    trigger: d.trigger,
    triggeredBy: d.triggeredBy,
    requestUrl: d.url ?? "",
    startedAt: d.startedAt,
    requestBody: "",
    outcome: "failed",
    requestHeaders: {},
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    durationMs: 0,
    error,
    nextAttemptAt: null,
    sent: false,
  };
}

/**
 * Sends one claimed delivery in its endpoint's format and decides what comes
 * next: 2xx succeeded; a timeout ends as `timeout`; any other failure is
 * retried on the endpoint's schedule (else the merchant's), but only after an
 * automatic attempt and only with auto-retry on.
 */
export async function attemptDelivery(sender: Sender, d: ClaimedDelivery, opts: { random?: () => number } = {}): Promise<AttemptOutcome> {
  const { trigger, triggeredBy, startedAt } = d;
  const notSent = (error: string) => notSentOutcome(d, error);
  if (!d.url || !d.secret) return notSent("Not sent: the endpoint was deleted.");
  // Only the schedule stops at a disabled endpoint; a person may still send to it.
  if (trigger === "auto" && !d.endpointEnabled) return notSent("Not sent: the endpoint is disabled.");

  const formatted = formatBuilders[d.format].request(
    { type: d.eventType, createdAt: d.eventCreatedAt, dataJson: d.eventData },
    { messageId: d.messageId, at: startedAt, secrets: activeSecrets(d, startedAt), url: d.url, endpointId: d.endpointId ?? "" },
  );
  if (!formatted) return notSent(`Not sent: the ${webhookFormats[d.format].label} format has no equivalent of ${d.eventType}.`);
  const { body, headers } = formatted;
  const res = await sender.send({ url: d.url, headers, body, timeoutMs: d.timeoutMs });
  const finishedAt = new Date(startedAt.getTime() + res.durationMs);
  const retry = res.outcome === "failed" && trigger === "auto" && d.autoRetry;
  // Every field written out: a literal that spreads an object and then adds a dozen properties
  // cost V8 more than the rest of the attempt's own work put together.
  return {
    delivery: d,
    trigger,
    triggeredBy,
    requestUrl: d.url,
    startedAt,
    requestBody: body,
    outcome: res.outcome,
    requestHeaders: Object.assign({ "content-type": "application/json", "user-agent": USER_AGENT }, headers),
    sent: true,
    responseStatus: res.status,
    responseHeaders: res.headers,
    responseBody: res.body,
    durationMs: res.durationMs,
    error: res.error,
    nextAttemptAt: retry
      ? nextRetryAt(finishedAt, d.attempts, d.retrySchedule, {
          retryAfterSeconds: parseRetryAfter(res.retryAfter, finishedAt),
          random: opts.random,
        })
      : null,
  };
}

/**
 * Writes attempts in one statement: an attempt row each (whether or not the
 * lease is still ours: the send happened), each delivery its new state (only where this claim still holds
 * the lease), and bulk-retry progress. No endpoint row is touched here, so two
 * dispatchers recording at once never wait on each other; endpoint health
 * follows in a statement of its own (recordHealth).
 */
export async function recordOutcomes(db: Database, outcomes: AttemptOutcome[], now?: Date): Promise<void> {
  if (!outcomes.length) return;
  const rows = outcomes.map((o) => ({
    attempt_id: newId("att"),
    delivery_id: o.delivery.id,
    lease_id: o.delivery.leaseId,
    merchant_id: o.delivery.merchantId,
    endpoint_id: o.delivery.endpointId,
    trigger: o.trigger,
    triggered_by: o.triggeredBy,
    request_url: o.requestUrl,
    outcome: o.outcome,
    request_headers: o.requestHeaders,
    // A Standard Webhooks body is the event's own, rebuilt for the log; any other format's bytes are kept.
    request_body: o.delivery.format === "standard" ? null : o.requestBody,
    response_status: o.responseStatus,
    response_headers: o.responseHeaders,
    response_body: o.responseBody,
    duration_ms: o.durationMs,
    error: o.error,
    started_at: o.startedAt.toISOString(),
    next_attempt_at: o.nextAttemptAt?.toISOString() ?? null,
    retry_job_id: o.delivery.retryJobId,
  }));
  await db.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
        attempt_id text, delivery_id text, lease_id text, merchant_id text, endpoint_id text,
        trigger webhook_attempt_trigger, triggered_by text, request_url text, outcome webhook_delivery_status,
        request_headers jsonb, request_body text, response_status int, response_headers jsonb, response_body text, duration_ms int, error text,
        started_at timestamptz, next_attempt_at timestamptz, retry_job_id text)
    ),
    -- Written whether or not the lease is still ours: the request went out. A null body is the event's own (Standard Webhooks).
    att as (
      insert into webhook_attempts (id, delivery_id, merchant_id, endpoint_id, trigger, triggered_by, outcome,
        request_url, request_headers, request_body, response_status, response_headers, response_body, duration_ms, error, started_at)
      select attempt_id, delivery_id, merchant_id, endpoint_id, trigger, triggered_by, outcome,
        request_url, request_headers, request_body, response_status, response_headers, response_body, duration_ms, error, started_at from v
    ),
    upd as (
      update webhook_deliveries d set
        status = v.outcome, next_attempt_at = v.next_attempt_at,
        locked_until = null, lease_id = null, next_trigger = null, next_triggered_by = null, retry_job_id = null,
        last_response_status = v.response_status, last_attempt_at = v.started_at
      from v where d.id = v.delivery_id and d.lease_id = v.lease_id and d.id = any(array(select delivery_id from v))
    ),
    progress as (select retry_job_id, count(*)::int as n from v where retry_job_id is not null group by retry_job_id),
    -- Locked in id order: two dispatchers finishing deliveries of the same jobs never wait on each other in a circle.
    locked as (select j.id from webhook_retry_jobs j where j.id in (select retry_job_id from progress) order by j.id for update)
    update webhook_retry_jobs j set
      done = least(j.total, j.done + p.n),
      status = case when j.done + p.n >= j.total then 'finished'::webhook_retry_job_status else j.status end,
      finished_at = case when j.done + p.n >= j.total then ${clockSql(now)} else j.finished_at end
    from progress p where j.id = p.retry_job_id and j.id in (select id from locked)`);
  await recordHealth(db, outcomes, now);
}

/**
 * Endpoints whose last write here was a success, and when: for half a minute
 * more successes skip the health statement. The cost: a streak another
 * process started meanwhile is reset up to that much later.
 */
const knownHealthy = new Map<string, number>();
const KNOWN_HEALTHY_MS = 30_000;

/**
 * Endpoint health from a set of attempts, in attempt order (a success resets
 * the failing streak), with the automatic disable after 5 days of nothing but
 * failures. Rows are locked in id order, and only where something changes: a
 * healthy endpoint's success writes nothing but, at most once a minute, its
 * last attempt time (pages read the exact time from the attempt log).
 */
export async function recordHealth(db: Database, outcomes: AttemptOutcome[], now?: Date): Promise<void> {
  const health = new Map<string, { reset: boolean; failures: number; since: string | null; last: string }>();
  for (const o of outcomes) {
    if (!o.delivery.endpointId || !o.sent) continue;
    const at = o.startedAt.toISOString();
    const h = health.get(o.delivery.endpointId) ?? { reset: false, failures: 0, since: null, last: at };
    if (o.outcome === "succeeded") Object.assign(h, { reset: true, failures: 0, since: null });
    else {
      h.failures += 1;
      h.since ??= at;
    }
    if (at > h.last) h.last = at;
    health.set(o.delivery.endpointId, h);
  }
  // Nothing but successes on an endpoint this process found healthy in the last half minute: nothing to write.
  const at0 = Date.now();
  for (const [id, h] of health) {
    if (h.failures) knownHealthy.delete(id);
    else if (at0 - (knownHealthy.get(id) ?? 0) < KNOWN_HEALTHY_MS) health.delete(id);
  }
  if (!health.size) return;
  const rows = [...health].map(([endpoint_id, h]) => ({ endpoint_id, ...h }));
  const at = clockSql(now);
  const disableBefore = sql`(${at} - ${AUTO_DISABLE_AFTER_MS} * interval '1 millisecond')`;
  const since = sql`(case when h.reset then h.since else coalesce(ep.failing_since, h.since) end)`;
  await db.execute(sql`
    with h as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as h(endpoint_id text, reset boolean, failures int, since timestamptz, last timestamptz)
    ),
    locked as (
      select ep.id from webhook_endpoints ep join h on h.endpoint_id = ep.id
      where h.failures > 0 or ep.consecutive_failures > 0 or ep.failing_since is not null
        or ep.last_attempt_at is null or ep.last_attempt_at < h.last - interval '1 minute'
      order by ep.id
      for no key update of ep
    )
    update webhook_endpoints ep set
      consecutive_failures = case when h.reset then h.failures else ep.consecutive_failures + h.failures end,
      failing_since = ${since},
      last_attempt_at = greatest(ep.last_attempt_at, h.last),
      enabled = ep.enabled and not coalesce(${since} <= ${disableBefore}, false),
      auto_disabled_at = case when ep.enabled and ${since} <= ${disableBefore} then ${at} else ep.auto_disabled_at end
    from h where ep.id = h.endpoint_id and ep.id in (select id from locked)`);
  if (knownHealthy.size > 10_000) knownHealthy.clear();
  for (const [id, h] of health) if (!h.failures) knownHealthy.set(id, at0);
}
