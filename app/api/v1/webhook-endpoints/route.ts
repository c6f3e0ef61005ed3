import { handler, otherMethods } from "@/lib/api/operation";
import { createEndpointOp, listEndpointsOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = handler(listEndpointsOp);
export const POST = handler(createEndpointOp);
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
