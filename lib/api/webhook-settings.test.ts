import { beforeAll, describe, expect, it } from "vitest";
import * as settingsRoute from "@/app/api/v1/webhook-settings/route";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { getWebhookPolicy, updateWebhookPolicy } from "@/lib/webhooks/settings";
import { call, type Credentials, databaseSnapshot, makeApiKey, useApiTestDb } from "@/test/api";
import { makeMerchant } from "@/test/factories";

const { db } = useApiTestDb();
let owner: Actor;
let merchantId: string;
const keys: Record<"full" | "support" | "viewer" | "other", Credentials> = {} as never;

beforeAll(async () => {
  const m = await makeMerchant(db(), "Hooks Store");
  owner = m.ownerActor;
  merchantId = m.merchant.id;
  keys.full = await makeApiKey(db(), owner, "Order system");
  keys.support = await makeApiKey(db(), owner, "Helpdesk", "support");
  keys.viewer = await makeApiKey(db(), owner, "Reporting", "viewer");
  keys.other = await makeApiKey(db(), (await makeMerchant(db(), "Other Store")).ownerActor);
});

const get = (key = keys.full) => call(settingsRoute.GET, "/webhook-settings", key);
const patch = (body: unknown, key = keys.full) => call(settingsRoute.PATCH, "/webhook-settings", key, { body });

describe("webhook delivery settings through the API", () => {
  it("reads the defaults, changes only the fields sent, and the dashboard's settings follow", async () => {
    const defaults = await get();
    expect(defaults.status).toBe(200);
    expect(defaults.json).toEqual({ livemode: false, auto_retry: true, retry_schedule_minutes: [5, 10, 15], timeout_seconds: 10 });

    const changed = await patch({ retry_schedule_minutes: [1, 2.5, 60], timeout_seconds: 20 });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toEqual({ livemode: false, auto_retry: true, retry_schedule_minutes: [1, 2.5, 60], timeout_seconds: 20 });
    expect(settingsRoute.PATCH.operation.response.safeParse(changed.json).success).toBe(true);
    expect(await getWebhookPolicy(db(), merchantId)).toEqual({ autoRetry: true, retrySchedule: [60, 150, 3600], timeoutMs: 20_000 });

    const off = await patch({ auto_retry: false });
    expect(off.json).toEqual({ livemode: false, auto_retry: false, retry_schedule_minutes: [1, 2.5, 60], timeout_seconds: 20 });
    expect((await get()).json).toEqual(off.json);
    // Another merchant's settings are its own.
    expect((await get(keys.other)).json).toEqual(defaults.json);
  });

  it("refuses what the settings form refuses, with its messages under the API's names, and writes nothing", async () => {
    const before = await databaseSnapshot(db());
    const res = await patch({ retry_schedule_minutes: [0, 20_000], timeout_seconds: 1.5 });
    expect(res.status, res.text).toBe(422);
    // The same values through the dashboard's command, as the settings form sends them.
    const form = await updateWebhookPolicy(db(), owner, { autoRetry: "on", retryMinutes: "0, 20000", timeoutSeconds: "1.5" }).then(
      () => null,
      (err: AppError) => err.fields!,
    );
    expect(res.json.error.fields).toEqual({
      "retry_schedule_minutes.0": form!["retryMinutes.0"],
      "retry_schedule_minutes.1": form!["retryMinutes.1"],
      timeout_seconds: form!.timeoutSeconds,
    });
    expect(res.json.error.fields["retry_schedule_minutes.1"]).toEqual(["A step can be at most 7 days (10080 minutes)."]);

    for (const [body, fields] of [
      [{ retry_schedule_minutes: [] }, { retry_schedule_minutes: ["Keep at least one retry step."] }],
      [{ retry_schedule_minutes: Array(21).fill(5) }, { retry_schedule_minutes: ["Use at most 20 retry steps."] }],
      [{ timeout_seconds: 31 }, { timeout_seconds: ["The timeout can be at most 30 seconds."] }],
      [{ timeout_seconds: 0 }, { timeout_seconds: ["The timeout must be at least 1 second."] }],
      [{ auto_retry: "yes" }, { auto_retry: ["Invalid input: expected boolean, received string"] }],
      [{ retry_schedule_minutes: "5, 10" }, { retry_schedule_minutes: ["Invalid input: expected array, received string"] }],
      [{ retry_minutes: [5] }, { retry_minutes: ["Unknown field: leave it out."] }],
    ] as const) {
      const refused = await patch(body);
      expect([refused.status, refused.json.error.fields], JSON.stringify(body)).toEqual([422, fields]);
    }
    expect(await databaseSnapshot(db())).toEqual(before);
  });

  it("lets every key read them and only a full-access key change them", async () => {
    const before = await databaseSnapshot(db());
    for (const key of [keys.viewer, keys.support]) {
      expect((await get(key)).status).toBe(200);
      const refused = await patch({ auto_retry: true }, key);
      expect([refused.status, refused.json.error.code]).toEqual([403, "forbidden"]);
    }
    expect((await patch({ auto_retry: true }, keys.viewer)).json.error.message).toBe("This API key's access (read only) does not allow this.");
    expect(await databaseSnapshot(db())).toEqual(before);
  });
});
