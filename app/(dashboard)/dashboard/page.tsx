import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/card";
import { DisabledEndpointsAlert } from "@/components/webhooks/disabled-alert";
import { getDb } from "@/db/client";
import { getViewer } from "@/lib/auth/session";

export const metadata = { title: "Dashboard" };

const upcoming = [
  { title: "Money collected", body: "Collected today, this week and this month, and what is still outstanding, per currency." },
  { title: "Invoices by status", body: "Unpaid, partially paid, paid and overpaid invoices at a glance, each a link to the list." },
  { title: "Webhook health", body: "Delivery success rate over 24 hours, failing endpoints and deliveries waiting for a retry." },
];

export default async function DashboardPage() {
  const viewer = await getViewer();
  return (
    <>
      <PageHeader title={`Welcome, ${viewer?.user.name.split(" ")[0] ?? ""}`} description={`${viewer?.current?.merchantName} overview`} />
      {viewer?.current ? <DisabledEndpointsAlert db={await getDb()} merchantId={viewer.current.merchantId} /> : null}
      <div className="grid gap-4 md:grid-cols-3">
        {upcoming.map((u) => (
          <Card key={u.title} className="p-5">
            <h2 className="text-sm font-semibold text-slate-900">{u.title}</h2>
            <p className="mt-2 text-sm text-slate-500">{u.body}</p>
            <p className="mt-4 text-xs font-medium uppercase tracking-wide text-slate-400">Appears as data arrives</p>
          </Card>
        ))}
      </div>
      <Card className="mt-6 p-5">
        <h2 className="text-sm font-semibold text-slate-900">Get started</h2>
        <p className="mt-2 text-sm text-slate-600">
          Invite your team in <Link className="font-medium text-brand-700 hover:underline" href="/settings/team">Settings → Team</Link>.
        </p>
      </Card>
    </>
  );
}
