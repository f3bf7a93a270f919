// When to try again after a failure: exponential backoff with full jitter up
// to a cap. The receiver keeps one for the socket and one for queue sends.

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/** A random delay in [cap/2, cap], cap = min(max, base·2^attempt). */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs }: BackoffSettings,
  random = Math.random,
): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export class ReconnectPolicy {
  /** Failures since the last success. */
  attempts = 0;

  constructor(
    private settings: BackoffSettings,
    private readonly random: () => number = Math.random,
  ) {}

  configure(settings: BackoffSettings): void {
    this.settings = settings;
  }

  /** The delay before the next try; each call counts one more failure. */
  nextDelay(): number {
    return backoffDelay(this.attempts++, this.settings, this.random);
  }

  /** A success (or a connection that stayed up long enough): start over from the base delay. */
  reset(): void {
    this.attempts = 0;
  }
}
