import { z } from "zod";

/**
 * The demo merchant's two webhook receivers (lib/demo/history.ts), served by
 * the app itself outside production so the demo's story stays true after the
 * seed: the Order system takes every delivery; Accounting is down for its
 * month-end close. A 404 in production, and for any other name.
 */
const receivers = {
  orders: () => Response.json({ received: true }),
  books: () => Response.json({ error: "ledger is locked for the month-end close" }, { status: 500 }),
};
const nameSchema = z.object({ name: z.enum(["orders", "books"]) });

export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const parsed = nameSchema.safeParse(await params);
  if (process.env.NODE_ENV === "production" || !parsed.success) return Response.json({ error: { code: "not_found", message: "Nothing here." } }, { status: 404 });
  await request.arrayBuffer(); // read the delivery, as a receiver would
  return receivers[parsed.data.name]();
}
