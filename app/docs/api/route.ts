import { ApiReference } from "@scalar/nextjs-api-reference";
import { scalarScriptPath } from "@/lib/api/reference-bundle";
import { accessibleReferenceCss, accessibleReferenceHtml } from "@/lib/api/reference-a11y";

export const dynamic = "force-static";

/** The API reference, rendered from /api/v1/openapi.json; the renderer is served by this app, never a CDN. */
const reference = ApiReference({
  url: "/api/v1/openapi.json",
  cdn: scalarScriptPath(),
  pageTitle: "Settle API reference",
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  // Nothing that needs Scalar's own services: no AI agent, no deploy toolbar.
  agent: { disabled: true },
  showDeveloperTools: "never",
  customCss: accessibleReferenceCss,
});

/** Scalar's page, with the language and the accessibility repairs its own markup lacks. */
export async function GET() {
  const page = reference();
  return new Response(accessibleReferenceHtml(await page.text()), { headers: { "content-type": "text/html; charset=utf-8" } });
}
