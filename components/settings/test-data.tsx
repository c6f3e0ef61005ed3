"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { deleteTestDataAction } from "@/app/(dashboard)/settings/actions";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { QueryProvider } from "@/components/webhooks/query-provider";
import { formatDateTime } from "@/lib/format/time";
import type { TestDataDeletionProgress } from "@/lib/test-data/deletions";

const PATH = "/api/dashboard/test-data/deletion";
const KEY = ["test-data-deletion"];

/** What each step of a deletion (lib/test-data/purge.ts) is deleting, in words. */
const stepLabels: Record<string, string> = {
  webhook_deliveries: "webhook deliveries",
  webhook_retry_jobs: "bulk retries",
  events: "events",
  provider_notifications: "provider notifications",
  api_payment_requests: "payment requests",
  api_idempotency_keys: "idempotency keys",
  payments: "payments",
  payment_links: "payment links",
  invoices: "invoices",
  dashboard_daily: "dashboard figures",
  dashboard_outstanding: "dashboard figures",
};

async function getProgress(): Promise<TestDataDeletionProgress | null> {
  const res = await fetch(PATH, { cache: "no-store" });
  if (!res.ok) throw new Error(`${PATH}: status ${res.status}`);
  return (await res.json()) as TestDataDeletionProgress | null;
}

const rows = (n: number) => `${n.toLocaleString("en")} ${n === 1 ? "row" : "rows"}`;

/**
 * Settings → General: "Delete all test data" for the owner, and the latest
 * deletion's progress for everyone, refreshed every second while it runs.
 */
export function TestDataPanel(props: { canDelete: boolean; latest: TestDataDeletionProgress | null }) {
  return (
    <QueryProvider>
      <Panel {...props} />
    </QueryProvider>
  );
}

function Panel({ canDelete, latest }: { canDelete: boolean; latest: TestDataDeletionProgress | null }) {
  const client = useQueryClient();
  const router = useRouter();
  const { data: job } = useQuery({
    queryKey: KEY,
    queryFn: getProgress,
    initialData: latest,
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1000 : false),
  });
  const running = job?.status === "running";
  // Pages rendered while test data existed (counts, the shell) are stale once it is gone.
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current && !running) router.refresh();
    wasRunning.current = running;
  }, [running, router]);

  return (
    <div className="space-y-4 p-5">
      <p className="max-w-prose text-sm text-body">
        Deletes every invoice, payment, payment link, event and webhook delivery made in test mode, and starts test
        invoice numbers again at 1. Live data is never touched; payment services, webhook endpoints and settings, API
        keys, the team and the audit log stay.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <ConfirmButton
          variant="danger"
          disabled={!canDelete || running}
          confirm={{
            title: "Delete all test data?",
            body: "Every invoice, payment, payment link, event and webhook delivery in test mode is deleted, in the background. This cannot be undone. Live data is not touched.",
            confirmLabel: "Delete test data",
          }}
          run={() => deleteTestDataAction(null, {})}
          success="Deleting test data"
          onDone={(started) => client.setQueryData(KEY, started)}
        >
          Delete all test data
        </ConfirmButton>
        {!canDelete ? <p className="text-sm text-subtle">Only the owner can delete test data.</p> : null}
      </div>
      {job ? <Progress job={job} /> : null}
    </div>
  );
}

function Progress({ job }: { job: TestDataDeletionProgress }) {
  const done = Math.min(job.deleted, job.total);
  const percent = job.status === "finished" ? 100 : job.total ? Math.round((done / job.total) * 100) : 0;
  const said =
    job.status === "running"
      ? `Deleting test data: ${done.toLocaleString("en")} of ${rows(job.total)}${job.step ? ` (${stepLabels[job.step] ?? job.step})` : ""}…`
      : job.status === "finished"
        ? `Deleted ${rows(job.deleted)} of test data on ${formatDateTime(job.finishedAt ?? job.createdAt)}.`
        : `The deletion stopped after ${rows(job.deleted)}. ${job.error ?? ""}`;
  return (
    <div className="flex max-w-xl flex-col gap-2" data-testid="test-data-progress">
      <div
        role="progressbar"
        aria-label="Test data deletion progress"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.status === "finished" ? job.total : done}
        className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div className={job.status === "failed" ? "h-full bg-red-600" : "h-full bg-brand-600 transition-all"} style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-muted" role="status">
        {said}
      </p>
    </div>
  );
}
