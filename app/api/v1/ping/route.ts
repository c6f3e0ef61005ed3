import { pingOp } from "@/lib/api/openapi";
import { publicHandler } from "@/lib/api/operation";

// Static JSON: the benchmark's baseline for what the framework alone costs per request.
export const dynamic = "force-static";

export const GET = publicHandler({ ...pingOp, run: () => ({ ok: true }) });
