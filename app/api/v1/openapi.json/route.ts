import { buildOpenApiDocument, openApiOp } from "@/lib/api/openapi";
import { otherMethods, publicHandler } from "@/lib/api/operation";

// The document only changes with a release: built once, at build time.
export const dynamic = "force-static";

export const GET = publicHandler({ ...openApiOp, run: buildOpenApiDocument });
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
