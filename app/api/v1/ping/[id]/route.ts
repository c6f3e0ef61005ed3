import { getFloor } from "@/lib/api/floor";
import { notFoundRoute } from "@/lib/api/operation";

export const dynamic = "force-dynamic";

// The benchmark's floor (lib/api/floor.ts); without SETTLE_BENCH_ROUTES=1, no route at all.
export const GET = getFloor;
export const POST = notFoundRoute;
export const PUT = notFoundRoute;
export const PATCH = notFoundRoute;
export const DELETE = notFoundRoute;
