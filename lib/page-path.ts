/** The path of the page being shown, set by proxy.ts on every page request (never taken from the caller): the dashboard shell's mode switch comes back to it. */
export const PAGE_PATH_HEADER = "x-settle-page";
