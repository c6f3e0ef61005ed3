import type { Database } from "./client";
import { createDemoApiKey } from "@/lib/api/keys";
import { createMerchant, createUser, findUserByEmail, membershipsOf } from "@/lib/accounts/users";
import type { Actor } from "@/lib/auth/roles";
import { createInvoice } from "@/lib/invoices/create";
import type { CreateInvoiceInput } from "@/lib/invoices/schemas";
import { voidInvoice } from "@/lib/invoices/void";
import { recordManualPayment } from "@/lib/payments/manual";

export const DEMO = { email: "demo@settle.dev", password: "demo-password", merchant: "Demo Store" } as const;

type DemoInvoice = CreateInvoiceInput & { pay?: string[]; void?: boolean };

/** A few invoices in every status, so the demo shows something real on first sign-in. */
const demoInvoices: DemoInvoice[] = [
  { currency: "USD", customer: { name: "Minh Nguyen", email: "minh@example.com" }, items: [{ name: "Espresso machine service", unitPrice: "120.00", quantity: 1 }, { name: "Descaler", unitPrice: "9.50", quantity: 2 }], referenceId: "ORD-1001", pay: ["139.00"] },
  { currency: "AED", customer: { name: "Fatima Al Mansoori", email: "fatima@example.ae", phone: "+971 50 123 4567" }, items: [{ name: "Catering for 20 guests", unitPrice: "1,800.00", quantity: 1 }], referenceId: "ORD-1002", pay: ["900.00"] },
  { currency: "VND", customer: { name: "Tran Thi Lan", email: "lan@example.vn" }, items: [{ name: "Tra sen (hop)", unitPrice: "250000", quantity: 4 }], referenceId: "ORD-1003" },
  { currency: "KWD", customer: { name: "Yousef Al Sabah" }, items: [{ name: "Dates gift box", unitPrice: "12.750", quantity: 2 }], referenceId: "ORD-1004", pay: ["25.500", "2.000"] },
  { currency: "USD", customer: { name: "Sara Haddad", email: "sara@example.com" }, items: [{ name: "Workshop ticket", unitPrice: "45.00", quantity: 3 }], referenceId: "ORD-1005" },
  { currency: "USD", customer: { name: "Omar Khalil" }, items: [{ name: "Cancelled order", unitPrice: "30.00", quantity: 1 }], referenceId: "ORD-1006", void: true },
];

/** Seeds the demo merchant once; running it again changes nothing. */
export async function seedDemo(db: Database): Promise<{ created: boolean }> {
  if (await findUserByEmail(db, DEMO.email)) return { created: false };
  const owner = await db.transaction(async (tx) => {
    const user = await createUser(tx, { email: DEMO.email, name: "Demo Owner", password: DEMO.password });
    await createMerchant(tx, { name: DEMO.merchant, ownerId: user.id });
    return user;
  });
  const [membership] = await membershipsOf(db, owner.id);
  const actor: Actor = { userId: owner.id, merchantId: membership!.merchantId, role: "owner" };
  for (const { pay = [], void: isVoid, ...input } of demoInvoices) {
    const invoice = await createInvoice(db, actor, input);
    for (const amount of pay) {
      await recordManualPayment(db, actor, { invoiceId: invoice.id, amount, method: "bank_transfer" });
    }
    if (isVoid) await voidInvoice(db, actor, { invoiceId: invoice.id });
  }
  await createDemoApiKey(db, actor);
  return { created: true };
}

export function printDemoSignIn(apiKey?: { clientId: string; secret: string } | null): void {
  console.log(
    [
      "",
      '  Settle demo merchant "Demo Store"',
      "    sign in at http://localhost:3000/login",
      `    email:    ${DEMO.email}`,
      `    password: ${DEMO.password}`,
      ...(apiKey
        ? [
            `    API client_id: ${apiKey.clientId}`,
            `    API secret:    ${apiKey.secret}`,
            `    curl http://localhost:3000/api/v1/invoices -H "Authorization: Bearer ${apiKey.secret}"`,
          ]
        : []),
      "",
    ].join("\n"),
  );
}
