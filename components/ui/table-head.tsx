import { cn } from "./cn";

/** A column's label, or a label with its alignment and classes of its own (`hidden sm:table-cell` for one a phone leaves out). */
export type Column = string | { label: string; align?: "right"; className?: string };

/** The one look of a data table's header row. */
export function TableHead({ columns, pad = "px-5" }: { columns: Column[]; pad?: string }) {
  return (
    <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-subtle dark:bg-slate-800/50">
      <tr>
        {columns.map((c) => {
          const col = typeof c === "string" ? { label: c } : c;
          return (
            <th key={col.label} scope="col" className={cn(pad, "py-2", col.align === "right" && "text-right", col.className)}>
              {col.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
