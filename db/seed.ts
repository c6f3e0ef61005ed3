import type { Database } from "./client";
import { createMerchant, createUser, findUserByEmail } from "@/lib/accounts/users";

export const DEMO = { email: "demo@settle.dev", password: "demo-password", merchant: "Demo Store" } as const;

/** Seeds the demo merchant once; running it again changes nothing. */
export async function seedDemo(db: Database): Promise<{ created: boolean }> {
  if (await findUserByEmail(db, DEMO.email)) return { created: false };
  await db.transaction(async (tx) => {
    const user = await createUser(tx, { email: DEMO.email, name: "Demo Owner", password: DEMO.password });
    await createMerchant(tx, { name: DEMO.merchant, ownerId: user.id });
  });
  return { created: true };
}

export function printDemoSignIn(): void {
  console.log(
    [
      "",
      "  Settle demo merchant \"Demo Store\"",
      `    sign in at http://localhost:3000/login`,
      `    email:    ${DEMO.email}`,
      `    password: ${DEMO.password}`,
      "",
    ].join("\n"),
  );
}
