import { getInvoiceOp } from "@/lib/api/invoices";
import { handler, otherMethods } from "@/lib/api/operation";

export const dynamic = "force-dynamic";

export const GET = handler(getInvoiceOp);
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
