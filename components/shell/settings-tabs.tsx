"use client";

import { TabNav } from "@/components/ui/tab-nav";

const tabs = [
  { href: "/settings", label: "General" },
  { href: "/settings/team", label: "Team" },
  { href: "/settings/payment-services", label: "Payment services", match: (p: string) => p.startsWith("/settings/payment-services") },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/audit", label: "Audit log" },
];

export function SettingsTabs() {
  return <TabNav label="Settings" tabs={tabs} />;
}
