import { postFloor } from "@/lib/api/floor";
import { pingOp } from "@/lib/api/openapi";
import { otherMethods, publicHandler } from "@/lib/api/operation";

// Static JSON answered by the handler on every request: the framework's own cost for an
// API route, the benchmark's baseline. (force-static measured slower here: it goes through
// Next's response cache, so it would flatter the ratios.)
export const dynamic = "force-dynamic";

const others = otherMethods("GET");
export const GET = publicHandler({ ...pingOp, run: () => ({ ok: true }) });
export const POST = postFloor(others.POST);
export const { PUT, PATCH, DELETE } = others;
