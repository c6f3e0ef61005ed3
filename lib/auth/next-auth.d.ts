import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** Absent when the cookie's session has ended (signed out elsewhere, password changed). */
    user?: { id: string; email: string; name: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The `user_sessions` row this cookie belongs to (lib/accounts/sessions.ts). */
    sid?: string;
  }
}
