import { getDb } from "@/db/client";
import { requireActor } from "@/lib/auth/session";
import { exportInvoicesCsv } from "@/lib/invoices/queries";
import { parseFilters } from "@/lib/invoices/queries";
import { loggedRoute } from "@/lib/log/route";

/** Streams exactly the filtered list as CSV, page by page, so a large export never sits in memory. */
export const GET = loggedRoute("invoices.export", async (req: Request) => {
  const actor = await requireActor();
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const filters = parseFilters(params);
  const db = await getDb();
  const lines = exportInvoicesCsv(db, { merchantId: actor.merchantId, filters });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="invoices-${filters.status}-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
