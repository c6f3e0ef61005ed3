import { handler, otherMethods } from "@/lib/api/operation";
import { listDeliveriesOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = handler(listDeliveriesOp);
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
