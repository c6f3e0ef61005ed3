import { handler, otherMethods } from "@/lib/api/operation";
import { getPaymentOp } from "@/lib/api/payments";

export const dynamic = "force-dynamic";

export const GET = handler(getPaymentOp);
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
