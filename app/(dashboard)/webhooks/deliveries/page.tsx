import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { eventTypes } from "@/lib/invoices/events";
import { decodeCursor, deliveryPageJson, listDeliveries } from "@/lib/webhooks/deliveries";
import { endpointOptions } from "@/lib/webhooks/endpoints";
import { filterFromSearchParams } from "@/lib/webhooks/filters";

export const metadata = { title: "Webhook deliveries" };

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const actor = await requireActor();
  const db = await getDb();
  const filter = filterFromSearchParams(params);
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;
  const [page, endpoints] = await Promise.all([
    listDeliveries(db, { merchantId: actor.merchantId, filter, after: decodeCursor(cursor) }),
    endpointOptions(db, actor.merchantId),
  ]);
  return (
    <DeliveryLog
      filter={filter}
      cursor={cursor}
      initial={deliveryPageJson(page)}
      endpoints={endpoints}
      eventTypes={eventTypes}
      canRetry={can(actor.role, "webhooks.retry")}
    />
  );
}
