import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-[60dvh] flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-strong">We could not find that page</h1>
      <p className="mt-2 max-w-md text-sm text-muted">It may have been removed, or it belongs to another merchant.</p>
      <Link href="/dashboard" className={buttonClass("secondary", "md", "mt-6")}>
        Back to the dashboard
      </Link>
    </main>
  );
}
