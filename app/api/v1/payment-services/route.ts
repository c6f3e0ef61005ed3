import { handler, otherMethods } from "@/lib/api/operation";
import { createPaymentServiceOp, listPaymentServicesOp } from "@/lib/api/payment-services";

export const dynamic = "force-dynamic";

export const GET = handler(listPaymentServicesOp);
export const POST = handler(createPaymentServiceOp);
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
