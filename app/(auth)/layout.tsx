import { Logo } from "@/components/ui/logo";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-gradient-to-b from-brand-50 to-slate-50 px-4 dark:from-slate-900 dark:to-slate-950 py-10">
      <div className="mb-8 text-2xl text-strong">
        <Logo />
      </div>
      <div className="w-full max-w-sm rounded-xl bg-surface p-6 shadow-lg ring-1 ring-line sm:p-8">{children}</div>
      <p className="mt-8 max-w-sm text-center text-xs text-subtle">
        Invoices, payment links and hosted checkout, with every change delivered to your systems as a signed webhook.
      </p>
    </main>
  );
}
