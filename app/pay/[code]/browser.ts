"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/** False in the server's HTML and while hydrating, true once React runs in the browser: what needs JavaScript shows only then. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

/** Whether this browser has the Web Share API (phones, mostly); false on the server. */
export function useCanShare(): boolean {
  return useSyncExternalStore(
    never,
    () => typeof navigator.share === "function",
    () => false,
  );
}
