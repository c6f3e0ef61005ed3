import { getDb } from "@/db/client";
import { requireActor } from "@/lib/auth/session";
import { exportInvoicesCsv } from "@/lib/invoices/csv";
import { isoDay } from "@/lib/format/time";
import { parseFilters } from "@/lib/invoices/queries";
import { loggedRoute } from "@/lib/log/route";
import { loggedTextStream } from "@/lib/log/stream";

/** Streams exactly the filtered list as CSV, page by page, so a large export never sits in memory. */
export const GET = loggedRoute("invoices.export", async (req: Request) => {
  const actor = await requireActor();
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const filters = parseFilters(params);
  const db = await getDb();
  const lines = exportInvoicesCsv(db, { merchantId: actor.merchantId, filters });
  const stamp = isoDay(new Date());
  return new Response(loggedTextStream(lines, "invoices.csv"), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="invoices-${filters.status}-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
