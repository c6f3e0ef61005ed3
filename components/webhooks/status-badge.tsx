import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DeliveryStatus } from "@/db/schema";

const look: Record<DeliveryStatus, { tone: BadgeTone; label: string }> = {
  pending: { tone: "blue", label: "Pending" },
  succeeded: { tone: "green", label: "Succeeded" },
  failed: { tone: "red", label: "Failed" },
  timeout: { tone: "yellow", label: "Timeout" },
  url_not_set: { tone: "gray", label: "URL not set" },
};

export const statusLabel = (s: DeliveryStatus) => look[s].label;

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <Badge tone={look[status].tone}>{look[status].label}</Badge>;
}
