import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DeliveryStatus } from "@/lib/format/labels";
import { deliveryStatusLabels } from "@/lib/format/labels";

const tone: Record<DeliveryStatus, BadgeTone> = {
  pending: "blue",
  succeeded: "green",
  failed: "red",
  timeout: "yellow",
  url_not_set: "gray",
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <Badge tone={tone[status]}>{deliveryStatusLabels[status]}</Badge>;
}
