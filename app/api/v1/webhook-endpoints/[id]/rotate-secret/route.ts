import { handler } from "@/lib/api/operation";
import { rotateSecretOp } from "@/lib/api/webhooks";

export const dynamic = "force-dynamic";

export const POST = handler(rotateSecretOp);
