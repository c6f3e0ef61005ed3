import { handler } from "@/lib/api/operation";
import { testEndpointOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const POST = handler(testEndpointOp);
