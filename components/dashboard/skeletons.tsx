import { Card } from "@/components/ui/card";
import { Loading, Skeleton } from "@/components/ui/skeleton";

export function MoneyCardsSkeleton() {
  return (
    <Loading label="Loading money figures" className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
      {[0, 1, 2, 3].map((i) => (
        <Card key={i} className="p-4 sm:p-5">
          <Skeleton className="h-4 w-24" />
          <Skeleton className="mt-3 h-7 w-32" />
        </Card>
      ))}
    </Loading>
  );
}

export function StatusCountsSkeleton() {
  return (
    <Loading label="Loading invoice counts" className="grid grid-cols-3 gap-2 sm:grid-cols-5 sm:gap-3">
      {[0, 1, 2, 3, 4].map((i) => (
        <Card key={i} className="px-3 py-2.5 sm:px-4 sm:py-3">
          <Skeleton className="h-4 w-16" />
          <Skeleton className="mt-2 h-6 w-10" />
        </Card>
      ))}
    </Loading>
  );
}

export function TrendsSkeleton() {
  return (
    <Loading label="Loading charts" className="grid gap-4 lg:grid-cols-2">
      {[0, 1].map((i) => (
        <Card key={i} className="p-5">
          <Skeleton className="h-5 w-48" />
          <Skeleton className="mt-2 h-4 w-32" />
          <Skeleton className="mt-6 h-52 w-full" />
        </Card>
      ))}
    </Loading>
  );
}

export function PanelSkeleton({ label, rows = 4 }: { label: string; rows?: number }) {
  return (
    <Loading label={label}>
      <Card className="p-5">
        <Skeleton className="h-5 w-40" />
        <div className="mt-5 space-y-3">
          {Array.from({ length: rows }, (_, i) => (
            <Skeleton key={i} className="h-4 w-full" />
          ))}
        </div>
      </Card>
    </Loading>
  );
}
