import { handler, otherMethods } from "@/lib/api/operation";
import { getRefundOp } from "@/lib/api/refunds";

export const dynamic = "force-dynamic";

export const GET = handler(getRefundOp);
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
