import { handler, otherMethods } from "@/lib/api/operation";
import { createPaymentOp, listPaymentsOp } from "@/lib/api/payments";

export const dynamic = "force-dynamic";

export const GET = handler(listPaymentsOp);
export const POST = handler(createPaymentOp);
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
