import { getDb } from "@/db/client";
import { toErrorBody } from "@/lib/errors";
import { handleProviderNotification } from "@/lib/payment-links/notify";

export const dynamic = "force-dynamic";

/** Payment providers tell Settle about money here; decisions live in lib/payment-links/notify. */
export async function POST(request: Request, { params }: { params: Promise<{ serviceId: string }> }) {
  const { serviceId } = await params;
  try {
    const { status, body } = await handleProviderNotification(await getDb(), serviceId, request);
    return Response.json(body, { status });
  } catch (err) {
    const { status, body } = toErrorBody(err);
    return Response.json(body, { status });
  }
}
