import { handler, otherMethods } from "@/lib/api/operation";
import { getDeliveryOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = handler(getDeliveryOp);
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
