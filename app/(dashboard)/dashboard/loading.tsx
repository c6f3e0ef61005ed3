import { MoneyCardsSkeleton, PanelSkeleton, StatusCountsSkeleton, TrendsSkeleton } from "@/components/dashboard/skeletons";
import { Skeleton } from "@/components/ui/skeleton";

/** While the page's first bytes are on their way (a navigation from another page). */
export default function DashboardLoading() {
  return (
    <>
      <div className="mb-6">
        <Skeleton className="h-8 w-56" />
        <Skeleton className="mt-2 h-4 w-72" />
      </div>
      <div className="space-y-6">
        <MoneyCardsSkeleton />
        <StatusCountsSkeleton />
        <TrendsSkeleton />
        <div className="grid gap-4 lg:grid-cols-2">
          <PanelSkeleton label="Loading webhook health" />
          <PanelSkeleton label="Loading recent activity" rows={6} />
        </div>
      </div>
    </>
  );
}
