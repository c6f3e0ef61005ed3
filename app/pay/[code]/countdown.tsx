"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatLeft } from "@/lib/checkout/time";

/** Ticks down to the link's expiry; at zero the server (which expires on read) renders the expired state. */
export function Countdown({ expiresAt, initial }: { expiresAt: string; initial: string }) {
  const router = useRouter();
  const [text, setText] = useState(initial);
  useEffect(() => {
    const end = Date.parse(expiresAt);
    const id = setInterval(() => {
      const left = end - Date.now();
      setText(formatLeft(left));
      if (left <= 0) {
        clearInterval(id);
        router.refresh();
      }
    }, 1000);
    return () => clearInterval(id);
  }, [expiresAt, router]);
  return (
    <time dateTime={expiresAt} dir="ltr" className="font-mono tabular-nums">
      {text}
    </time>
  );
}
