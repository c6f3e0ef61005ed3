import { cn } from "./cn";

/**
 * Lets a wide table scroll sideways inside its card. Focusable, so a keyboard
 * can scroll it too (arrow keys once focused); named after the table it holds.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn("overflow-x-auto", className)}>
      {children}
    </div>
  );
}
