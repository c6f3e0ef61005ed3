import type { Database } from "@/db/client";
import { log } from "@/lib/log/logger";
import { type AttemptOutcome, attemptDelivery, claimDue, DEFAULT_LEASE_MS, recordOutcomes } from "./attempts";
import type { Sender } from "./http";

export interface DispatcherOptions {
  db: Database;
  sender: Sender;
  /** The clock; tests move it by hand. */
  now?: () => Date;
  random?: () => number;
  /** Deliveries claimed, sent and recorded together. */
  batchSize?: number;
  /** Batches in flight at once in this process. */
  workers?: number;
  leaseMs?: number;
  /** The periodic sweep that finds retries coming due and deliveries other processes created. */
  sweepMs?: number;
  onError?: (err: unknown) => void;
  /** Called after each batch with where its time went (metrics, the bench). */
  onBatch?: (stats: BatchStats) => void;
}

export interface BatchStats {
  deliveries: number;
  claimMs: number;
  sendMs: number;
  recordMs: number;
}

/**
 * Delivers due webhooks: each worker claims a batch, sends it concurrently,
 * and records every outcome in one statement. Several processes may run one
 * each; leases keep them from sending the same delivery twice.
 */
export class Dispatcher {
  private readonly db: Database;
  private readonly sender: Sender;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly batchSize: number;
  private readonly workers: number;
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly onBatch?: (stats: BatchStats) => void;
  private active = 0;
  private running = false;
  private sweepTimer?: NodeJS.Timeout;
  private idle: Array<() => void> = [];

  constructor(opts: DispatcherOptions) {
    this.db = opts.db;
    this.sender = opts.sender;
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? Math.random;
    this.batchSize = opts.batchSize ?? 100;
    this.workers = opts.workers ?? 4;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.sweepMs = opts.sweepMs ?? 500;
    this.onError = opts.onError ?? ((err) => log.error({ err }, "webhooks: dispatch failed"));
    this.onBatch = opts.onBatch;
  }

  /** Claims, sends and records one batch; returns how many deliveries it handled. */
  async runOnce(): Promise<number> {
    const t0 = performance.now();
    const claimed = await claimDue(this.db, { now: this.now(), limit: this.batchSize, leaseMs: this.leaseMs });
    if (!claimed.length) return 0;
    const t1 = performance.now();
    const outcomes: AttemptOutcome[] = await Promise.all(
      claimed.map((d) => attemptDelivery(this.sender, d, { now: this.now, random: this.random })),
    );
    const t2 = performance.now();
    await recordOutcomes(this.db, outcomes, this.now());
    this.onBatch?.({ deliveries: claimed.length, claimMs: t1 - t0, sendMs: t2 - t1, recordMs: performance.now() - t2 });
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
    this.sweepTimer = setInterval(() => this.kick(), this.sweepMs);
    this.sweepTimer.unref();
    this.kick();
  }

  /** Something new is due: look now. Pokes come after the COMMIT that made it due (afterCommit, db/transaction.ts). */
  poke(): void {
    if (this.running) this.kick();
  }

  /** Stops claiming; resolves once the batches in flight are recorded. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweepTimer);
    if (this.active) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private kick(): void {
    if (this.running && this.active < this.workers) void this.work();
  }

  private async work(): Promise<void> {
    this.active += 1;
    try {
      while (this.running) {
        const n = await this.runOnce();
        if (n < this.batchSize) break;
        // A full batch: there is probably more, so let another worker join in.
        this.kick();
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.active -= 1;
      if (!this.active) for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}
