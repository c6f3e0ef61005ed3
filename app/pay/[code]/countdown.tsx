"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatLeft, isClock } from "@/lib/checkout/time";

/** Ticks down to the link's expiry; at zero the server (which expires on read) renders the expired state. */
export function Countdown({ expiresAt, initial, intlLocale }: { expiresAt: string; initial: { text: string; clock: boolean }; intlLocale: string }) {
  const router = useRouter();
  // Milliseconds left at the last tick; null until the first, while the server's frame stands.
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const end = Date.parse(expiresAt);
    const tick = () => {
      const ms = end - Date.now();
      setLeft(ms);
      if (ms <= 0) {
        clearInterval(id);
        router.refresh();
      }
    };
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [expiresAt, router]);
  const text = left === null ? initial.text : formatLeft(left, intlLocale);
  const clock = left === null ? initial.clock : isClock(left);
  // A clock reads left to right in every language; "27 days" follows the page.
  return (
    <time dateTime={expiresAt} dir={clock ? "ltr" : undefined} className={clock ? "font-mono tabular-nums" : undefined}>
      {text}
    </time>
  );
}
