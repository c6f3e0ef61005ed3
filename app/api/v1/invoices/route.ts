import { createInvoiceOp, listInvoicesOp } from "@/lib/api/invoices";
import { handler, otherMethods } from "@/lib/api/operation";

export const dynamic = "force-dynamic";

export const GET = handler(listInvoicesOp);
export const POST = handler(createInvoiceOp);
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
