"use client";

import { TabNav } from "@/components/ui/tab-nav";

const tabs = [
  { href: "/settings", label: "General" },
  { href: "/settings/team", label: "Team" },
  { href: "/settings/payment-services", label: "Payment services", match: (p: string) => p.startsWith("/settings/payment-services") },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/audit", label: "Audit log" },
  // The person's own, not the merchant's: password and sessions.
  { href: "/settings/account", label: "Your account" },
];

export function SettingsTabs() {
  return <TabNav label="Settings" tabs={tabs} />;
}
