import { getDb } from "@/db/client";
import { notifyEndpoint } from "@/lib/payment-services/notify";

export const dynamic = "force-dynamic";

/** Payment providers tell Settle about money here; decisions live in lib/payment-services/notify. */
export const POST = notifyEndpoint(getDb);
