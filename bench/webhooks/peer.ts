import PgBoss from "pg-boss";
import pg from "pg";
import { Agent, request } from "undici";

/**
 * The peer: pg-boss doing the same job on the same database and receiver.
 * Each job is one webhook (its body in the job's data); a worker fetches a
 * batch, posts every job of it at once with undici and writes one attempt row
 * per job (status, duration, response body) in one statement, then pg-boss
 * completes the batch. The best of a few settings: pg-boss's own work()
 * loop (which waits its polling interval between batches, so it needs big
 * ones), and a loop of fetch() and complete() that takes the next batch at once.
 */
export async function peerPerSecond(opts: { url: string; receiverUrl: string; body: string; jobs: number }): Promise<{ perS: number; setting: string }> {
  const settings = [
    { batchSize: 100, workers: 4, loop: "work" as const },
    { batchSize: 500, workers: 8, loop: "work" as const },
    { batchSize: 100, workers: 4, loop: "fetch" as const },
    { batchSize: 200, workers: 4, loop: "fetch" as const },
  ];
  let best = { perS: 0, setting: "" };
  for (const s of settings) {
    const perS = await runOnce(opts, s);
    const setting = `${s.loop}(), batch ${s.batchSize} × ${s.workers} workers`;
    console.log(`  pg-boss, ${setting}: ${perS.toFixed(1)}/s`);
    if (perS > best.perS) best = { perS, setting };
  }
  return best;
}

async function runOnce(
  { url, receiverUrl, body, jobs }: { url: string; receiverUrl: string; body: string; jobs: number },
  { batchSize, workers, loop }: { batchSize: number; workers: number; loop: "work" | "fetch" },
): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: workers + 2 });
  await pool.query(`create table if not exists peer_attempts (
    id bigserial primary key, job_id uuid not null, status int, duration_ms int not null, response_body text,
    started_at timestamptz not null default now())`);
  await pool.query("truncate peer_attempts");
  const boss = new PgBoss({ connectionString: url, max: workers + 2, supervise: false, schedule: false });
  boss.on("error", (err) => console.error("pg-boss:", err));
  await boss.start();
  const queue = `webhooks_${loop}_${batchSize}_${workers}`;
  await boss.createQueue(queue);
  for (let i = 0; i < jobs; i += 1000) {
    await boss.insert(Array.from({ length: Math.min(1000, jobs - i) }, () => ({ name: queue, data: { url: receiverUrl, body } })));
  }
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: batchSize * workers });
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  const started = performance.now();
  type Data = { url: string; body: string };
  const handle = async (batch: PgBoss.Job<Data>[]) => {
    const rows = await Promise.all(
      batch.map(async (job) => {
        const t0 = performance.now();
        const res = await request(job.data.url, {
          method: "POST",
          dispatcher: agent,
          headers: { "content-type": "application/json" },
          body: job.data.body,
        });
        const text = await res.body.text();
        return [job.id, res.statusCode, Math.round(performance.now() - t0), text] as const;
      }),
    );
    await pool.query(
      `insert into peer_attempts (job_id, status, duration_ms, response_body)
       select * from unnest($1::uuid[], $2::int[], $3::int[], $4::text[])`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
    );
  };
  const count = (n: number) => {
    done += n;
    if (done >= jobs) finished();
  };
  if (loop === "work") {
    // pg-boss completes a batch once its handler returns: the last batch's completion is not timed.
    const work = async (batch: PgBoss.Job<Data>[]) => {
      await handle(batch);
      count(batch.length);
    };
    for (let w = 0; w < workers; w++) await boss.work<Data>(queue, { batchSize, pollingIntervalSeconds: 0.5 }, work);
  } else {
    for (let w = 0; w < workers; w++) {
      void (async () => {
        while (done < jobs) {
          const batch = await boss.fetch<Data>(queue, { batchSize });
          if (!batch.length) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          await handle(batch);
          await boss.complete(queue, batch.map((j) => j.id));
          count(batch.length);
        }
      })();
    }
  }
  await all;
  const seconds = (performance.now() - started) / 1000;
  await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  await agent.close();
  await pool.end();
  return jobs / seconds;
}
