import { handler, otherMethods } from "@/lib/api/operation";
import { deleteEndpointOp, getEndpointOp, updateEndpointOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = handler(getEndpointOp);
export const PATCH = handler(updateEndpointOp);
export const DELETE = handler(deleteEndpointOp);
export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
