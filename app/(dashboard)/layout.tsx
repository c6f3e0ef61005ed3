import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { MerchantSwitcher } from "@/components/shell/merchant-switcher";
import { ModeSwitch, TestModeBanner } from "@/components/shell/mode-switch";
import { Sidebar } from "@/components/shell/sidebar";
import { UserMenu } from "@/components/shell/user-menu";
import { roleLabels } from "@/lib/auth/roles";
import { getViewer } from "@/lib/auth/session";
import { PAGE_PATH_HEADER } from "@/lib/page-path";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  if (!viewer.current) {
    return (
      <main className="mx-auto max-w-md px-4 py-24 text-center">
        <h1 className="text-xl font-semibold">You are not a member of any merchant</h1>
        <p className="mt-2 text-sm text-muted">Ask an owner for a new invite link, or create an account for your own business.</p>
      </main>
    );
  }
  const { current, memberships, user, livemode } = viewer;
  const page = (await headers()).get(PAGE_PATH_HEADER) ?? "/dashboard";
  return (
    <div className="flex min-h-dvh" style={livemode ? undefined : ({ "--banner-h": "2.25rem" } as React.CSSProperties)}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-slate-900 focus:shadow-lg dark:focus:bg-slate-800 dark:focus:text-slate-100"
      >
        Skip to content
      </a>
      <Sidebar merchantName={current.merchantName} />
      <div className="flex min-w-0 flex-1 flex-col">
        <div className="sticky top-0 z-20">
          {livemode ? null : <TestModeBanner back={page} />}
          <header className="flex h-16 items-center justify-between gap-3 border-b border-line bg-surface/90 pl-14 pr-4 backdrop-blur lg:px-8">
            <div className="flex min-w-0 items-center gap-3">
              {memberships.length > 1 ? (
                <MerchantSwitcher current={current.merchantId} options={memberships.map((m) => ({ id: m.merchantId, name: m.merchantName }))} />
              ) : (
                <span className="truncate text-sm font-semibold text-slate-800 dark:text-slate-200" data-testid="merchant-name">
                  {current.merchantName}
                </span>
              )}
            </div>
            <div className="flex items-center gap-2">
              <ModeSwitch livemode={livemode} back={page} />
              <UserMenu name={user.name} email={user.email} roleLabel={roleLabels[current.role]} />
            </div>
          </header>
        </div>
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8">
          <div className="mx-auto max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
