"use client";

import { useTransition } from "react";
import { switchMerchantAction } from "@/app/(dashboard)/actions";

export function MerchantSwitcher({ current, options }: { current: string; options: { id: string; name: string }[] }) {
  const [pending, start] = useTransition();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Merchant</span>
      <select
        value={current}
        disabled={pending}
        onChange={(e) => start(() => void switchMerchantAction(null, { merchantId: e.target.value }))}
        className="max-w-48 truncate rounded-md border-0 bg-slate-100 dark:bg-slate-800 py-1.5 pl-3 pr-8 text-sm font-medium text-slate-800 dark:text-slate-200 focus:ring-2 focus:ring-brand-600"
      >
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
