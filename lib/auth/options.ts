import type { NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { getDb } from "@/db/client";
import { transaction } from "@/db/transaction";
import { endSession, liveSessionUser, SESSION_MAX_AGE_S, startSession } from "@/lib/accounts/sessions";
import { credentialsSchema } from "@/lib/accounts/schemas";
import { verifyCredentials } from "@/lib/accounts/sign-in";
import { createMerchant, createUser, findUserByEmail, membershipsOf } from "@/lib/accounts/users";
import { authSecret, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log/logger";


/** The OAuth user becomes (or matches) a Settle user; a newcomer gets a merchant of their own. */
async function userIdForOAuth(email: string, name: string): Promise<string> {
  const db = await getDb();
  const existing = await findUserByEmail(db, email);
  if (existing) return existing.id;
  return transaction(db, async (tx) => {
    const user = await createUser(tx, { email, name });
    if ((await membershipsOf(tx, user.id)).length === 0) {
      await createMerchant(tx, { name: `${name}'s business`, ownerId: user.id });
    }
    return user.id;
  });
}

export function authOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new Error("Email or password is incorrect.");
        try {
          const user = await verifyCredentials(await getDb(), parsed.data.email, parsed.data.password);
          return { id: user.id, email: user.email, name: user.name };
        } catch (err) {
          // next-auth hands this message to the sign-in form as is.
          if (err instanceof AppError) throw new Error(err.message);
          throw err;
        }
      },
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET) providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  if (e.GOOGLE_ID && e.GOOGLE_SECRET) providers.push(GoogleProvider({ clientId: e.GOOGLE_ID, clientSecret: e.GOOGLE_SECRET }));

  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login" },
    providers,
    // next-auth's own messages, through the redacting logger instead of the console.
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, "auth: next-auth error"),
      warn: (code) => log.warn({ code }, "auth: next-auth warning"),
      debug: (code, metadata) => log.debug({ code, metadata }, "auth: next-auth debug"),
    },
    callbacks: {
      async jwt({ token, user, account }) {
        if (account && account.provider !== "credentials" && user?.email) {
          token.sub = await userIdForOAuth(user.email, user.name ?? user.email);
        }
        // `user` is set only at sign-in: each sign-in is a session of its own, whose id the cookie carries.
        if (user && token.sub) token.sid = await startSession(await getDb(), token.sub);
        return token;
      },
      async session({ session, token }) {
        // next-auth's own /api/auth/session says "signed out" for an ended session, as getViewer does.
        const user = token.sub && token.sid ? await liveSessionUser(await getDb(), { sessionId: token.sid, userId: token.sub }) : null;
        return user ? { ...session, user } : ({ expires: session.expires } satisfies Session);
      },
    },
    events: {
      // Signing out ends the session in Postgres, so a copy of the cookie is refused on every instance.
      async signOut({ token }) {
        if (token?.sid) await endSession(await getDb(), token.sid);
      },
    },
  };
}

/** The OAuth providers whose credentials are set, for sign-in buttons. */
export function oauthProviders(): { id: string; name: string }[] {
  const e = env();
  const list = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (e.GOOGLE_ID && e.GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  return list;
}
