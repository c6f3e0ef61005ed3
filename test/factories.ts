import type { Database } from "@/db/client";
import { memberships } from "@/db/schema";
import { createMerchant, createUser } from "@/lib/accounts/users";
import type { Actor, ActorSpace, Role } from "@/lib/auth/roles";
import { newId } from "@/lib/ids";
import { createInvoice } from "@/lib/invoices/create";
import type { CreateInvoiceInput } from "@/lib/invoices/schemas";

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function makeUser(db: Database, name = "Test User") {
  return createUser(db, { email: `user-${unique()}@example.test`, name, password: "correct-horse" });
}

/**
 * A merchant account with its owner, and a helper that adds a member with any
 * role and returns them as an actor. Tests work in one of its two data
 * spaces, test mode unless `livemode` (the sandbox lives only there):
 * `merchant.id` is that space, `account` the account's own (live) row, which
 * memberships and the team belong to.
 */
export async function makeMerchant(db: Database, name = "Test Store", { livemode = false }: { livemode?: boolean } = {}) {
  const owner = await makeUser(db, "Owner");
  const account = await createMerchant(db, { name, ownerId: owner.id });
  const space: ActorSpace = { merchantId: livemode ? account.id : account.testId, accountId: account.id, livemode };
  const merchant = { id: space.merchantId, name: account.name, accountId: account.id, livemode };
  const ownerActor: Actor = { userId: owner.id, role: "owner", ...space };
  async function addMember(role: Role) {
    const user = await makeUser(db, role);
    const membershipId = newId("mem");
    await db.insert(memberships).values({ id: membershipId, merchantId: account.id, userId: user.id, role });
    const actor: Actor = { userId: user.id, role, ...space };
    return { user, membershipId, actor };
  }
  /** The same person in the other mode. */
  const inMode = (actor: Actor, live: boolean): Actor => ({ ...actor, merchantId: live ? account.id : account.testId, livemode: live });
  return { merchant, account, owner, ownerActor, addMember, inMode };
}

/** An invoice with sensible defaults: one line of `amount` minor units in `currency`. */
export async function makeInvoice(
  db: Database,
  actor: Actor,
  { amount = 10_000, currency = "USD", ...rest }: Partial<CreateInvoiceInput> & { amount?: number } = {},
) {
  return createInvoice(db, actor, {
    currency,
    items: [{ name: "Consulting", unitPrice: amount, quantity: 1 }],
    customer: { name: "Ada Customer", email: "ada@example.test" },
    ...rest,
  });
}
