"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function SignOutButton({ callbackUrl = "/login" }: { callbackUrl?: string }) {
  return (
    <Button variant="secondary" className="w-full" onClick={() => void signOut({ callbackUrl })}>
      Sign out
    </Button>
  );
}
