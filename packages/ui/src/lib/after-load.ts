// Work no first paint needs (the real menus, toasts, dialogs' code) waits for the page's `load`
// event and then for an idle moment, so it never competes with the page's own JavaScript and
// is never part of its first-load bytes (scripts/page-weight.ts counts what loads before `load`).

/** Runs `task` once the page has loaded and the main thread is idle; returns the cancel. */
export function afterLoadWhenIdle(task: () => void): () => void {
  let cancelIdle = () => {};
  const schedule = () => {
    // Safari has no requestIdleCallback: a timer there.
    if (typeof window.requestIdleCallback === "function") {
      const handle = window.requestIdleCallback(task, { timeout: 4000 });
      cancelIdle = () => window.cancelIdleCallback(handle);
    } else {
      const handle = window.setTimeout(task, 1500);
      cancelIdle = () => window.clearTimeout(handle);
    }
  };
  if (document.readyState === "complete") {
    schedule();
    return () => cancelIdle();
  }
  window.addEventListener("load", schedule, { once: true });
  return () => {
    window.removeEventListener("load", schedule);
    cancelIdle();
  };
}

/**
 * Resolves at the page's `load` event (at once if it has passed). Heavy code that no first
 * paint needs but the page shows soon after — the charts (recharts) — starts loading then, so
 * it never delays the page's own scripts nor its load event; its skeleton shows until then.
 */
export function pageLoaded(): Promise<void> {
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("load", () => resolve(), { once: true }));
}
