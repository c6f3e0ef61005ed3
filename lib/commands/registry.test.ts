import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { rowsOf } from "@/db/rows";
import { paymentServices, providerNotifications, webhookDeliveries } from "@/db/schema";
import { actionKindOf } from "@/lib/actions";
import { operations } from "@/lib/api/operations";
import { type Actor, apiKeyRoles, can, roles } from "@/lib/auth/roles";
import { createApiKey } from "@/lib/api-keys/keys";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { createInvoice } from "@/lib/invoices/create";
import { recordManualPayment } from "@/lib/payments/manual";
import { createRefund } from "@/lib/refunds/refunds";
import { createInvoiceLink } from "@/lib/payment-links/create";
import { createGatewayService } from "@/lib/payment-services/gateways";
import { createService, ensureSandbox } from "@/lib/payment-services/services";
import { createInvite } from "@/lib/team/invites";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { useTestDb } from "@/test/db";
import { useTestGateway } from "@/test/gateway-setup";
import { makeMerchant } from "@/test/factories";
import type { Command } from "./command";
import { commands } from "./registry";

const registered = new Set<Command>(commands);

/** Every file under app/ that declares server actions. */
function actionModules(dir = path.resolve(__dirname, "../../app")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return actionModules(file);
    return /\.tsx?$/.test(entry.name) && /^\s*["']use server["']/.test(readFileSync(file, "utf8")) ? [file] : [];
  });
}

/** The actions a signed-out visitor may call: each is refused nothing, so it must stay this short. */
const publicActions = [
  "signupAction",
  "signInAction",
  "acceptInviteAction",
  "switchMerchantAction",
  "sandboxAction",
  "forgotPasswordAction",
  "resetPasswordAction",
];
/**
 * What a signed-in person does to their own account, in no merchant (userAction):
 * refused without a live session, and given only that session's user. Just as short.
 */
const userActions = ["changePasswordAction", "signOutEverywhereAction", "switchModeAction"];

describe("the command registry", () => {
  it("names every command once, each with a permission and an input schema", () => {
    const names = commands.map((c) => c.name);
    expect(names.length).toBeGreaterThan(20);
    expect(new Set(names).size).toBe(names.length);
    for (const c of commands) {
      expect(c.name, c.name).toMatch(/^[a-z_-]+(\.[a-z_-]+)+$/);
      expect(c.permission, c.name).toBeTruthy();
      expect(typeof c.input.safeParse, c.name).toBe("function");
    }
  });

  it("is what every exported server action runs", async () => {
    const files = actionModules();
    expect(files.length).toBeGreaterThan(5);
    const unwrapped: string[] = [];
    const publics: string[] = [];
    const users: string[] = [];
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        const kind = actionKindOf(value);
        const where = `${path.relative(process.cwd(), file)}: ${name}`;
        if (kind === "public") publics.push(name);
        else if (kind === "user") users.push(name);
        else if (!kind || !registered.has(kind)) unwrapped.push(where);
      }
    }
    expect(unwrapped, "server actions that are not a registered command behind commandAction").toEqual([]);
    expect(publics.sort()).toEqual([...publicActions].sort());
    expect(users.sort()).toEqual([...userActions].sort());
  });

  it("is what every changing API operation runs", () => {
    const changing = operations.filter((op) => op.method !== "GET");
    expect(changing.length).toBeGreaterThan(5);
    const missing = changing.filter((op) => !op.command || !registered.has(op.command)).map((op) => op.operationId);
    expect(missing, "changing operations without a registered command").toEqual([]);
  });
});

