import type { Database } from "@/db/client";
import { memberships } from "@/db/schema";
import { createMerchant, createUser } from "@/lib/accounts/users";
import type { Actor, Role } from "@/lib/auth/roles";
import { newId } from "@/lib/ids";
import { createInvoice } from "@/lib/invoices/create";
import type { CreateInvoiceInput } from "@/lib/invoices/schemas";

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function makeUser(db: Database, name = "Test User") {
  return createUser(db, { email: `user-${unique()}@example.test`, name, password: "correct-horse" });
}

/** A merchant with its owner, and a helper that adds a member with any role and returns them as an actor. */
export async function makeMerchant(db: Database, name = "Test Store") {
  const owner = await makeUser(db, "Owner");
  const merchant = await createMerchant(db, { name, ownerId: owner.id });
  const ownerActor: Actor = { userId: owner.id, merchantId: merchant.id, role: "owner" };
  async function addMember(role: Role) {
    const user = await makeUser(db, role);
    const membershipId = newId("mem");
    await db.insert(memberships).values({ id: membershipId, merchantId: merchant.id, userId: user.id, role });
    const actor: Actor = { userId: user.id, merchantId: merchant.id, role };
    return { user, membershipId, actor };
  }
  return { merchant, owner, ownerActor, addMember };
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
