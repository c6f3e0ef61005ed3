import { describe, expect, it, vi } from "vitest";
import { merchants } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";
import { eq } from "drizzle-orm";
import { formToObject } from "./actions";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/session", () => ({ requireActor: async () => session.actor }));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { db } = useApiTestDb();

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

describe("server action input", () => {
  it("a NUL character in a form field or a JSON payload is a field error, never a 500", () => {
    expect(() => formToObject(form({ name: "Shop\u0000" }))).toThrow(expect.objectContaining({ code: "validation_failed", fields: { name: [expect.stringContaining("NUL")] } }));
    expect(() => formToObject(form({ payload: JSON.stringify({ items: [{ name: "\u0000" }] }) }))).toThrow(
      expect.objectContaining({ fields: { "items.0.name": [expect.any(String)] } }),
    );
    expect(formToObject(form({ name: "Shop" }))).toEqual({ name: "Shop" });
  });

  it("updateMerchantAction with a NUL in the name answers the field and changes nothing", async () => {
    const { merchant, ownerActor } = await makeMerchant(db(), "Before");
    session.actor = ownerActor;
    const { updateMerchantAction } = await import("@/app/(dashboard)/settings/actions");
    const result = await updateMerchantAction(null, form({ name: "After\u0000" }));
    expect(result).toEqual({ ok: false, error: "Some fields need attention.", fieldErrors: { name: [expect.stringContaining("NUL")] } });
    expect((await db().select().from(merchants).where(eq(merchants.id, merchant.id)))[0]!.name).toBe(merchant.name);
    expect(await updateMerchantAction(null, form({ name: "After" }))).toEqual({ ok: true, data: { name: "After" } });
  });
});
