import { getDb } from "@/db/client";
import { loggedRoute } from "@/lib/log/route";
import { handleProviderNotification } from "@/lib/payment-services/notify";

export const dynamic = "force-dynamic";

/** Payment providers tell Settle about money here; decisions live in lib/payment-services/notify. */
export const POST = loggedRoute("providers.notify", async (request: Request, { params }: { params: Promise<{ serviceId: string }> }) => {
  const { serviceId } = await params;
  const { status, body } = await handleProviderNotification(await getDb(), serviceId, request);
  return Response.json(body, { status });
});
