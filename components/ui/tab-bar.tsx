import Link from "next/link";
import { cn } from "./cn";

export interface TabLink {
  href: string;
  label: string;
  active: boolean;
  /** A figure in a pill after the label (the invoice list's counts). */
  count?: string;
}

/** A row of links under a page header, the current one underlined. Renders on the server or in TabNav. */
export function TabBar({ label, tabs }: { label: string; tabs: TabLink[] }) {
  return (
    <nav aria-label={label} className="-mb-px flex gap-1 overflow-x-auto border-b border-line">
      {tabs.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.active ? "page" : undefined}
          className={cn(
            "flex items-center gap-2 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium",
            t.active
              ? "border-brand-600 text-brand-800 dark:border-brand-400 dark:text-brand-300"
              : "border-transparent text-muted hover:border-slate-300 hover:text-strong dark:hover:border-slate-600",
          )}
        >
          {t.label}
          {t.count !== undefined ? (
            <span
              className={cn(
                "rounded-full px-2 py-0.5 text-xs tabular-nums",
                t.active ? "bg-brand-100 text-brand-800 dark:bg-brand-900/60 dark:text-brand-300" : "bg-slate-100 text-muted dark:bg-slate-800",
              )}
            >
              {t.count}
            </span>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}
