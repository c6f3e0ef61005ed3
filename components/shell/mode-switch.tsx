import { switchModeAction } from "@/app/(dashboard)/actions";

/**
 * The shell's live/test switch: a plain form, so it works before hydration
 * and without JavaScript. `back` is the page it was pressed on; the action
 * lands on that page's section in the other mode.
 */
export function ModeSwitch({ livemode, back }: { livemode: boolean; back: string }) {
  const bound = switchModeAction.bind(null, null) as unknown as (form: FormData) => Promise<void>;
  return (
    <form action={bound} className="flex items-center">
      <input type="hidden" name="mode" value={livemode ? "test" : "live"} />
      <input type="hidden" name="back" value={back} />
      <button
        type="submit"
        role="switch"
        aria-checked={!livemode}
        aria-label="Test mode"
        className="group flex items-center gap-2 rounded-full px-2 py-1 text-sm font-medium text-body hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 dark:hover:bg-slate-800"
      >
        <span
          aria-hidden="true"
          className={`relative inline-flex h-5 w-9 shrink-0 rounded-full transition-colors ${livemode ? "bg-slate-300 dark:bg-slate-600" : "bg-amber-500"}`}
        >
          <span className={`absolute top-0.5 h-4 w-4 rounded-full bg-white shadow transition-all ${livemode ? "left-0.5" : "left-[1.125rem]"}`} />
        </span>
        <span className="hidden sm:inline">Test mode</span>
      </button>
    </form>
  );
}

/** Across the top of every page in test mode: impossible to miss, and one press from live. */
export function TestModeBanner({ back }: { back: string }) {
  const bound = switchModeAction.bind(null, null) as unknown as (form: FormData) => Promise<void>;
  return (
    // One line of a fixed height below lg, where the menu button sits under it (the layout's --banner-h).
    <div
      role="status"
      className="flex h-9 items-center justify-center gap-x-3 whitespace-nowrap bg-amber-400 px-4 text-center text-sm font-medium text-amber-950 lg:h-auto lg:flex-wrap lg:whitespace-normal lg:py-1.5"
      data-testid="test-mode-banner"
    >
      <span className="lg:hidden">
        <strong className="font-semibold">Test mode</strong> — no money moves
      </span>
      <span className="hidden lg:inline">
        <strong className="font-semibold">Test mode</strong> — you are looking at test data. Payments here are simulated; no money moves.
      </span>
      <form action={bound}>
        <input type="hidden" name="mode" value="live" />
        <input type="hidden" name="back" value={back} />
        <button type="submit" className="rounded underline underline-offset-2 hover:no-underline focus-visible:outline-2 focus-visible:outline-amber-950">
          Switch to live data
        </button>
      </form>
    </div>
  );
}
