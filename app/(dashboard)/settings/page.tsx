import { MerchantForm } from "@/components/settings/merchant-form";
import { TestDataPanel } from "@/components/settings/test-data";
import { Card, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { getMerchant } from "@/lib/merchants";
import { latestTestDataDeletion } from "@/lib/test-data/deletions";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  const db = await getDb();
  const [merchant, latest] = await Promise.all([getMerchant(db, actor.accountId), latestTestDataDeletion(db, { accountId: actor.accountId })]);
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Business" description={`Merchant id ${merchant.id}`} />
        <MerchantForm name={merchant.name} canEdit={can(actor.role, "merchant.manage")} />
      </Card>
      <Card>
        <CardHeader title="Test data" />
        <TestDataPanel canDelete={can(actor.role, "test_data.delete")} latest={latest} />
      </Card>
    </div>
  );
}
