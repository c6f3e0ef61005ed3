import { ApiReference } from "@scalar/nextjs-api-reference";
import { scalarScriptPath } from "@/lib/api/reference-bundle";

export const dynamic = "force-static";

/** The API reference, rendered from /api/v1/openapi.json; the renderer is served by this app, never a CDN. */
export const GET = ApiReference({
  url: "/api/v1/openapi.json",
  cdn: scalarScriptPath(),
  pageTitle: "Settle API reference",
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  // Nothing that needs Scalar's own services: no AI agent, no deploy toolbar.
  agent: { disabled: true },
  showDeveloperTools: "never",
});
