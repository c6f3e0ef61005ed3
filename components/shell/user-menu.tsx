"use client";

import { signOut } from "next-auth/react";
import Link from "next/link";

export function UserMenu({ name, email, roleLabel }: { name: string; email: string; roleLabel: string }) {
  const initials = name
    .split(/\s+/)
    .map((p) => p[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <details className="relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-full p-1 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="User menu">
        <span className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-700 text-xs font-semibold text-white">{initials || "?"}</span>
        <span className="hidden text-sm font-medium text-body sm:block">{name}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-lg bg-surface p-2 shadow-lg ring-1 ring-line">
        <div className="border-b border-line-soft px-3 py-2">
          <p className="truncate text-sm font-medium text-strong">{name}</p>
          <p className="truncate text-sm text-subtle">{email}</p>
          <p className="mt-1 text-xs text-subtle">Role: {roleLabel}</p>
        </div>
        <Link
          href="/settings/account"
          // The menu stays mounted across navigations: close it.
          onClick={(e) => e.currentTarget.closest("details")?.removeAttribute("open")}
          className="mt-1 block rounded-md px-3 py-2 text-sm text-body hover:bg-slate-100 dark:hover:bg-slate-800">
          Your account
        </Link>
        <button
          type="button"
          onClick={() => void signOut({ callbackUrl: "/login" })}
          className="mt-1 w-full rounded-md px-3 py-2 text-left text-sm text-body hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          Sign out
        </button>
      </div>
    </details>
  );
}
