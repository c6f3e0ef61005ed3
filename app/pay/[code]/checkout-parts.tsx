import { QRCodeSVG } from "qrcode.react";
import type { QrMethod } from "@/lib/checkout/qr-image";
import type { CheckoutMethod, CheckoutView } from "@/lib/checkout/view";
import { type Locale, localeNames, locales, type Translate } from "@/lib/checkout/messages";
import { CopyButton } from "./copy-button";
import { Countdown } from "./countdown";
import { ShareQrButton } from "./share-qr-button";

const card = "rounded-2xl bg-surface p-5 shadow-sm ring-1 ring-line";
const primaryButton =
  "flex h-12 w-full items-center justify-center rounded-xl bg-brand-700 px-4 text-base font-semibold text-white shadow-sm hover:bg-brand-800";
const secondaryButton =
  "flex h-11 w-full items-center justify-center rounded-xl bg-surface px-4 text-sm font-semibold text-slate-800 dark:text-slate-200 ring-1 ring-inset ring-slate-300 dark:ring-slate-600 hover:bg-slate-50 dark:hover:bg-slate-800/60";

export function LanguageSwitcher({ locale, hrefFor, label }: { locale: Locale; hrefFor: (l: Locale) => string; label: string }) {
  return (
    <nav aria-label={label} className="flex gap-1 text-sm">
      {locales.map((l) => (
        <a
          key={l}
          href={hrefFor(l)}
          lang={l}
          hrefLang={l}
          aria-current={l === locale ? "true" : undefined}
          className={l === locale ? "rounded-md bg-slate-900 px-2 py-1 font-medium text-white dark:bg-slate-100 dark:text-slate-900" : "rounded-md px-2 py-1 text-body hover:bg-slate-200 dark:hover:bg-slate-700"}
        >
          {localeNames[l]}
        </a>
      ))}
    </nav>
  );
}

