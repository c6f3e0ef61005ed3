import type { IconName } from "./icons";

export interface NavItem {
  href: string;
  label: string;
  icon: IconName;
}

/** The dashboard's sections; each appears here once it exists. */
export const navItems: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", icon: "dashboard" },
  { href: "/invoices", label: "Invoices", icon: "invoices" },
  { href: "/settings", label: "Settings", icon: "settings" },
];
