import { handler, otherMethods } from "@/lib/api/operation";
import { listRefundsOp } from "@/lib/api/refunds";

export const dynamic = "force-dynamic";

export const GET = handler(listRefundsOp);
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
