import { handler, otherMethods } from "@/lib/api/operation";
import { createRefundOp } from "@/lib/api/refunds";

export const dynamic = "force-dynamic";

export const POST = handler(createRefundOp);
export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
