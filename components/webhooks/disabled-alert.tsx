import Link from "next/link";
import { formatDateTime } from "@/lib/format/time";
import type { DisabledEndpoint } from "@/lib/webhooks/endpoints";

/** The alert for endpoints the engine turned off after 5 days of nothing but failures. */
export async function DisabledEndpointsAlert({ data, endpointId }: { data: Promise<DisabledEndpoint[]>; endpointId?: string }) {
  const all = await data;
  const list = endpointId ? all.filter((e) => e.id === endpointId) : all;
  if (!list.length) return null;
  return (
    <div role="alert" className="mb-6 rounded-md bg-red-50 dark:bg-red-950/40 p-4 text-sm text-red-800 dark:text-red-300 ring-1 ring-inset ring-red-200 dark:ring-red-900">
      <p className="font-semibold">
        {list.length === 1 ? "A webhook endpoint was disabled" : `${list.length} webhook endpoints were disabled`} after 5 days of failed deliveries
      </p>
      <ul className="mt-1 space-y-0.5">
        {list.map((e) => (
          <li key={e.id}>
            <Link href={`/webhooks/${e.id}`} className="font-mono underline">
              {e.url}
            </Link>{" "}
            — since {formatDateTime(e.autoDisabledAt!)}. Fix the receiver, then enable it again.
          </li>
        ))}
      </ul>
    </div>
  );
}
