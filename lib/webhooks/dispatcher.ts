import type { Database, Driver } from "@/db/client";
import { log } from "@/lib/log/logger";
import { type AttemptOutcome, attemptDelivery, notSentOutcome, recordOutcomes } from "./attempts";
import { type ClaimedDelivery, claimDue, DEFAULT_LEASE_MS, renewLeases } from "./claims";
import type { Sender } from "./http";

export interface DispatcherOptions {
  db: Database;
  sender: Sender;
  /** The clock due times are compared with; tests move it by hand. Without it, the database's clock. */
  now?: () => Date;
  random?: () => number;
  /** Deliveries one claim takes at most. */
  batchSize?: number;
  /**
   * Requests in flight at once in this process (sent, or sent and waiting to be recorded);
   * without it, the default for `driver` (requestsInFlight).
   */
  concurrency?: number;
  /** The database's driver, for the defaults that depend on it. */
  driver?: Driver;
  /** Of those, at most this many to one endpoint: a hanging endpoint holds no more. */
  perEndpoint?: number;
  /** And at most this many for one merchant: one merchant's backlog leaves room for the others. */
  perMerchant?: number;
  leaseMs?: number;
  /** The periodic sweep that finds retries coming due and deliveries other processes created. */
  sweepMs?: number;
  onError?: (err: unknown) => void;
  /** Called after each group of attempts is written, with how many (metrics, the bench). */
  onRecorded?: (attempts: number) => void;
}

interface Held {
  delivery: ClaimedDelivery;
  claimedAt: number;
  done: (outcome: AttemptOutcome) => void;
}

/**
 * Requests a dispatcher keeps in flight by default. Bigger groups spread each
 * claim's and each record's fixed cost over more deliveries: on server
 * Postgres 1,024 deliver about a tenth more per second than 512. PGlite runs
 * every statement on the dispatcher's own thread, one at a time, so there a
 * bigger group makes each statement longer and a quiet merchant's webhooks
 * wait behind a busy one's: it keeps 512.
 */
export const requestsInFlight = (driver: Driver | undefined) => (driver === "pg" || driver === "neon" ? 1024 : 512);

/**
 * Delivers due webhooks as a pipeline: claims take what the caps leave room
 * for, every request runs on its own, and each result is written as soon as
 * its request ends, grouped with whatever else ended meanwhile (one statement
 * per group, one group at a time). A slow request holds its own slot and
 * nothing else. Several processes may run one each; leases on the database's
 * clock, renewed while a request runs, keep them from sending the same
 * delivery twice, and let a crashed process's deliveries go out again within
 * seconds.
 */
export class Dispatcher {
  private readonly db: Database;
  private readonly sender: Sender;
  private readonly now?: () => Date;
  private readonly random: () => number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly perEndpoint: number;
  private readonly perMerchant: number;
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly onRecorded?: (attempts: number) => void;

  private readonly held = new Map<string, Held>();
  private readonly byEndpoint = new Map<string, number>();
  private readonly byMerchant = new Map<string, number>();
  private unrecorded: Array<{ outcome: AttemptOutcome; held: Held }> = [];
  /** Record statements running (one: a group then gathers what ended during the last). */
  private recording = 0;
  private recordFailing = false;
  private freed = false;
  /**
   * The last claim left due deliveries behind (it took all it could, or a cap held it back): claim again as
   * room frees. An endpoint at its cap counts even when nothing of it is due; the cost is at most one
   * claim per group of results until a claim comes back short with every count under its cap.
   */
  private more = false;
  private claiming = false;
  private again = false;
  private running = false;
  private sweepTimer?: NodeJS.Timeout;
  private renewTimer?: NodeJS.Timeout;
  private idle: Array<() => void> = [];
  private claims = 0;
  private claimedTotal = 0;
  private records = 0;
  private claimMs = 0;
  private recordMs = 0;

  constructor(opts: DispatcherOptions) {
    this.db = opts.db;
    this.sender = opts.sender;
    this.now = opts.now;
    this.random = opts.random ?? Math.random;
    this.batchSize = opts.batchSize ?? 200;
    this.concurrency = opts.concurrency ?? requestsInFlight(opts.driver);
    this.perEndpoint = Math.min(opts.perEndpoint ?? Math.floor(this.concurrency / 2), this.concurrency);
    this.perMerchant = Math.min(opts.perMerchant ?? Math.floor((this.concurrency * 3) / 4), this.concurrency);
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.sweepMs = opts.sweepMs ?? 500;
    this.onError = opts.onError ?? ((err) => log.error({ err }, "webhooks: dispatch failed"));
    this.onRecorded = opts.onRecorded;
  }

  /** Statements so far and what they carried, for metrics and the bench. */
  stats(): { claims: number; claimed: number; recordStatements: number; claimMs: number; recordMs: number } {
    return { claims: this.claims, claimed: this.claimedTotal, recordStatements: this.records, claimMs: this.claimMs, recordMs: this.recordMs };
  }

  /** Claims one batch and resolves once every attempt in it is recorded; returns how many it handled. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((c) => c.recorded));
    return claimed.length;
  }

  /** Runs batches until nothing is due (or the deadline passes); for the cron route and tests. */
  async drain(deadline = Number.POSITIVE_INFINITY): Promise<number> {
    let total = 0;
    while (Date.now() < deadline) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sweepTimer = setInterval(() => this.pump(), this.sweepMs);
    this.sweepTimer.unref();
    this.pump();
  }

  /** Something new is due: look now. Pokes come after the COMMIT that made it due (afterCommit, db/transaction.ts). */
  poke(): void {
    if (this.running) this.pump();
  }

