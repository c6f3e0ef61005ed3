import { handler } from "@/lib/api/operation";
import { retryDeliveryOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const POST = handler(retryDeliveryOp);
