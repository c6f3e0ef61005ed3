import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { checkoutLocale } from "@/lib/checkout/locale";
import { dirOf } from "@/lib/checkout/messages";
import { Toaster } from "sonner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Settle", template: "%s · Settle" },
  description: "Invoices, payment links, hosted checkout and signed webhooks.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/** English, but the checkout's language (and Arabic's right-to-left) on its pages: proxy.ts says which. */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const lang = checkoutLocale(await headers());
  return (
    <html lang={lang} dir={dirOf(lang)}>
      <body className="min-h-dvh">
        {children}
        <Toaster position="top-right" richColors closeButton theme="system" />
      </body>
    </html>
  );
}
