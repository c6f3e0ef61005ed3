import { getDb } from "@/db/client";
import { resolveLocale } from "@/lib/checkout/locale";
import { publicUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isLinkCode } from "@/lib/payment-links/code";
import { getLinkByCode } from "@/lib/payment-links/queries";
import { flowsOf, findServiceById } from "@/lib/payment-services/services";
import { startPayment } from "@/lib/payment-services/sessions";

export const dynamic = "force-dynamic";

/**
 * GET /pay/{code}/start?method={serviceId}.{flow}: the customer chose a
 * gateway that opens its own session (its hosted page, its QR). Settle asks it
 * once (a session is reused while it asks what is still due), then sends the
 * customer on: to the gateway's page, or back to the checkout showing its QR.
 * Anything off (an unknown method, a closed link) goes back to the checkout.
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const code = (await params).code.toUpperCase();
  const query = new URL(request.url).searchParams;
  const origin = publicUrl();
  const locale = resolveLocale(query.get("lang"), request.headers.get("accept-language"));
  const method = query.get("method") ?? "";
  const back = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams({ lang: locale, ...(method ? { method } : {}), ...extra });
    return Response.redirect(`${origin}/pay/${code}?${q}`, 303);
  };
  if (!isLinkCode(code)) return new Response("Not found", { status: 404 });
  const db = await getDb();
  const found = await getLinkByCode(db, code);
  if (!found) return new Response("Not found", { status: 404 });
  const { link, merchantName } = found;
  const [serviceId = "", flow = ""] = method.split(".");
  const service = link.serviceIds.includes(serviceId) ? await findServiceById(db, serviceId) : undefined;
  const due = link.amount - link.paidAmount;
  if (!service?.enabled || link.status !== "active" || due <= 0) return back();
  const flows = flowsOf(service, link.currency);
  if (!flows.includes(flow as never)) return back();
  try {
    const instruction = await startPayment(db, { link, service, flow: flow as (typeof flows)[number], origin, merchantName, locale });
    // A QR is shown on the checkout, which now finds this session; a hosted page is where the customer goes.
    return instruction.kind === "redirect" ? Response.redirect(instruction.url, 303) : back();
  } catch (err) {
    if (err instanceof AppError && err.code === "provider_unavailable") return back({ unavailable: "1" });
    throw err;
  }
}
