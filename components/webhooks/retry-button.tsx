"use client";

import { retryDeliveryAction } from "@/app/(dashboard)/webhooks/actions";
import { AttemptButton } from "./attempt-button";

export function RetryDelivery({ deliveryId }: { deliveryId: string }) {
  return <AttemptButton label="Retry now" pendingLabel="Retrying…" run={() => retryDeliveryAction(null, { id: deliveryId })} />;
}
