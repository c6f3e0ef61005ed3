import { handler } from "@/lib/api/operation";
import { listDeliveriesOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const GET = handler(listDeliveriesOp);
