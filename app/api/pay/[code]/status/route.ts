import { getDb } from "@/db/client";
import { resolveLocale } from "@/lib/checkout/locale";
import { statusByCode } from "@/lib/checkout/view";
import { loggedRoute } from "@/lib/log/route";
import { isLinkCode } from "@/lib/payment-links/code";

export const dynamic = "force-dynamic";

/** Public and tiny: what the open checkout polls. The code is the only key; nothing private is returned. */
export const GET = loggedRoute(
  "pay.status",
  async (request: Request, { params }: { params: Promise<{ code: string }> }) => {
    const { code } = await params;
    const notFound = Response.json({ error: { code: "not_found", message: "No payment link with this code." } }, { status: 404 });
    if (!isLinkCode(code)) return notFound;
    const url = new URL(request.url);
    const locale = resolveLocale(url.searchParams.get("lang"), request.headers.get("accept-language"));
    const status = await statusByCode(await getDb(), code, locale);
    if (!status) return notFound;
    return Response.json(status, { headers: { "cache-control": "no-store" } });
  },
  { quiet: true },
);
