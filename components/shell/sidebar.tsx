"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { Logo } from "@/components/ui/logo";
import { Icon } from "./icons";
import { navItems } from "./nav";

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-1">
      {navItems.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-brand-50 dark:bg-brand-950/60 text-brand-800 dark:text-brand-300" : "text-body hover:bg-slate-100 dark:hover:bg-slate-800 hover:text-strong",
            )}
          >
            <Icon name={item.icon} className={cn("h-5 w-5", active ? "text-brand-700 dark:text-brand-400" : "text-slate-400")} />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}

export function Sidebar({ merchantName }: { merchantName: string }) {
  const [open, setOpen] = useState(false);
  // On a phone the menu is a native modal dialog: focus moves in and stays, Escape closes it, focus returns to the button.
  const menu = useRef<HTMLDialogElement>(null);
  const close = () => menu.current?.close();

  return (
    <>
      <aside className="hidden w-60 shrink-0 border-r border-line bg-surface lg:flex lg:flex-col">
        <div className="flex h-16 items-center px-5 text-lg">
          <Logo />
        </div>
        <div className="flex-1 px-3 py-2">
          <NavLinks />
        </div>
      </aside>
      <button
        type="button"
        className="fixed left-3 top-[calc(var(--banner-h,0px)+0.75rem)] z-30 rounded-md p-2 text-body hover:bg-slate-100 dark:hover:bg-slate-800 lg:hidden"
        onClick={() => {
          menu.current?.showModal();
          setOpen(true);
        }}
        aria-label="Open menu"
        aria-haspopup="dialog"
        aria-expanded={open}
      >
        <Icon name="menu" />
      </button>
      <dialog
        ref={menu}
        aria-label="Menu"
        onClose={() => setOpen(false)}
        onClick={(e) => {
          if (e.target === menu.current) close();
        }}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] bg-surface text-strong shadow-xl backdrop:bg-slate-900/40 lg:hidden"
      >
        <div className="flex h-16 items-center justify-between px-5 text-lg">
          <Logo />
          <button type="button" onClick={close} aria-label="Close menu" className="rounded-md p-2 hover:bg-slate-100 dark:hover:bg-slate-800">
            <Icon name="close" />
          </button>
        </div>
        <p className="px-5 pb-3 text-sm text-subtle">{merchantName}</p>
        <div className="px-3">
          <NavLinks onNavigate={close} />
        </div>
      </dialog>
    </>
  );
}
