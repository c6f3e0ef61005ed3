import { handler, otherMethods } from "@/lib/api/operation";
import { testEndpointOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const POST = handler(testEndpointOp);
export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
