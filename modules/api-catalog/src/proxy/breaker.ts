// One circuit breaker per upstream origin. Closed: calls pass; `threshold` consecutive
// failures (connection errors, timeouts, 5xx answers) open it. Open: calls fail fast (the
// gateway answers 503) until `openMs` has passed; then half-open: ONE probe call passes
// (the others still fail fast); its success closes the breaker, its failure opens it again.
export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  threshold?: number;
  /** How long it stays open before a probe (default 5 s). */
  openMs?: number;
  now?: () => number;
}

export class CircuitBreaker {
  #state: BreakerState = "closed";
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #threshold: number;
  readonly #openMs: number;
  readonly #now: () => number;

  constructor(options: BreakerOptions = {}) {
    this.#threshold = options.threshold ?? 5;
    this.#openMs = options.openMs ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a call may go out now; `probe` marks the half-open trial call. */
  acquire(): { allowed: true; probe: boolean } | { allowed: false; retryAfterSeconds: number } {
    if (this.#state === "closed") return { allowed: true, probe: false };
    const waited = this.#now() - this.#openedAt;
    if (this.#state === "open" && waited >= this.#openMs) this.#state = "half-open";
    if (this.#state === "half-open" && !this.#probing) {
      this.#probing = true;
      return { allowed: true, probe: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((this.#openMs - waited) / 1000)),
    };
  }

  success(): void {
    this.#failures = 0;
    this.#probing = false;
    this.#state = "closed";
  }

  failure(): void {
    this.#probing = false;
    this.#failures += 1;
    if (this.#state === "half-open" || this.#failures >= this.#threshold) {
      this.#state = "open";
      this.#openedAt = this.#now();
    }
  }
}

/** The breakers of every upstream origin a gateway process calls. */
export class Breakers {
  readonly #byOrigin = new Map<string, CircuitBreaker>();
  constructor(private readonly options: BreakerOptions = {}) {}

  for(origin: string): CircuitBreaker {
    let breaker = this.#byOrigin.get(origin);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options);
      this.#byOrigin.set(origin, breaker);
    }
    return breaker;
  }

  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.#byOrigin].map(([origin, b]) => [origin, b.state]));
  }
}
