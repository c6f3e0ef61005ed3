/**
 * What /docs/api adds to Scalar's page so it passes axe with no serious finding,
 * in light and dark: colours with 4.5:1 contrast, a language, and repairs to
 * markup Scalar renders without a name or with an attribute its role forbids.
 */

/**
 * Scalar's text and syntax colours, darker in light mode and lighter in dark mode
 * (the defaults measure 1.75–4.4:1). `:not(#_)` outranks the theme's own rules
 * whatever order the style sheets load in.
 */
export const accessibleReferenceCss = `
.light-mode:not(#_), .light-mode:not(#_) .dark-mode {
  --scalar-color-2: #5c5c5c;
  --scalar-color-3: #666666;
  --scalar-color-accent: #1d5fd0;
  --scalar-color-orange: #a8530e;
  --scalar-color-yellow: #856200;
  --scalar-color-green: #15703a;
  --scalar-color-red: #b91c1c;
  --scalar-color-blue: #1763a6;
  --scalar-color-purple: #7e22ce;
}
.dark-mode:not(#_) {
  --scalar-color-2: rgba(255, 255, 255, 0.72);
  --scalar-color-3: rgba(255, 255, 255, 0.64);
}
`;

/**
 * Runs in the page: Scalar (Vue) renders and re-renders its markup after load,
 * so each change is repaired as it lands. Only attributes are touched, and only
 * when they differ, so the observer never feeds itself.
 */
function repairReference() {
  const set = (el: Element, name: string, value: string | null) => {
    if (el.getAttribute(name) === value) return;
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, value);
  };
  const repair = () => {
    // A button that shows only an icon (its copy button's words are hidden while it is not hovered): name it.
    for (const b of document.querySelectorAll("button:not([aria-label]):not([aria-labelledby])")) {
      const label =
        b.getAttribute("role") === "search" ? "Search"
        : /copy/.test(b.className.toString()) ? "Copy"
        : b.id.startsWith("headlessui-popover") ? "More languages"
        : b.textContent?.trim() ? null
        : b.getAttribute("aria-controls") ? "Show or hide"
        : null;
      if (label) set(b, "aria-label", label);
    }
    // The sidebar marks its current item with aria-selected, which a plain button may not carry.
    for (const b of document.querySelectorAll("button[aria-selected]:not([role])")) {
      const current = b.getAttribute("aria-selected") === "true";
      set(b, "aria-current", current ? "true" : null);
      set(b, "aria-selected", null);
    }
    // A tablist holds tabs only: its overflow button ("more languages") becomes one.
    for (const b of document.querySelectorAll('[role="tablist"] button:not([role])')) set(b, "role", "tab");
    // Code that scrolls sideways must be reachable by keyboard to be read.
    for (const el of document.querySelectorAll("pre, pre > code, ul.endpoints")) {
      if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) set(el, "tabindex", "0");
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      repair();
    });
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-selected", "class"] });
  repair();
}

/** Scalar's HTML document in English, with the app's icon and the repairs running from the start. */
export function accessibleReferenceHtml(html: string): string {
  return html
    .replace(/<html(\s|>)/, '<html lang="en"$1')
    .replace("</head>", '<link rel="icon" href="/icon.svg" type="image/svg+xml" />\n</head>')
    .replace("</body>", `<script>(${repairReference.toString()})()</script>\n</body>`);
}
