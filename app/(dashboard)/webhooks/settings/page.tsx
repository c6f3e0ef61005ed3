import { Card, CardHeader } from "@/components/ui/card";
import { WebhookSettingsForm } from "@/components/webhooks/settings-form";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { getWebhookPolicy } from "@/lib/webhooks/settings";

export const metadata = { title: "Webhook settings" };

export default async function WebhookSettingsPage() {
  const actor = await requireActor();
  const policy = await getWebhookPolicy(await getDb(), actor.merchantId);
  return (
    <Card>
      <CardHeader title="Delivery settings" description="How failed deliveries are retried, and how long a receiver may take to answer." />
      <WebhookSettingsForm policy={policy} canEdit={can(actor.role, "webhooks.write")} />
    </Card>
  );
}
