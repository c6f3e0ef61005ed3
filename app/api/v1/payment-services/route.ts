import { handler, otherMethods } from "@/lib/api/operation";
import { listPaymentServicesOp } from "@/lib/api/payment-services";

export const dynamic = "force-dynamic";

export const GET = handler(listPaymentServicesOp);
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
