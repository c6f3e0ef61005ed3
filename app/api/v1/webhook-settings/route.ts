import { handler, otherMethods } from "@/lib/api/operation";
import { getWebhookSettingsOp, updateWebhookSettingsOp } from "@/lib/api/webhook-settings";

export const dynamic = "force-dynamic";

export const GET = handler(getWebhookSettingsOp);
export const PATCH = handler(updateWebhookSettingsOp);
export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
