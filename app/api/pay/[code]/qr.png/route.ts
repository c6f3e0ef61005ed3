import { z } from "zod";
import { getDb } from "@/db/client";
import { resolveLocale } from "@/lib/checkout/locale";
import { qrMethodFor, qrPng } from "@/lib/checkout/qr-image";
import { loadCheckout } from "@/lib/checkout/view";
import { publicUrl } from "@/lib/env";
import { loggedRoute } from "@/lib/log/route";
import { isLinkCode } from "@/lib/payment-links/code";

export const dynamic = "force-dynamic";

const query = z.object({ method: z.string().max(200).nullable(), lang: z.string().max(35).nullable() });

/**
 * "Save QR image": the open checkout's QR as a PNG download, for paying from a
 * banking app on the same phone (scan from the gallery). Public like the page;
 * 404 once the link takes no more payments or offers no QR.
 */
export const GET = loggedRoute(
  "pay.qr",
  async (request: Request, { params }: { params: Promise<{ code: string }> }) => {
    const code = (await params).code.toUpperCase();
    const notFound = Response.json({ error: { code: "not_found", message: "No QR code to pay with this code." } }, { status: 404 });
    const url = new URL(request.url);
    const parsed = query.safeParse({ method: url.searchParams.get("method"), lang: url.searchParams.get("lang") });
    if (!isLinkCode(code) || !parsed.success) return notFound;
    const locale = resolveLocale(parsed.data.lang, request.headers.get("accept-language"));
    const view = await loadCheckout(await getDb(), code, { origin: publicUrl(), locale });
    const method = view ? qrMethodFor(view.methods, parsed.data.method) : null;
    if (!view || !method) return notFound;
    const png = await qrPng(method.instruction.payload);
    return new Response(new Uint8Array(png), {
      headers: {
        "content-type": "image/png",
        "content-disposition": `attachment; filename="pay-${view.code}.png"`,
        "cache-control": "no-store",
      },
    });
  },
  { quiet: true },
);
