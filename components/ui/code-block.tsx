import { cn } from "./cn";

/**
 * Preformatted text that scrolls in a box of its own (headers, a body).
 * Focusable and named, so a keyboard can scroll it and a screen reader says
 * what it holds (axe's `scrollable-region-focusable`).
 */
export function CodeBlock({ label, className, children, ...props }: { label: string; className?: string; children: React.ReactNode } & React.HTMLAttributes<HTMLPreElement>) {
  return (
    <pre
      role="region"
      aria-label={label}
      tabIndex={0}
      className={cn("overflow-auto whitespace-pre-wrap wrap-anywhere rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-800/50", className)}
      {...props}
    >
      {children}
    </pre>
  );
}
