import { voidInvoiceOp } from "@/lib/api/invoices";
import { handler, otherMethods } from "@/lib/api/operation";

export const dynamic = "force-dynamic";

export const POST = handler(voidInvoiceOp);
export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
