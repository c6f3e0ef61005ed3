"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const tabs = [
  { href: "/webhooks", label: "Endpoints", match: (p: string) => p === "/webhooks" || /^\/webhooks\/we_/.test(p) },
  { href: "/webhooks/deliveries", label: "Deliveries", match: (p: string) => p.startsWith("/webhooks/deliveries") },
  { href: "/webhooks/settings", label: "Settings", match: (p: string) => p === "/webhooks/settings" },
];

export function WebhookTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Webhooks" className="-mb-px flex gap-1 overflow-x-auto border-b border-slate-200">
      {tabs.map((t) => {
        const active = t.match(pathname);
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium",
              active ? "border-brand-600 text-brand-800" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
            )}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