export function Summary({ view, t }: { view: CheckoutView; t: Translate }) {
  const { live } = view;
  const settled = live.paymentStatus === "paid" || live.paymentStatus === "extra";
  const started = live.paidAmount > 0;
  // Paid: what was paid, never "Left to pay 0"; part paid: what remains; else what is asked.
  const [heading, amount] = settled
    ? [t("paidHeading"), live.formatted.paid]
    : started
      ? [t("leftToPay"), live.formatted.remaining]
      : [t("amountDue"), live.formatted.amount];
  return (
    <section aria-labelledby="amount-heading" className={card}>
      <h2 id="amount-heading" className="text-sm font-medium text-muted">
        {heading}
      </h2>
      <p className="mt-1 text-3xl font-bold tracking-tight text-strong" data-testid="amount-due">
        {amount}
      </p>
      {view.description ? <p className="mt-1 text-sm text-muted">{view.description}</p> : null}
      {started && !settled ? (
        <dl className="mt-4 grid grid-cols-3 gap-2 border-t border-line-soft pt-4 text-sm">
          <div>
            <dt className="text-muted">{t("total")}</dt>
            <dd className="font-medium text-strong">{live.formatted.amount}</dd>
          </div>
          <div>
            <dt className="text-muted">{t("alreadyPaid")}</dt>
            <dd className="font-medium text-strong" data-testid="amount-paid">
              {live.formatted.paid}
            </dd>
          </div>
          <div>
            <dt className="text-muted">{t("leftToPay")}</dt>
            <dd className="font-medium text-strong" data-testid="amount-remaining">
              {live.formatted.remaining}
            </dd>
          </div>
        </dl>
      ) : null}
      {live.paymentStatus === "extra" ? (
        <dl className="mt-4 grid grid-cols-2 gap-2 border-t border-line-soft pt-4 text-sm">
          <div>
            <dt className="text-muted">{t("total")}</dt>
            <dd className="font-medium text-strong">{live.formatted.amount}</dd>
          </div>
          <div>
            <dt className="text-muted">{t("paidOver")}</dt>
            <dd className="font-medium text-strong" data-testid="amount-extra">
              {live.formatted.extra}
            </dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}

const tones = {
  success: "bg-emerald-50 dark:bg-emerald-950/40 text-emerald-900 dark:text-emerald-200 ring-emerald-600/30",
  info: "bg-sky-50 dark:bg-sky-950/40 text-sky-900 dark:text-sky-200 ring-sky-600/30",
  warning: "bg-amber-50 dark:bg-amber-950/40 text-amber-900 dark:text-amber-200 ring-amber-600/30",
  error: "bg-red-50 dark:bg-red-950/40 text-red-900 dark:text-red-200 ring-red-600/30",
} as const;

/** The one sentence that says where the payment stands; a live region, so it is announced when it changes. */
export function StatusBanner({ view, t, retryHref }: { view: CheckoutView; t: Translate; retryHref: string }) {
  const { live, merchantName: merchant } = view;
  let tone: keyof typeof tones | null = null;
  let title = "";
  let detail: React.ReactNode = null;
  if (live.paymentStatus === "paid" || live.paymentStatus === "extra") {
    tone = "success";
    title = live.paymentStatus === "paid" ? t("statusPaid") : t("statusExtra", { extra: live.formatted.extra });
    detail = live.successUrl ? (
      <>
        <p className="mt-1 text-sm">{t("redirecting", { merchant })}</p>
        <a href={live.successUrl} className={`mt-3 ${primaryButton}`}>
          {t("continueToMerchant", { merchant })}
        </a>
      </>
    ) : null;
  } else if (live.status === "expired") {
    tone = "warning";
    title = t("statusExpired");
    detail = <p className="mt-1 text-sm">{t("statusExpiredHint", { merchant })}</p>;
  } else if (live.cancellationReason === "invoice_paid") {
    tone = "info";
    title = t("statusInvoicePaid");
    detail = <p className="mt-1 text-sm">{t("statusInvoicePaidHint")}</p>;
  } else if (live.cancellationReason === "invoice_void") {
    tone = "warning";
    title = t("statusInvoiceVoid", { merchant });
  } else if (live.status === "canceled") {
    tone = "warning";
    title = t("statusCanceled", { merchant });
  } else if (live.failed) {
    tone = "error";
    title = t("statusFailed");
    detail = (
      <>
        {live.failureMessage ? <p className="mt-1 text-sm">{t("statusFailedReason", { message: live.failureMessage })}</p> : null}
        <div className="mt-3 grid gap-2 sm:grid-cols-2">
          <a href={retryHref} className={primaryButton}>
            {t("retry")}
          </a>
          {live.failureUrl ? (
            <a href={live.failureUrl} className={secondaryButton}>
              {t("backToMerchant", { merchant })}
            </a>
          ) : null}
        </div>
      </>
    );
  } else if (live.processing) {
    // Money seen on the chain, not final yet: never "paid" until it is.
    tone = "info";
    title = live.processing.required ? t("statusProcessing", { seen: live.processing.seen, required: live.processing.required }) : t("statusProcessingUncounted");
    detail = <p className="mt-1 text-sm">{t("statusProcessingHint")}</p>;
  } else if (live.paymentStatus === "partial") {
    tone = "info";
    title = t("statusPartial", { paid: live.formatted.paid, remaining: live.formatted.remaining });
  }
  return (
    <div aria-live="polite" data-testid="checkout-status" data-status={`${live.status}:${live.paymentStatus}${live.failed ? ":failed" : live.processing ? ":processing" : ""}`}>
      {tone ? (
        <div className={`rounded-2xl p-4 ring-1 ring-inset ${tones[tone]}`}>
          <p className="font-semibold">{title}</p>
          {detail}
        </div>
      ) : null}
    </div>
  );
}

export function MethodTabs({ methods, selected, hrefFor, t }: { methods: CheckoutMethod[]; selected: string; hrefFor: (key: string) => string; t: Translate }) {
  if (methods.length < 2) return null;
  return (
    <nav aria-label={t("chooseMethod")} className="mb-4 grid grid-cols-2 gap-2">
      {methods.map((m) => (
        <a
          key={m.key}
          href={hrefFor(m.key)}
          aria-current={m.key === selected ? "true" : undefined}
          className={
            m.key === selected
              ? "rounded-xl bg-brand-50 dark:bg-brand-950/60 px-3 py-2 text-sm font-semibold text-brand-800 dark:text-brand-300 ring-2 ring-brand-600"
              : "rounded-xl px-3 py-2 text-sm font-medium text-body ring-1 ring-slate-300 dark:ring-slate-600 hover:bg-slate-50 dark:hover:bg-slate-800/60"
          }
        >
          <span className="block">{m.flow === "qr" ? t("flowQr") : m.kind === "ipint" ? t("flowCrypto") : t("flowRedirect")}</span>
          <span className="block text-xs font-normal text-muted">{m.serviceName}</span>
        </a>
      ))}
    </nav>
  );
}

/** One bank detail: dt, its value, and a second dd holding the copy button (a dl allows several dd per dt). */
function CopyRow({ label, value, display, t, testId }: { label: string; value: string; display?: string; t: Translate; testId: string }) {
  return (
    <div className="grid grid-cols-[1fr_auto] items-center gap-x-3 py-2.5">
      <dt className="col-start-1 text-xs text-muted">{label}</dt>
      {/* Selectable in one tap: the way to copy without JavaScript. */}
      <dd className="col-start-1 break-all font-medium text-strong select-all" data-testid={testId} dir="ltr">
        {display ?? value}
      </dd>
      <dd className="col-start-2 row-span-2 row-start-1">
        <CopyButton value={value} label={t("copyWhat", { what: label })} copied={t("copied")}>
          {t("copy")}
        </CopyButton>
      </dd>
    </div>
  );
}

export function QrPanel({ method, view, t, imageHref }: { method: QrMethod; view: CheckoutView; t: Translate; imageHref: string }) {
  const { instruction } = method;
  const fileName = `pay-${view.code}.png`;
  const bank = instruction.bank;
  return (
    <div>
      <h2 className="text-base font-semibold text-strong">{t("scanTitle")}</h2>
      <div className="mx-auto mt-4 w-fit rounded-xl bg-white p-3 ring-1 ring-slate-200 dark:ring-slate-700" data-testid="checkout-qr">
        <QRCodeSVG value={instruction.payload} size={232} marginSize={1} level="M" role="img" aria-label={t("qrLabel", { amount: view.dueFormatted })} />
      </div>
      {method.sandbox ? (
        <a href={instruction.payload} className={`mt-3 ${secondaryButton}`}>
          {t("openSandboxBank")}
        </a>
      ) : null}
      {/* Paying on the phone that shows the QR: save it (a plain download, no JavaScript needed) or share it. */}
      <div className="mt-3 flex gap-2">
        <a href={imageHref} download={fileName} className={secondaryButton} data-testid="save-qr">
          {t("saveQr")}
        </a>
        <ShareQrButton
          imageUrl={imageHref}
          fileName={fileName}
          title={t("pageTitle", { merchant: view.merchantName })}
          text={t("shareQrText", { merchant: view.merchantName, amount: view.dueFormatted })}
          className={secondaryButton}
        >
          {t("shareQr")}
        </ShareQrButton>
      </div>
      <p className="mt-2 text-sm text-muted">{t("samePhoneHint")}</p>
      <p className="mt-3 text-sm text-muted">{t("scanHint")}</p>
      {bank ? (
        <dl className="mt-2 divide-y divide-line-soft">
          <CopyRow label={t("bank")} value={bank.bankName} t={t} testId="bank-name" />
          <CopyRow label={t("accountNumber")} value={bank.accountNumber.replace(/\s/g, "")} display={bank.accountNumber} t={t} testId="bank-account" />
          <CopyRow label={t("accountName")} value={bank.accountName} t={t} testId="bank-account-name" />
          <CopyRow label={t("amount")} value={view.dueMajor} display={view.dueFormatted} t={t} testId="bank-amount" />
          <CopyRow label={t("remark")} value={bank.remark} t={t} testId="bank-remark" />
        </dl>
      ) : null}
      <p className="mt-3 text-sm text-body">
        {t("expiresIn")} <Countdown expiresAt={view.expiresAt} initial={view.expiresIn} intlLocale={view.intlLocale} />
      </p>
    </div>
  );
}

export function RedirectPanel({ method, view, t }: { method: CheckoutMethod & { instruction: { kind: "redirect" } }; view: CheckoutView; t: Translate }) {
  return (
    <div>
      <p className="text-sm text-body">{t("redirectNote", { service: method.serviceName })}</p>
      <a href={method.instruction.url} className={`mt-4 ${primaryButton}`} data-testid="pay-redirect">
        {t("payWith", { service: method.serviceName })}
      </a>
      <p className="mt-3 text-sm text-body">
        {t("expiresIn")} <Countdown expiresAt={view.expiresAt} initial={view.expiresIn} intlLocale={view.intlLocale} />
      </p>
    </div>
  );
}

export function Items({ view, t }: { view: CheckoutView; t: Translate }) {
  if (!view.items.length) return null;
  return (
    <section aria-labelledby="items-heading" className={card}>
      <h2 id="items-heading" className="text-sm font-semibold text-strong">
        {t("items")}
      </h2>
      <ul className="mt-2 divide-y divide-line-soft text-sm">
        {view.items.map((item, i) => (
          <li key={i} className="flex justify-between gap-3 py-2">
            <span className="min-w-0">
              <span className="block text-strong">{item.name}</span>
              <span className="block text-xs text-muted">{t("quantity", { n: item.quantity })}</span>
            </span>
            <span className="shrink-0 font-medium text-strong">{item.amount}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
