import type { AttemptSummary } from "@/app/(dashboard)/webhooks/actions";
import { cn } from "@/components/ui/cn";
import { CodeBlock } from "@/components/ui/code-block";
import { prettyBody } from "@/lib/format/json-body";

/** The outcome of an attempt that just ran (test event, retry), shown where the button was. */
export function AttemptResult({ result }: { result: AttemptSummary }) {
  const ok = result.outcome === "succeeded";
  return (
    <div
      data-testid="attempt-result"
      className={cn(
        "rounded-md p-3 text-sm ring-1 ring-inset",
        ok ? "bg-emerald-50 dark:bg-emerald-950/40 text-emerald-900 dark:text-emerald-200 ring-emerald-200 dark:ring-emerald-900" : "bg-red-50 dark:bg-red-950/40 text-red-800 dark:text-red-300 ring-red-200 dark:ring-red-900",
      )}
    >
      <p className="font-medium">
        {ok ? "Delivered" : result.outcome === "timeout" ? "Timed out" : "Failed"}
        {result.responseStatus ? ` · HTTP ${result.responseStatus}` : ""} · {result.durationMs} ms
      </p>
      {result.error ? <p className="mt-1">{result.error}</p> : null}
      {result.responseBody ? (
        <CodeBlock label="Response body" className="mt-2 max-h-40 bg-white/70 dark:bg-slate-950/50">
          {prettyBody(result.responseBody)}
        </CodeBlock>
      ) : null}
    </div>
  );
}
