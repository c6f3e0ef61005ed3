import { handler, otherMethods } from "@/lib/api/operation";
import { retryDeliveryOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const POST = handler(retryDeliveryOp);
export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
