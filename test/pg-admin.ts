import type pg from "pg";

/**
 * Drops a database a pool has just closed. pg's pool.end() resolves before its
 * sockets have closed, and a forced drop before then kills those backends:
 * the client gets an unhandled 57P01. So wait (briefly) for them to go first.
 */
export async function dropDatabaseWhenIdle(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
    if (rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await admin.query(`drop database if exists ${name} with (force)`);
}
