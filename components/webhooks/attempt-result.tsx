import type { AttemptSummary } from "@/app/(dashboard)/webhooks/actions";
import { cn } from "@/components/ui/cn";

/** The outcome of an attempt that just ran (test event, retry), shown where the button was. */
export function AttemptResult({ result }: { result: AttemptSummary }) {
  const ok = result.outcome === "succeeded";
  return (
    <div
      data-testid="attempt-result"
      className={cn(
        "rounded-md p-3 text-sm ring-1 ring-inset",
        ok ? "bg-emerald-50 text-emerald-900 ring-emerald-200" : "bg-red-50 text-red-800 ring-red-200",
      )}
    >
      <p className="font-medium">
        {ok ? "Delivered" : result.outcome === "timeout" ? "Timed out" : "Failed"}
        {result.responseStatus ? ` · HTTP ${result.responseStatus}` : ""} · {result.durationMs} ms
      </p>
      {result.error ? <p className="mt-1">{result.error}</p> : null}
      {result.responseBody ? (
        <pre className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-white/70 p-2 font-mono text-xs">{result.responseBody}</pre>
      ) : null}
    </div>
  );
}
