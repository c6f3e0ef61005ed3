import { voidInvoiceOp } from "@/lib/api/invoices";
import { handler } from "@/lib/api/operation";

export const dynamic = "force-dynamic";

export const POST = handler(voidInvoiceOp);