  /** Stops claiming; resolves once the attempts in flight are recorded. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweepTimer);
    if (this.held.size || this.claiming) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Claims while there is room, as long as the loop runs; one claim at a time, a poke meanwhile claims again after. */
  private pump(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    void this.fill();
  }

  private async fill(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.again = false;
        while (this.running && !this.recordFailing) {
          const room = this.concurrency - this.held.size;
          // Under load, wait for a group of results rather than claim a few rows at a time.
          if (room < Math.min(this.batchSize, this.concurrency) / 4 && this.held.size) break;
          const claimed = await this.claim();
          // Short of the limit: nothing else is due that the caps let through.
          if (claimed.length < Math.min(this.batchSize, room)) break;
        }
      } while (this.again && this.running && !this.recordFailing);
    } catch (err) {
      this.onError(err);
    } finally {
      this.claiming = false;
      this.settleIdle();
    }
  }

  /** One claim within the caps; each claimed delivery is sent at once. */
  private async claim(): Promise<Array<{ recorded: Promise<void> }>> {
    const room = this.concurrency - this.held.size;
    if (room <= 0) return [];
    const t0 = performance.now();
    const limit = Math.min(this.batchSize, room);
    // The counts the claim sees: results recorded while it runs lower the live ones.
    const byEndpoint = new Map(this.byEndpoint);
    const byMerchant = new Map(this.byMerchant);
    const claimed = await claimDue(this.db, {
      now: this.now?.(),
      limit,
      leaseMs: this.leaseMs,
      inFlight: { byEndpoint, byMerchant, perEndpoint: this.perEndpoint, perMerchant: this.perMerchant },
    });
    this.claimMs += performance.now() - t0;
    this.claims += 1;
    this.claimedTotal += claimed.length;
    for (const d of claimed) {
      bump(byEndpoint, d.endpointId ?? "", 1);
      bump(byMerchant, d.merchantId, 1);
    }
    const atCap = (counts: Map<string, number>, cap: number) => [...counts.values()].some((n) => n >= cap);
    this.more = claimed.length === limit || atCap(byEndpoint, this.perEndpoint) || atCap(byMerchant, this.perMerchant);
    return claimed.map((d) => ({ recorded: this.send(d) }));
  }

  private send(delivery: ClaimedDelivery): Promise<void> {
    return new Promise<void>((resolve) => {
      const held: Held = { delivery, claimedAt: Date.now(), done: () => resolve() };
      this.held.set(delivery.id, held);
      bump(this.byEndpoint, delivery.endpointId ?? "", 1);
      bump(this.byMerchant, delivery.merchantId, 1);
      this.renewTimer ??= setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
      this.renewTimer.unref();
      attemptDelivery(this.sender, delivery, { random: this.random })
        .catch((err: unknown) => notSentOutcome(delivery, `Not sent: ${err instanceof Error ? err.message : String(err)}`))
        .then((outcome) => {
          this.unrecorded.push({ outcome, held });
          this.record();
        });
    });
  }

  /** Writes what has ended; what ends meanwhile goes in the next group. A failed write is retried: the results stay until written. */
  private record(): void {
    if (this.recording >= RECORDERS || !this.unrecorded.length) return;
    const group = this.unrecorded;
    this.unrecorded = [];
    const t0 = performance.now();
    this.recording += 1;
    void recordOutcomes(
      this.db,
      group.map((g) => g.outcome),
      this.now?.(),
    )
      .then(
        () => {
          this.recordFailing = false;
          for (const { outcome, held } of group) this.release(held, outcome);
          this.records += 1;
          this.recordMs += performance.now() - t0;
          this.onRecorded?.(group.length);
        },
        async (err: unknown) => {
          this.recordFailing = true;
          this.freed = true;
          this.onError(err);
          this.unrecorded = [...group, ...this.unrecorded];
          await new Promise((r) => setTimeout(r, 500));
        },
      )
      .finally(() => {
        this.recording -= 1;
        this.record();
        if (this.freed) {
          this.freed = false;
          this.pump();
        }
      });
  }

  private release(held: Held, outcome: AttemptOutcome): void {
    const d = held.delivery;
    // Due rows were left behind and this frees room for a claim's worth on every count this delivery was under:
    // claim after this group (a claim for a slot or two at a time would cost more than the sends it feeds).
    const worth = (cap: number) => cap - Math.max(1, Math.floor(Math.min(this.batchSize, cap) / 4));
    if (
      this.more &&
      this.held.size - 1 <= worth(this.concurrency) &&
      (this.byEndpoint.get(d.endpointId ?? "") ?? 0) - 1 <= worth(this.perEndpoint) &&
      (this.byMerchant.get(d.merchantId) ?? 0) - 1 <= worth(this.perMerchant)
    ) {
      this.freed = true;
    }
    this.held.delete(d.id);
    bump(this.byEndpoint, d.endpointId ?? "", -1);
    bump(this.byMerchant, d.merchantId, -1);
    held.done(outcome);
    if (!this.held.size) {
      clearInterval(this.renewTimer);
      this.renewTimer = undefined;
    }
    this.settleIdle();
  }

  /** Renews the leases of requests that have run (or waited to be recorded) for a third of the lease. */
  private async renew(): Promise<void> {
    const before = Date.now() - this.leaseMs / 3;
    const old = [...this.held.values()].filter((h) => h.claimedAt <= before).map((h) => ({ id: h.delivery.id, leaseId: h.delivery.leaseId }));
    try {
      await renewLeases(this.db, old, this.leaseMs);
    } catch (err) {
      this.onError(err);
    }
  }

  private settleIdle(): void {
    if (!this.held.size && !this.claiming) for (const resolve of this.idle.splice(0)) resolve();
  }
}

const RECORDERS = 1;

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
