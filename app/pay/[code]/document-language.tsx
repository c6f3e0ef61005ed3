"use client";

import { useEffect } from "react";

/**
 * Puts the checkout's language on <html> when the page arrives without a new
 * document: the sandbox provider's buttons are server actions, and Next renders
 * the checkout they return to under the root layout it already has (the
 * sandbox's English, left to right). A full page load gets it from the server.
 */
export function DocumentLanguage({ lang, dir }: { lang: string; dir: "ltr" | "rtl" }) {
  useEffect(() => {
    const root = document.documentElement;
    root.lang = lang;
    root.dir = dir;
  }, [lang, dir]);
  return null;
}
