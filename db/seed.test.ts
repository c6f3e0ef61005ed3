import { describe, expect, it } from "vitest";
import { invoices, users } from "@/db/schema";
import { useTestDb } from "@/test/db";
import { DEMO, seedDemo } from "./seed";
import { verifyCredentials } from "@/lib/accounts/sign-in";

const { db } = useTestDb();

describe("demo seed", () => {
  it("creates the demo owner with invoices in every status, once", async () => {
    expect(await seedDemo(db())).toEqual({ created: true });
    expect(await seedDemo(db())).toEqual({ created: false });
    expect(await db().$count(users)).toBe(1);
    const user = await verifyCredentials(db(), DEMO.email, DEMO.password);
    expect(user.email).toBe(DEMO.email);
    const rows = await db().select({ status: invoices.status, paymentStatus: invoices.paymentStatus }).from(invoices);
    const seen = new Set(rows.map((r) => (r.status === "void" ? "void" : r.paymentStatus)));
    expect(seen).toEqual(new Set(["unpaid", "partial", "paid", "extra", "void"]));
  });
});
