import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/**
 * axe-core's serious and critical findings on the page as it is now, one line each: rule, then where.
 * First lets every finite CSS transition and animation end: right after a colour-scheme switch or a
 * toast, `transition-colors` is half-way between light and dark, and axe would measure that frame.
 * An element that is not rendered (inside a closed `<details>`) never runs its transition, so it is
 * not waited for: it would never finish.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY))
        .filter((a) => {
          const target = a.effect instanceof KeyframeEffect ? a.effect.target : null;
          return !target || target.checkVisibility();
        })
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
