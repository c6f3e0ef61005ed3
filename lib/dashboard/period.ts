import { z } from "zod";
import { currencySchema } from "@/lib/money";

/** The UTC calendar day of a stored timestamp: the dashboard's days are UTC days. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export const periods = [7, 30, 90] as const;
export type Period = (typeof periods)[number];
export const DEFAULT_PERIOD: Period = 30;

/** The dashboard's URL: `?period=7|30|90&currency=USD`; anything else falls back to the defaults. */
export const dashboardParamsSchema = z.object({
  period: z.coerce
    .number()
    .refine((n): n is Period => (periods as readonly number[]).includes(n))
    .catch(DEFAULT_PERIOD)
    .transform((n) => n as Period),
  currency: currencySchema.optional().catch(undefined),
});
export type DashboardParams = z.output<typeof dashboardParamsSchema>;

const DAY_MS = 86_400_000;

/** `n` days back from a UTC day string: 0 is the day itself. */
export const daysBefore = (day: string, n: number) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS));

/** The UTC days of a period ending today, oldest first. */
export function periodDays(today: string, period: number): string[] {
  return Array.from({ length: period }, (_, i) => daysBefore(today, period - 1 - i));
}
