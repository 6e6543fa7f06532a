// Light / dark / system theme without a flash: the choice lives in a cookie, so the server
// renders <html class="dark"> for an explicit dark choice; for "system" a tiny inline script
// (given the request's CSP nonce by the root layout) applies the OS preference before the
// first paint and follows it when it changes.

export const THEME_COOKIE = "plinth-theme";
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export function parseTheme(value: string | undefined | null): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** Runs in <head> before anything paints. Plain ES5: it is not transpiled. */
export const themeScript = `(function(){try{var d=document.documentElement,m=window.matchMedia("(prefers-color-scheme: dark)");function t(){var c=document.cookie.match(/(?:^|; )${THEME_COOKIE}=(light|dark)/);return c?c[1]:"system"}function a(){var v=t();d.classList.toggle("dark",v==="dark"||(v==="system"&&m.matches));d.style.colorScheme=d.classList.contains("dark")?"dark":"light"}a();m.addEventListener("change",a)}catch(e){}})()`;

/** Stores the choice for a year and applies it at once (the toggle). */
export function setTheme(theme: Theme): void {
  document.cookie =
    theme === "system"
      ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax`
      : `${THEME_COOKIE}=${theme}; path=/; max-age=31536000; samesite=lax`;
  const dark =
    theme === "dark" ||
    (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
  window.dispatchEvent(new Event("plinth-theme"));
}

export function currentTheme(): Theme {
  const match = /(?:^|; )plinth-theme=(light|dark)/.exec(document.cookie);
  return parseTheme(match?.[1]);
}
