import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { loggedRoute } from "@/lib/log/route";

const handler = loggedRoute("auth", async (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => {
  return NextAuth(req as never, { params: await ctx.params } as never, authOptions()) as Promise<Response>;
});

export { handler as GET, handler as POST };
