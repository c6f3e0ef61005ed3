import { scalarBundle } from "@/lib/api/reference-bundle";

export const dynamic = "force-static";

export async function GET() {
  return new Response(new Uint8Array(await scalarBundle()), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" },
  });
}
