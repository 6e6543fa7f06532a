// Timeouts and cancellation as one AbortSignal whose reason says which one fired.
import { type StepTimeoutError, type TestTimeoutError } from "./errors.ts";

export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer; call when the guarded work is over. */
  clear(): void;
}

export function deadline(
  parent: AbortSignal,
  timeoutMs: number,
  reason: () => StepTimeoutError | TestTimeoutError,
): Deadline {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", onParentAbort, { once: true });
  const timer = setTimeout(() => controller.abort(reason()), timeoutMs);
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Rejects with the signal's reason as soon as it aborts (for APIs that take no signal). */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
