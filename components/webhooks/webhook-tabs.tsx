"use client";

import { TabNav } from "@/components/ui/tab-nav";

const tabs = [
  { href: "/webhooks", label: "Endpoints", match: (p: string) => p === "/webhooks" || /^\/webhooks\/we_/.test(p) },
  { href: "/webhooks/deliveries", label: "Deliveries", match: (p: string) => p.startsWith("/webhooks/deliveries") },
  { href: "/webhooks/settings", label: "Settings" },
];

export function WebhookTabs() {
  return <TabNav label="Webhooks" tabs={tabs} />;
}
