"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDayShort as dayLabel, zoned } from "@/lib/format/time";
import { type CurrencyCode, exponentOf, formatAmount } from "@/lib/money";

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

// Colours come from CSS variables (app/globals.css), so the charts follow the system's dark mode.
// Bars appear without animation: the figures matter, and nothing moves for people who are sensitive to motion.
const axis = { stroke: "var(--chart-grid)", tick: { fill: "var(--chart-text)", fontSize: 12 }, tickLine: false } as const;

interface TooltipInput {
  active?: boolean;
  label?: unknown;
  payload?: ReadonlyArray<{ dataKey?: unknown; name?: unknown; value?: unknown }>;
  format: (v: number) => string;
}

function ChartTooltip({ active, payload, label, format }: TooltipInput) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md bg-white px-3 py-2 text-sm shadow-lg ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700">
      <p className="font-medium text-strong">{zoned(dayLabel(String(label)))}</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)} className="tabular-nums text-slate-600 dark:text-slate-300">
          {payload.length > 1 ? `${String(p.name)}: ` : ""}
          {format(Number(p.value))}
        </p>
      ))}
    </div>
  );
}

/** Money collected per day in one currency (minor units in, major units on the axis). */
export function CollectedChart({ days, values, currency }: { days: string[]; values: number[]; currency: CurrencyCode }) {
  const scale = 10 ** exponentOf(currency);
  const data = days.map((day, i) => ({ day, collected: values[i] ?? 0 }));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
        <XAxis dataKey="day" {...axis} tickFormatter={dayLabel} minTickGap={16} />
        <YAxis {...axis} axisLine={false} width={48} tickFormatter={(v: number) => compact.format(v / scale)} />
        <Tooltip cursor={{ fill: "var(--chart-cursor)" }} content={(p) => <ChartTooltip {...p} format={(v) => formatAmount(v, currency)} />} />
        <Bar dataKey="collected" name="Collected" fill="var(--chart-primary)" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Invoices created and invoices paid in full, per day. */
export function InvoicesChart({ days, created, paid }: { days: string[]; created: number[]; paid: number[] }) {
  const data = days.map((day, i) => ({ day, created: created[i] ?? 0, paid: paid[i] ?? 0 }));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
        <XAxis dataKey="day" {...axis} tickFormatter={dayLabel} minTickGap={16} />
        <YAxis {...axis} axisLine={false} width={32} allowDecimals={false} />
        <Tooltip cursor={{ fill: "var(--chart-cursor)" }} content={(p) => <ChartTooltip {...p} format={(v) => v.toLocaleString("en")} />} />
        <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, color: "var(--chart-text)" }} />
        <Bar dataKey="created" name="Created" fill="var(--chart-secondary)" radius={[3, 3, 0, 0]} maxBarSize={16} isAnimationActive={false} />
        <Bar dataKey="paid" name="Paid" fill="var(--chart-primary)" radius={[3, 3, 0, 0]} maxBarSize={16} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
