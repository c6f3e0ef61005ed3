import { describe, expect, it } from "vitest";
import { openSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { useTestDb } from "@/test/db";
import { makeMerchant } from "@/test/factories";
import { createService, ensureSandbox, getService, listServices, updateService } from "./services";

const { db } = useTestDb();

/** The field errors a command call ends with. */
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: AppError) => (err instanceof AppError ? err.fields : err),
  );

describe("editing a payment service (payment_services.update)", () => {
  it("saves the edit form as sent: blank secret kept, a new one sealed, 'remove' drops it; the kind and the sandbox stay", async () => {
    const shop = await makeMerchant(db());
    const owner = shop.ownerActor;
    const merchantId = shop.merchant.id;
    const bank = await createService(db(), owner, { kind: "bank_transfer", name: "ACB", bankBin: "970416", accountNumber: "257678859", accountName: "Tran Tu Thien", secret: "pss_first_secret_0001" });
    const form = { serviceId: bank.id, kind: "bank_transfer", name: "ACB main", bankBin: "970436", accountNumber: "1234567890", accountName: "Le Thi B", secret: "" } as const;

    const edited = await updateService(db(), owner, form);
    expect(edited).toMatchObject({ name: "ACB main", kind: "bank_transfer", config: { bankBin: "970436", accountNumber: "1234567890", accountName: "LE THI B" } });
    expect(openSecret(edited.secretSealed!)).toBe("pss_first_secret_0001");

    expect(openSecret((await updateService(db(), owner, { ...form, secret: "pss_second_secret_02" })).secretSealed!)).toBe("pss_second_secret_02");
    expect(await refusal(updateService(db(), owner, { ...form, secret: "pss_third_secret_003", removeSecret: "on" }))).toEqual({
      secret: ["Give a new signing secret or remove it, not both."],
    });
    expect((await updateService(db(), owner, { ...form, removeSecret: "on" })).secretSealed).toBeNull();

    expect(await refusal(updateService(db(), owner, { serviceId: bank.id, kind: "redirect", name: "Cards", baseUrl: "https://pay.example.com/" }))).toEqual({
      kind: ["A service's kind cannot change: link a new service instead."],
    });
    await ensureSandbox(db(), merchantId);
    const sandbox = (await listServices(db(), merchantId)).find((s) => s.kind === "sandbox")!;
    expect(await refusal(updateService(db(), owner, { serviceId: sandbox.id, kind: "redirect", name: "Mine", baseUrl: "https://pay.example.com/" }))).toEqual({
      kind: ["The sandbox is built in: it can only be turned on or off."],
    });
    expect((await getService(db(), { merchantId, id: sandbox.id })).name).toBe("Sandbox");
    expect((await getService(db(), { merchantId, id: bank.id })).kind).toBe("bank_transfer");
  });
});