describe("the role matrix, over every registered command", () => {
  const { db } = useTestDb();

  /** The error a call ends with, or "ok". Input is empty: the role is checked before the input is read. */
  async function outcome(command: Command, actor: Actor): Promise<string> {
    try {
      await command(db(), actor, {});
      return "ok";
    } catch (err) {
      if (err instanceof AppError) return err.code;
      throw err;
    }
  }

  it("refuses exactly the members whose role lacks the command's permission", async () => {
    const shop = await makeMerchant(db(), "Roles shop");
    const actors = { owner: shop.ownerActor } as Record<(typeof roles)[number], Actor>;
    for (const role of roles.filter((r) => r !== "owner")) actors[role] = (await shop.addMember(role)).actor;
    const wrong: string[] = [];
    for (const command of commands) {
      for (const role of roles) {
        const refused = (await outcome(command, actors[role])) === "forbidden";
        if (refused === can(role, command.permission)) wrong.push(`${command.name} as ${role}: ${refused ? "refused" : "allowed"}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("refuses exactly the API keys whose access lacks the command's permission", async () => {
    const shop = await makeMerchant(db(), "Keys shop");
    const wrong: string[] = [];
    for (const command of commands) {
      for (const role of apiKeyRoles) {
        const actor: Actor = { ...shop.ownerActor, role, apiKeyId: `key_${role}` };
        const refused = (await outcome(command, actor)) === "forbidden";
        if (refused === can(role, command.permission)) wrong.push(`${command.name} with ${role} access: ${refused ? "refused" : "allowed"}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("another merchant's objects, over every registered command", () => {
  const { db } = useTestDb();
  const gateway = useTestGateway();
  const origin = "http://127.0.0.1:3999";

  /** A hash per table of one merchant's rows: what another merchant's commands must never change. */
  async function merchantSnapshot(merchantId: string): Promise<Record<string, string>> {
    const tables = rowsOf(
      await db().execute(sql`select table_name from information_schema.columns
        where table_schema = 'public' and column_name = 'merchant_id' and table_name not in ('api_rate_windows') order by 1`),
      z.object({ table_name: z.string() }),
    );
    const out: Record<string, string> = {};
    for (const { table_name } of tables) {
      const [row] = rowsOf(
        await db().execute(sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.identifier(table_name)} t where merchant_id = ${merchantId}`),
        z.object({ h: z.string() }),
      );
      out[table_name] = row!.h;
    }
    return out;
  }

  /** A merchant with one of everything a command can name by id. */
  async function furnished(name: string) {
    const shop = await makeMerchant(db(), name);
    const owner = shop.ownerActor;
    const merchantId = shop.merchant.id;
    await ensureSandbox(db(), merchantId);
    const [service] = await db().select().from(paymentServices).where(eq(paymentServices.merchantId, merchantId));
    const linked = await createService(db(), owner, { kind: "redirect", name: "Cards", baseUrl: "https://pay.example.com/", secret: "s".repeat(32) });
    const gatewayService = await createGatewayService(db(), owner, { kind: gateway.kind, name: "Gateway", accountId: "ACC-1234", apiKey: "k".repeat(20) });
    const endpoint = await createEndpoint(db(), owner, { url: "http://127.0.0.1:9/hook", allEvents: true });
    const invoice = await createInvoice(db(), owner, { currency: "USD", items: [{ name: "Tea", unitPrice: 500, quantity: 1 }], customer: { name: "Ada" } });
    const link = await createInvoiceLink(db(), owner, { invoiceId: invoice.id, serviceIds: [service!.id] });
    const [delivery] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, merchantId));
    const member = await shop.addMember("support");
    const invite = await createInvite(db(), owner, { email: `${name.replace(/\W/g, "")}@example.test`, role: "viewer" });
    const key = await createApiKey(db(), owner, { name: "Orders", role: "admin" });
    const cash = await recordManualPayment(db(), owner, { invoiceId: invoice.id, amount: 100, method: "cash", reference: `cash-${name}` });
    const refund = await createRefund(db(), owner, { paymentId: cash.payment.id, amount: 40, reason: "Overcharged", reference: `back-${name}` });
    const notification = newId("ntf");
    await db().insert(providerNotifications).values({ id: notification, merchantId, serviceId: service!.id, headers: {}, body: "{}", outcome: "unmatched", providerRef: `ref-${name}`, amount: 500, currency: "USD" });
    return {
      owner,
      merchantId,
      ids: { service: service!.id, linked: linked.id, gateway: gatewayService.id, endpoint: endpoint.id, invoice: invoice.id, link: link.id, delivery: delivery!.id, payment: cash.payment.id, membership: member.membershipId, invite: invite.invite.id, key: key.key.id, notification, refund: refund.refund.id },
    };
  }

  type Ids = Awaited<ReturnType<typeof furnished>>["ids"];
  /**
   * For each command, inputs that name another merchant's (b's) object where
   * the rest is the caller's (a's). A command that names no object by id is
   * listed with its ordinary input: it must still leave b untouched.
   */
  const cases: Record<string, (a: Ids, b: Ids) => unknown[]> = {
    "invoices.create": () => [{ currency: "USD", items: [{ name: "Tea", unitPrice: 100, quantity: 1 }], customer: { name: "Bo" } }],
    "invoices.void": (_, b) => [{ invoiceId: b.invoice }],
    "payments.manual.record": (_, b) => [{ invoiceId: b.invoice, amount: "1.00", method: "cash", reference: "cash-1" }],
    "refunds.create": (_, b) => [{ paymentId: b.payment, amount: 50, reason: "Not yours", reference: "back-1" }],
    "refunds.check": (_, b) => [{ refundId: b.refund }],
    "payment_links.create": (a, b) => [
      { invoiceId: b.invoice, serviceIds: [a.service] },
      { invoiceId: a.invoice, serviceIds: [b.service] },
    ],
    "payment_links.standalone.create": (_, b) => [{ currency: "USD", amount: "5", description: "Gift", serviceIds: [b.service] }],
    "payment_links.cancel": (_, b) => [{ linkId: b.link }],
    "payment_links.invoice_payment.request": (a, b) => [
      { invoiceId: b.invoice, serviceId: a.service, origin },
      { invoiceId: a.invoice, serviceId: b.service, origin },
    ],
    "payment_links.request.create": (_, b) => [
      { paymentMethod: "bank_transfer", amount: 100, referenceId: b.invoice, referenceType: "invoice", origin },
      { paymentMethod: "card", accountId: b.service, amount: 100, currency: "USD", referenceId: "X-1", origin },
    ],
    "payment_services.create": () => [{ kind: "redirect", name: "Cards", baseUrl: "https://pay.example.com/checkout", secret: "s".repeat(32) }],
    "payment_services.update": (_, b) => [
      { serviceId: b.linked, kind: "redirect", name: "Taken", baseUrl: "https://evil.example.com/", secret: "t".repeat(32) },
      { serviceId: b.linked, kind: "redirect", name: "Taken", baseUrl: "https://evil.example.com/", removeSecret: true },
      { serviceId: b.service, kind: "bank_transfer", name: "Taken", bankBin: "970416", accountNumber: "257678859", accountName: "Mallory" },
    ],
    "payment_services.toggle": (_, b) => [
      { serviceId: b.service, enabled: false },
      { serviceId: b.linked, enabled: false },
      { serviceId: b.gateway, enabled: false },
    ],
    "payment_services.gateway.create": () => [{ kind: gateway.kind, name: "Mine", accountId: "ACC-9999", apiKey: "m".repeat(20) }],
    "payment_services.gateway.update": (_, b) => [
      { serviceId: b.gateway, kind: gateway.kind, name: "Taken", accountId: "ACC-6666", apiKey: "e".repeat(20) },
      // A secret left empty would be "kept": b's key must not be opened for a's edit.
      { serviceId: b.gateway, kind: gateway.kind, name: "Taken", accountId: "ACC-6666", apiKey: "" },
    ],
    "payment_services.notification.assign": (a, b) => [
      { notificationId: b.notification, invoiceId: a.invoice },
      { notificationId: a.notification, invoiceId: b.invoice },
    ],
    "team.member.invite": () => [{ email: "new@example.test", role: "viewer" }],
    "team.member.change_role": (_, b) => [{ membershipId: b.membership, role: "viewer" }],
    "team.member.remove": (_, b) => [{ membershipId: b.membership }],
    "team.invite.revoke": (_, b) => [{ inviteId: b.invite }],
    "merchant.settings.update": () => [{ name: "Renamed" }],
    "api_keys.create": () => [{ name: "Another", role: "viewer" }],
    "api_keys.revoke": (_, b) => [{ keyId: b.key }],
    // Names no object: it finds the caller's own test space, never b's.
    "test_data.delete": () => [{}],
    "webhooks.endpoint.create": () => [{ url: "http://127.0.0.1:9/other", allEvents: true }],
    "webhooks.endpoint.update": (_, b) => [{ id: b.endpoint, url: "http://127.0.0.1:9/taken", allEvents: true }],
    "webhooks.endpoint.delete": (_, b) => [{ id: b.endpoint }],
    "webhooks.secret.reveal": (_, b) => [{ id: b.endpoint }],
    "webhooks.secret.rotate": (_, b) => [{ id: b.endpoint }],
    "webhooks.endpoint.test": (_, b) => [{ id: b.endpoint }],
    "webhooks.settings.update": () => [{ autoRetry: false, retryMinutes: "5, 10", timeoutSeconds: 10 }],
    "webhooks.delivery.retry": (_, b) => [{ id: b.delivery }],
    "webhooks.delivery.retry_all": (_, b) => [{ status: [], endpoint: b.endpoint }],
  };

  /** Commands whose input is a filter, not an object to act on: naming b's endpoint matches nothing (b stays untouched). */
  const filters = new Set(["webhooks.delivery.retry_all"]);

  it("has a case for every registered command", () => {
    expect(commands.map((c) => c.name).filter((n) => !cases[n])).toEqual([]);
  });

  it("never reads or changes another merchant's objects: not found, and the other merchant is untouched", async () => {
    const a = await furnished("Shop A");
    const b = await furnished("Shop B");
    const before = await merchantSnapshot(b.merchantId);
    const leaks: string[] = [];
    for (const command of commands) {
      for (const input of cases[command.name]!(a.ids, b.ids)) {
        const namesB = Object.values(b.ids).some((id) => JSON.stringify(input).includes(id));
        const said = await command(db(), a.owner, input as never).then(
          () => "accepted",
          (err: unknown) => {
            if (!(err instanceof AppError)) throw err;
            return err.code;
          },
        );
        // Naming b's object is answered as if it did not exist: never done, never "already canceled".
        if (namesB && !filters.has(command.name) && said !== "not_found" && said !== "validation_failed") leaks.push(`${command.name} ${JSON.stringify(input)}: ${said}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(await merchantSnapshot(b.merchantId)).toEqual(before);
  });
});
