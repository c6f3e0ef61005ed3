import { handler, otherMethods } from "@/lib/api/operation";
import { requestInvoicePaymentOp } from "@/lib/api/payment-services";

export const dynamic = "force-dynamic";

export const POST = handler(requestInvoicePaymentOp);
export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
