import { MerchantForm } from "@/components/settings/merchant-form";
import { Card, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { getMerchant } from "@/lib/merchants";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  const merchant = await getMerchant(await getDb(), actor.accountId);
  return (
    <Card>
      <CardHeader title="Business" description={`Merchant id ${merchant.id}`} />
      <MerchantForm name={merchant.name} canEdit={can(actor.role, "merchant.manage")} />
    </Card>
  );
}
