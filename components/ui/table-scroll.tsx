import { cn } from "./cn";

/**
 * Lets a wide table scroll sideways inside its card. Focusable, so a keyboard
 * can scroll it too (arrow keys once focused); named after the table it holds.
 * `relative` makes it the containing block of absolutely positioned content
 * (a header's `sr-only` label): otherwise that escapes the scroll box and
 * widens the whole page on a phone.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn("relative overflow-x-auto", className)}>
      {children}
    </div>
  );
}
