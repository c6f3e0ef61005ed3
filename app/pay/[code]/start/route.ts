import { getDb } from "@/db/client";
import { resolveLocale } from "@/lib/checkout/locale";
import { publicUrl } from "@/lib/env";
import { isLinkCode } from "@/lib/payment-links/code";
import { startCheckoutPayment } from "@/lib/payment-services/sessions";

export const dynamic = "force-dynamic";

/**
 * GET /pay/{code}/start?method={serviceId}.{flow}: the customer chose a
 * gateway that opens its own session (its hosted page, its QR). The decision is
 * `startCheckoutPayment`'s; this answers it: to the gateway's page, or back to
 * the checkout (saying the gateway did not answer, when it did not).
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const code = (await params).code.toUpperCase();
  if (!isLinkCode(code)) return new Response("Not found", { status: 404 });
  const query = new URL(request.url).searchParams;
  const origin = publicUrl();
  const locale = resolveLocale(query.get("lang"), request.headers.get("accept-language"));
  const method = query.get("method") ?? "";
  const next = await startCheckoutPayment(await getDb(), { code, method, origin, locale });
  if (next.to === "not_found") return new Response("Not found", { status: 404 });
  if (next.to === "gateway") return Response.redirect(next.url, 303);
  const back = new URLSearchParams({ lang: locale, ...(method ? { method } : {}), ...(next.unavailable ? { unavailable: "1" } : {}) });
  return Response.redirect(`${origin}/pay/${code}?${back}`, 303);
}
