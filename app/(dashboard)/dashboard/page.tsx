import { Suspense } from "react";
import { FirstSteps } from "@/components/dashboard/first-steps";
import { MoneyCards } from "@/components/dashboard/money-cards";
import { RecentActivity } from "@/components/dashboard/recent-activity";
import { MoneyCardsSkeleton, PanelSkeleton, StatusCountsSkeleton, TrendsSkeleton } from "@/components/dashboard/skeletons";
import { StatusCounts } from "@/components/dashboard/status-counts";
import { PeriodSwitcher, Trends } from "@/components/dashboard/trends";
import { WebhookHealthCard } from "@/components/dashboard/webhook-health";
import { firstParam } from "@/components/invoices/filters";
import { PageHeader } from "@/components/ui/card";
import { DisabledEndpointsAlert } from "@/components/webhooks/disabled-alert";
import { getDb } from "@/db/client";
import { requireActor, getViewer } from "@/lib/auth/session";
import { dashboardParamsSchema, utcDay } from "@/lib/dashboard/period";
import { dailySeries, moneySummary, recentActivity, setupState, webhookHealth } from "@/lib/dashboard/queries";
import { countInvoicesByStatus } from "@/lib/invoices/queries";
import { ZONE_LABEL } from "@/lib/format/time";
import { autoDisabledEndpoints } from "@/lib/webhooks/endpoints";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = dashboardParamsSchema.parse({ period: firstParam(raw.period), currency: firstParam(raw.currency) });
  const [viewer, actor, db] = await Promise.all([getViewer(), requireActor(), getDb()]);
  const { merchantId } = actor;
  const today = utcDay(new Date());

  // Each section streams in on its own: its query starts now, and a slow one never holds the others back.
  return (
    <>
      <PageHeader title={`Welcome, ${viewer?.user.name.split(" ")[0] ?? ""}`} description={`${viewer?.current?.merchantName} overview · days end at midnight ${ZONE_LABEL}`} />
      <DisabledEndpointsAlert data={autoDisabledEndpoints(db, merchantId)} />
      <div className="space-y-6">
        <Suspense fallback={null}>
          <FirstSteps data={setupState(db, { merchantId })} livemode={actor.livemode} />
        </Suspense>
        <Suspense fallback={<MoneyCardsSkeleton />}>
          <MoneyCards data={moneySummary(db, { merchantId, today })} />
        </Suspense>
        <Suspense fallback={<StatusCountsSkeleton />}>
          <StatusCounts data={countInvoicesByStatus(db, { merchantId })} />
        </Suspense>
        <section aria-labelledby="trends-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="trends-heading" className="text-base font-semibold text-strong">
              Trends
            </h2>
            <PeriodSwitcher params={params} />
          </div>
          <Suspense key={`${params.period}-${params.currency ?? ""}`} fallback={<TrendsSkeleton />}>
            <Trends data={dailySeries(db, { merchantId, today, period: params.period })} params={params} />
          </Suspense>
        </section>
        <div className="grid gap-4 lg:grid-cols-2">
          <Suspense fallback={<PanelSkeleton label="Loading webhook health" />}>
            <WebhookHealthCard data={webhookHealth(db, { merchantId })} />
          </Suspense>
          <Suspense fallback={<PanelSkeleton label="Loading recent activity" rows={6} />}>
            <RecentActivity data={recentActivity(db, { merchantId, limit: 8 })} />
          </Suspense>
        </div>
      </div>
    </>
  );
}
