import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { actionKindOf } from "@/lib/actions";
import { operations } from "@/lib/api/operations";
import { type Actor, apiKeyRoles, can, roles } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { useTestDb } from "@/test/db";
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
const publicActions = ["signupAction", "acceptInviteAction", "switchMerchantAction", "sandboxAction"];

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
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        const kind = actionKindOf(value);
        const where = `${path.relative(process.cwd(), file)}: ${name}`;
        if (kind === "public") publics.push(name);
        else if (!kind || !registered.has(kind)) unwrapped.push(where);
      }
    }
    expect(unwrapped, "server actions that are not a registered command behind commandAction").toEqual([]);
    expect(publics.sort()).toEqual([...publicActions].sort());
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
        const actor: Actor = { userId: shop.owner.id, merchantId: shop.merchant.id, role, apiKeyId: `key_${role}` };
        const refused = (await outcome(command, actor)) === "forbidden";
        if (refused === can(role, command.permission)) wrong.push(`${command.name} with ${role} access: ${refused ? "refused" : "allowed"}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
