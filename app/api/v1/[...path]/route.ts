import { notFoundRoute } from "@/lib/api/operation";

// Any path under /api/v1 that no route serves answers JSON like every other API answer, whatever the method.
export const dynamic = "force-dynamic";

export const GET = notFoundRoute;
export const POST = notFoundRoute;
export const PUT = notFoundRoute;
export const PATCH = notFoundRoute;
export const DELETE = notFoundRoute;
export const OPTIONS = notFoundRoute;
