import { createInvoiceOp, listInvoicesOp } from "@/lib/api/invoices";
import { handler } from "@/lib/api/operation";

export const dynamic = "force-dynamic";

export const GET = handler(listInvoicesOp);
export const POST = handler(createInvoiceOp);
