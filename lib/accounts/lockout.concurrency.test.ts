import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDb } from "@/db/client";
import { loginFailures } from "@/db/schema";
import { onServerPostgres, useTestDb } from "@/test/db";
import { createUser } from "./users";
import { LOCKED, verifyCredentials, WRONG_CREDENTIALS } from "./sign-in";

// PGlite is one connection in one process: calls there queue up, so races only exist on a server.
if (!onServerPostgres()) console.info("lockout concurrency tests skipped: they need server Postgres (set DATABASE_URL)");

/** How each attempt ended: signed in, a checked wrong password, or refused as locked. */
async function outcomes(attempts: Promise<unknown>[]) {
  const settled = await Promise.allSettled(attempts);
  const count = { signedIn: 0, wrong: 0, locked: 0, other: 0 };
  for (const s of settled) {
    if (s.status === "fulfilled") count.signedIn++;
    else if ((s.reason as Error).message === WRONG_CREDENTIALS) count.wrong++;
    else if ((s.reason as Error).message === LOCKED) count.locked++;
    else count.other++;
  }
  return count;
}

describe.runIf(onServerPostgres())("sign-in lockout under concurrency (server Postgres)", () => {
  const { handle } = useTestDb();
  let pool: DbHandle;

  beforeAll(async () => {
    // Its own pool, wide enough that the attempts really do overlap.
    pool = await openDb({ url: handle().url!, driver: "pg", poolMax: 40 });
  });
  afterAll(async () => {
    await pool?.close();
  });

  const failuresOf = async (email: string) => pool.db.$count(loginFailures, eq(loginFailures.email, email));

  it("100 concurrent wrong passwords for one email check exactly 5", async () => {
    const email = "race-1@example.test";
    await createUser(pool.db, { email, name: "Race One", password: "right-horse-battery" });
    const count = await outcomes(Array.from({ length: 100 }, (_, i) => verifyCredentials(pool.db, email, `wrong-${i}`)));
    expect(count).toEqual({ signedIn: 0, wrong: 5, locked: 95, other: 0 });
    expect(await failuresOf(email)).toBe(5);
  });

  it("attempts whose clocks read a little earlier than the ones before them still count those", async () => {
    // Each attempt's clock reads 10 ms earlier than the one started before it, as when the
    // attempts come through instances whose clocks differ, or wait for the lock out of order.
    const email = "race-skew@example.test";
    await createUser(pool.db, { email, name: "Race Skew", password: "right-horse-battery" });
    const base = Date.now();
    const count = await outcomes(Array.from({ length: 40 }, (_, i) => verifyCredentials(pool.db, email, `wrong-${i}`, new Date(base - i * 10))));
    expect(count).toEqual({ signedIn: 0, wrong: 5, locked: 35, other: 0 });
    expect(await failuresOf(email)).toBe(5);
  });

  it("a burst with the right password last neither signs in once locked nor wipes the count", async () => {
    const email = "race-2@example.test";
    const password = "right-horse-battery";
    await createUser(pool.db, { email, name: "Race Two", password });
    const burst = Array.from({ length: 39 }, (_, i) => verifyCredentials(pool.db, email, `wrong-${i}`));
    burst.push(verifyCredentials(pool.db, email, password));
    const count = await outcomes(burst);
    expect(count.other).toBe(0);
    // The policy: 5 counted failures lock the email. The right password is
    // checked only while fewer than 5 are counted, and whichever order the
    // attempts reached Postgres in, its success removes only its own
    // reservation. So the wrong ones checked are 5, or 4 when the right one
    // held the fifth slot while the rest were turned away.
    expect(count.signedIn).toBeLessThanOrEqual(1);
    expect(count.wrong).toBeLessThanOrEqual(5);
    expect(count.wrong).toBeGreaterThanOrEqual(count.signedIn === 1 ? 4 : 5);
    expect(count.locked).toBe(40 - count.wrong - count.signedIn);
    // Nothing was wiped: every checked wrong password is still counted.
    expect(await failuresOf(email)).toBe(count.wrong);
    if (count.wrong === 5) {
      await expect(verifyCredentials(pool.db, email, password)).rejects.toThrow(LOCKED);
    }
  });

  it("a right password after five wrong ones is refused, and the count stays", async () => {
    const email = "race-3@example.test";
    const password = "right-horse-battery";
    await createUser(pool.db, { email, name: "Race Three", password });
    const wrong = await outcomes(Array.from({ length: 5 }, (_, i) => verifyCredentials(pool.db, email, `wrong-${i}`)));
    expect(wrong).toEqual({ signedIn: 0, wrong: 5, locked: 0, other: 0 });
    await expect(verifyCredentials(pool.db, email, password)).rejects.toThrow(LOCKED);
    expect(await failuresOf(email)).toBe(5);
  });
});
