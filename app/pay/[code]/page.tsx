import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { checkoutLocale } from "@/lib/checkout/locale";
import { type Locale, translator } from "@/lib/checkout/messages";
import { loadCheckout } from "@/lib/checkout/view";
import { publicUrl } from "@/lib/env";
import { isLinkCode } from "@/lib/payment-links/code";
import { Items, LanguageSwitcher, MethodTabs, QrPanel, RedirectPanel, StatusBanner, Summary } from "./checkout-parts";
import { Shell } from "./shell";
import { StatusPoller } from "./status-poller";

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;
interface Props {
  params: Promise<{ code: string }>;
  searchParams: Promise<Search>;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

async function context({ params, searchParams }: Props) {
  const [{ code }, search, h] = await Promise.all([params, searchParams, headers()]);
  const locale = checkoutLocale(h);
  return { code: code.toUpperCase(), search, locale };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { code, locale } = await context(props);
  return { title: `${translator(locale)("pageTitle", { merchant: "" }).trim()} · ${code}`, robots: { index: false } };
}

export default async function CheckoutPage(props: Props) {
  const { code, search, locale } = await context(props);
  const t = translator(locale);
  const view = isLinkCode(code) ? await loadCheckout(await getDb(), code, { origin: publicUrl(), locale }) : null;

  const href = (changes: { lang?: Locale; method?: string }) => {
    const q = new URLSearchParams();
    q.set("lang", changes.lang ?? locale);
    const method = changes.method ?? one(search.method);
    if (method) q.set("method", method);
    return `/pay/${code}?${q.toString()}`;
  };

  // An unknown code is a 404 (not-found.tsx says so in the customer's language).
  if (!view) notFound();

  const { live, methods } = view;
  const settled = live.paymentStatus === "paid" || live.paymentStatus === "extra";
  const open = live.status === "active" && !settled;
  const selected = methods.find((m) => m.key === one(search.method)) ?? methods[0];
  const returning = one(search.return) !== undefined;
  // The chosen gateway did not answer when asked to start the payment (/pay/{code}/start).
  const unavailable = one(search.unavailable) !== undefined && selected ? selected.serviceName : null;
  // A lone redirect method needs no choice: straight to the provider, unless the customer just came back from it.
  if (open && methods.length === 1 && selected?.instruction.kind === "redirect" && !returning && !unavailable && !live.failed && !live.processing && live.paidAmount === 0) {
    redirect(selected.instruction.url);
  }

  return (
    <Shell
      locale={locale}
      test={!view.livemode}
      switcher={<LanguageSwitcher locale={locale} hrefFor={(l) => href({ lang: l })} label={t("language")} />}
      heading={
        <div className="min-w-0">
          <p className="text-sm text-muted">{t("payTo")}</p>
          <h1 className="truncate text-xl font-semibold text-strong">{view.merchantName}</h1>
        </div>
      }
    >
      <Summary view={view} t={t} />
      <StatusBanner view={view} t={t} retryHref={href({})} />
      {open && selected ? (
        <section aria-label={t("chooseMethod")} className="rounded-2xl bg-surface p-5 shadow-sm ring-1 ring-line">
          <MethodTabs methods={methods} selected={selected.key} hrefFor={(key) => href({ method: key })} t={t} />
          {unavailable ? (
            <p role="alert" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              {t("providerUnavailable", { service: unavailable })}
            </p>
          ) : null}
          {selected.instruction.kind === "qr" ? (
            <QrPanel
              method={{ ...selected, instruction: selected.instruction }}
              view={view}
              t={t}
              imageHref={`/api/pay/${view.code}/qr.png?${new URLSearchParams({ method: selected.key, lang: locale }).toString()}`}
            />
          ) : (
            <RedirectPanel method={{ ...selected, instruction: selected.instruction }} view={view} t={t} />
          )}
          <p className="mt-4 text-xs text-muted">{t("checking")}</p>
        </section>
      ) : null}
      <Items view={view} t={t} />
      <StatusPoller code={view.code} lang={locale} version={live.version} successUrl={live.successUrl} />
    </Shell>
  );
}
