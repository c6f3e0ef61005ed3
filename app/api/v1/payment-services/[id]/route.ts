import { handler, otherMethods } from "@/lib/api/operation";
import { getPaymentServiceOp, updatePaymentServiceOp } from "@/lib/api/payment-services";

export const dynamic = "force-dynamic";

export const GET = handler(getPaymentServiceOp);
export const PATCH = handler(updatePaymentServiceOp);
export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
