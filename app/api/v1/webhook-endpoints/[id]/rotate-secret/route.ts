import { handler, otherMethods } from "@/lib/api/operation";
import { rotateSecretOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const POST = handler(rotateSecretOp);
export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
