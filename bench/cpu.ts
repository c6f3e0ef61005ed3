import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";

const TICK_MS = 10; // /proc CPU times are in 1/100 s

/**
 * CPU time (ms) of some processes: each picked process's own, and with
 * `children`, also what its exited children spent (the postmaster reaps every
 * backend, so a connection a pool closed mid-round still counts).
 */
export function cpuMs(pick: (stat: string[], pid: number) => boolean, children?: (pid: number) => boolean): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command (which may hold spaces): state is [0], ppid [1], pgrp [2], utime [11], stime [12], cutime [13], cstime [14].
      const raw = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
      if (pick(fields, Number(entry))) ticks += Number(fields[11]) + Number(fields[12]);
      if (children?.(Number(entry))) ticks += Number(fields[13]) + Number(fields[14]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks * TICK_MS;
}

/**
 * Postgres's CPU so far: the postmaster and every process it forked (backends,
 * WAL writer, checkpointer…), live or exited; `owns` picks those processes
 * for a `cpuMs` of a wider set. Found through a connection of
 * `client`, so it works only where Postgres runs on this machine; the
 * machine's Postgres should serve only the bench while it runs.
 */
export async function postgresCpu(client: pg.Client): Promise<{ pid: number; owns: (stat: string[], pid: number) => boolean; ms: () => number }> {
  const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
  const postmaster = Number(readFileSync(`/proc/${rows[0]!.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  const owns = (f: string[], pid: number) => pid === postmaster || Number(f[1]) === postmaster;
  return { pid: postmaster, owns, ms: () => cpuMs(owns, (pid) => pid === postmaster) };
}
