import { asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import { memberships, merchants, users } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { hashPassword } from "./passwords";

export async function findUserByEmail(db: Database, email: string) {
  const [user] = await db.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return user;
}

/**
 * What sign-up answers for an email that already has an account: not a field
 * error on the email, nor the word "exists". Without email verification a new
 * address gets an account and a taken one cannot, so the outcome itself stays
 * visible (README, Security); the answer names no account.
 */
export const SIGNUP_REFUSED = "We could not create an account with these details. If you already have one, sign in instead.";

export async function createUser(db: Database, input: { email: string; name: string; password?: string }) {
  // Hashed first, so a taken email costs the same bcrypt time as a new one.
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  if (await findUserByEmail(db, input.email)) throw new AppError("validation_failed", SIGNUP_REFUSED);
  const [user] = await db
    .insert(users)
    .values({ id: newId("usr"), email: input.email.toLowerCase(), name: input.name, passwordHash })
    .returning();
  return user!;
}

/** A merchant account: its live row (the account, which the owner joins) and its test space. */
export async function createMerchant(db: Database, input: { name: string; ownerId: string }) {
  const id = newId("mer");
  const testId = newId("mer");
  const [merchant] = await db.insert(merchants).values({ id, name: input.name }).returning();
  await db.insert(merchants).values({ id: testId, name: input.name, liveMerchantId: id, livemode: false });
  await db.insert(memberships).values({
    id: newId("mem"),
    merchantId: id,
    userId: input.ownerId,
    role: "owner",
  });
  return { ...merchant!, testId };
}

export interface MembershipSummary {
  membershipId: string;
  /** The account (its live row). */
  merchantId: string;
  /** Its test space. */
  testMerchantId: string;
  merchantName: string;
  role: Role;
}

const testSpace = alias(merchants, "test_space");

export async function membershipsOf(db: Database, userId: string): Promise<MembershipSummary[]> {
  return db
    .select({
      membershipId: memberships.id,
      merchantId: merchants.id,
      testMerchantId: testSpace.id,
      merchantName: merchants.name,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(merchants, eq(merchants.id, memberships.merchantId))
    .innerJoin(testSpace, eq(testSpace.liveMerchantId, merchants.id))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(merchants.name), asc(merchants.id));
}

/** Whether the user signs in with a password (an OAuth-only account has none to change). */
export async function hasPassword(db: Database, userId: string): Promise<boolean> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return !!row?.hash;
}
