"use client";

import { usePathname } from "next/navigation";
import { TabBar } from "./tab-bar";

export interface Tab {
  href: string;
  label: string;
  /** Which paths count as this tab; by default only its own. */
  match?: (pathname: string) => boolean;
}

/** Tabs that are pages of their own: the current one is the one whose path is open. */
export function TabNav({ label, tabs }: { label: string; tabs: Tab[] }) {
  const pathname = usePathname();
  return <TabBar label={label} tabs={tabs.map((t) => ({ href: t.href, label: t.label, active: t.match ? t.match(pathname) : pathname === t.href }))} />;
}
