"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useId, useRef, useState } from "react";
import { createInvoiceAction } from "@/app/(dashboard)/invoices/actions";
import { useFocusFirstError } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, FormError, Input, inputClass, Select } from "@/components/ui/field";
import { useResultToast } from "@/components/ui/toast";
import { isPastDay } from "@/lib/invoices/due";
import { isLargeTotal } from "@/lib/invoices/limits";
import { type CurrencyCode, currencies, currencyCodes, formatAmount, parseAmount } from "@/lib/money";

interface Line {
  key: number;
  name: string;
  unitPrice: string;
  quantity: string;
}

const blankLine = (key: number): Line => ({ key, name: "", unitPrice: "", quantity: "1" });

function lineAmount(line: Line, currency: CurrencyCode): number | null {
  const qty = Number(line.quantity);
  if (!Number.isInteger(qty) || qty < 1) return null;
  try {
    return parseAmount(line.unitPrice, currency) * qty;
  } catch {
    return null;
  }
}

export function InvoiceForm({ defaultCurrency = "USD" }: { defaultCurrency?: CurrencyCode }) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(createInvoiceAction, null);
  const [currency, setCurrency] = useState<CurrencyCode>(defaultCurrency);
  // Row keys from a per-form counter: the same on the server and in the browser.
  const uid = useId();
  const counter = useRef(1);
  const nextKey = () => counter.current++;
  const [lines, setLines] = useState<Line[]>(() => [blankLine(0)]);
  const [dueDate, setDueDate] = useState("");
  const [meta, setMeta] = useState<{ key: number; k: string; v: string }[]>([]);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, state);

  useResultToast(state, "Invoice created");
  useEffect(() => {
    if (state?.ok) router.push(`/invoices/${state.data.id}`);
  }, [state, router]);

  const amounts = lines.map((l) => lineAmount(l, currency));
  const total = amounts.every((a) => a !== null) ? amounts.reduce<number>((s, a) => s + (a ?? 0), 0) : null;
  const large = total !== null && Number.isSafeInteger(total) && isLargeTotal(total, currency);
  const setLine = (key: number, patch: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (name: string) => String(f.get(name) ?? "");
    const payload = {
      currency,
      items: lines.map((l) => ({ name: l.name, unitPrice: l.unitPrice, quantity: l.quantity })),
      customer: { name: text("customerName"), email: text("customerEmail"), phone: text("customerPhone"), address: text("customerAddress") },
      description: text("description"),
      dueDate: text("dueDate"),
      confirmPastDue: f.get("confirmPastDue") === "on",
      confirmLargeAmount: f.get("confirmLargeAmount") === "on",
      referenceId: text("referenceId"),
      metadata: Object.fromEntries(meta.filter((m) => m.k.trim() || m.v.trim()).map((m) => [m.k, m.v])),
    };
    startTransition(() => dispatch(payload));
  }

  const err = (path: string) => fe[path];
  return (
    <form ref={formRef} method="post" onSubmit={onSubmit} noValidate className="space-y-6">
      <FormError message={state && !state.ok ? state.error : null} />
      <Card>
        <CardHeader title="Customer" />
        <div className="grid gap-4 p-5 sm:grid-cols-2">
          <Field label="Name" htmlFor="customerName" errors={err("customer.name")}>
            <Input id="customerName" name="customerName" autoComplete="off" aria-invalid={!!err("customer.name")} />
          </Field>
          <Field label="Email (optional)" htmlFor="customerEmail" errors={err("customer.email")}>
            <Input id="customerEmail" name="customerEmail" type="email" autoComplete="off" aria-invalid={!!err("customer.email")} />
          </Field>
          <Field label="Phone (optional)" htmlFor="customerPhone" errors={err("customer.phone")}>
            <Input id="customerPhone" name="customerPhone" type="tel" autoComplete="off" aria-invalid={!!err("customer.phone")} />
          </Field>
          <Field label="Address (optional)" htmlFor="customerAddress" errors={err("customer.address")}>
            <Input id="customerAddress" name="customerAddress" autoComplete="off" aria-invalid={!!err("customer.address")} />
          </Field>
        </div>
      </Card>

      <Card>
        <CardHeader
          title="Line items"
          actions={
            <label className="flex items-center gap-2 text-sm text-muted">
              Currency
              <Select aria-label="Currency" className="w-28" value={currency} onChange={(e) => setCurrency(e.target.value as CurrencyCode)}>
                {currencyCodes.map((c) => (
                  <option key={c} value={c}>
                    {c} · {currencies[c].name}
                  </option>
                ))}
              </Select>
            </label>
          }
        />
        <div className="space-y-3 p-5">
          {lines.map((line, i) => (
            <fieldset key={line.key} className="grid grid-cols-2 gap-3 rounded-md border border-line-soft p-3 sm:grid-cols-[1fr_9rem_6rem_9rem_auto] sm:items-start sm:border-0 sm:p-0">
              <legend className="sr-only">Line {i + 1}</legend>
              <div className="col-span-2 sm:col-span-1">
                <Field label={`Item ${i + 1}`} htmlFor={`${uid}-item-${line.key}-name`} errors={err(`items.${i}.name`)}>
                  <Input id={`${uid}-item-${line.key}-name`} value={line.name} onChange={(e) => setLine(line.key, { name: e.target.value })} aria-invalid={!!err(`items.${i}.name`)} />
                </Field>
              </div>
              <Field label="Unit price" htmlFor={`${uid}-item-${line.key}-price`} errors={err(`items.${i}.unitPrice`)}>
                <Input id={`${uid}-item-${line.key}-price`} inputMode="decimal" value={line.unitPrice} onChange={(e) => setLine(line.key, { unitPrice: e.target.value })} aria-invalid={!!err(`items.${i}.unitPrice`)} />
              </Field>
              <Field label="Qty" htmlFor={`${uid}-item-${line.key}-qty`} errors={err(`items.${i}.quantity`)}>
                <Input id={`${uid}-item-${line.key}-qty`} inputMode="numeric" value={line.quantity} onChange={(e) => setLine(line.key, { quantity: e.target.value })} aria-invalid={!!err(`items.${i}.quantity`)} />
              </Field>
              <div className="space-y-1.5">
                <span className="block text-sm font-medium text-body">Amount</span>
                <p className="py-2 text-sm tabular-nums text-strong" data-testid={`line-amount-${i}`}>
                  {amounts[i] === null ? "—" : formatAmount(amounts[i]!, currency)}
                </p>
              </div>
              <div className="flex items-end sm:pt-7">
                <Button variant="ghost" size="sm" disabled={lines.length === 1} onClick={() => setLines((ls) => ls.filter((l) => l.key !== line.key))} aria-label={`Remove item ${i + 1}`}>
                  Remove
                </Button>
              </div>
            </fieldset>
          ))}
          {err("items") ? <p className="text-sm text-red-600 dark:text-red-400" role="alert">{err("items")!.join(" ")}</p> : null}
          {large || err("confirmLargeAmount") ? (
            <ConfirmBox name="confirmLargeAmount" errors={err("confirmLargeAmount")}>
              This total is unusually large, and it is right.
            </ConfirmBox>
          ) : null}
          <div className="flex flex-wrap items-center justify-between gap-3 border-t border-line-soft pt-4">
            <Button variant="secondary" size="sm" onClick={() => setLines((ls) => [...ls, blankLine(nextKey())])}>
              Add line
            </Button>
            <p className="text-base font-semibold text-strong">
              Total <span className="tabular-nums" data-testid="invoice-total">{total === null ? "—" : formatAmount(total, currency)}</span>
            </p>
          </div>
        </div>
      </Card>

      <Card>
        <CardHeader title="Details" />
        <div className="grid gap-4 p-5 sm:grid-cols-2">
          <Field label="Due date (optional)" htmlFor="dueDate" errors={err("dueDate")}>
            <Input id="dueDate" name="dueDate" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} aria-invalid={!!err("dueDate")} />
          </Field>
          {(dueDate && isPastDay(dueDate)) || err("confirmPastDue") ? (
            <ConfirmBox name="confirmPastDue" errors={err("confirmPastDue")} className="sm:col-span-2">
              This due date is in the past: create the invoice as already overdue.
            </ConfirmBox>
          ) : null}
          <Field label="Your reference (optional)" htmlFor="referenceId" errors={err("referenceId")} hint="An order id from your own system; unique per merchant.">
            <Input id="referenceId" name="referenceId" aria-invalid={!!err("referenceId")} />
          </Field>
          <div className="sm:col-span-2">
            <Field label="Description (optional)" htmlFor="description" errors={err("description")}>
              <textarea id="description" name="description" rows={3} className={inputClass} aria-invalid={!!err("description")} />
            </Field>
          </div>
          <div className="space-y-2 sm:col-span-2">
            <p className="text-sm font-medium text-body">Metadata (optional)</p>
            {meta.map((m, i) => (
              <div key={m.key} className="flex gap-2">
                <Input aria-label={`Metadata key ${i + 1}`} placeholder="key" value={m.k} onChange={(e) => setMeta((ms) => ms.map((x) => (x.key === m.key ? { ...x, k: e.target.value } : x)))} />
                <Input aria-label={`Metadata value ${i + 1}`} placeholder="value" value={m.v} onChange={(e) => setMeta((ms) => ms.map((x) => (x.key === m.key ? { ...x, v: e.target.value } : x)))} />
                <Button variant="ghost" size="sm" onClick={() => setMeta((ms) => ms.filter((x) => x.key !== m.key))} aria-label={`Remove metadata ${i + 1}`}>
                  Remove
                </Button>
              </div>
            ))}
            {err("metadata") ? <p className="text-sm text-red-600 dark:text-red-400">{err("metadata")!.join(" ")}</p> : null}
            <Button variant="secondary" size="sm" onClick={() => setMeta((ms) => [...ms, { key: nextKey(), k: "", v: "" }])}>
              Add metadata
            </Button>
          </div>
        </div>
      </Card>

      <div className="flex justify-end gap-3">
        <Button type="submit" disabled={pending || !!state?.ok}>
          {pending ? "Creating…" : "Create invoice"}
        </Button>
      </div>
    </form>
  );
}

/** "Yes, I mean it" for a value that is likely a typo: the box the command asks for, and its error. */
function ConfirmBox({ name, errors, className = "", children }: { name: string; errors?: string[]; className?: string; children: React.ReactNode }) {
  return (
    <div className={`space-y-1.5 ${className}`}>
      <label className="flex items-start gap-2 text-sm text-body">
        <input type="checkbox" name={name} className="mt-0.5 h-4 w-4" aria-invalid={!!errors} aria-describedby={errors ? `${name}-error` : undefined} />
        {children}
      </label>
      {errors ? (
        <p id={`${name}-error`} role="alert" className="text-sm text-red-600 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
