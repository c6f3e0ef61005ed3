"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatLeft, isClock } from "@/lib/checkout/time";

/** Ticks down to the link's expiry; at zero the server (which expires on read) renders the expired state. */
export function Countdown({ expiresAt, initial, intlLocale }: { expiresAt: string; initial: string; intlLocale: string }) {
  const router = useRouter();
  const [text, setText] = useState(initial);
  const [clock, setClock] = useState(() => isClock(Date.parse(expiresAt) - Date.now()));
  useEffect(() => {
    const end = Date.parse(expiresAt);
    const tick = () => {
      const left = end - Date.now();
      setText(formatLeft(left, intlLocale));
      setClock(isClock(left));
      if (left <= 0) {
        clearInterval(id);
        router.refresh();
      }
    };
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [expiresAt, intlLocale, router]);
  // A clock reads left to right in every language; "27 days" follows the page.
  return (
    <time dateTime={expiresAt} dir={clock ? "ltr" : undefined} className={clock ? "font-mono tabular-nums" : undefined}>
      {text}
    </time>
  );
}
