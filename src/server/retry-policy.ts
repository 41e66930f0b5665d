/**
 * When to send a request to Ledyer again, and how long to wait first. Pure functions, so
 * the policy is tested without a clock or a network.
 *
 * - No answer (network error, timeout), 408, 429 and 5xx may succeed later; any other
 *   status is an answer about the request itself and comes back at once.
 * - The wait is Ledyer's `Retry-After` when it sends one (seconds or an HTTP date), else
 *   exponential backoff with full jitter: a random wait between 0 and
 *   `min(maxRetryDelayMs, retryDelayMs × 2^attempt)`, so many clients that failed together
 *   do not come back together.
 * - A `Retry-After` longer than `maxRetryAfterMs` is not waited out inside a call: the call
 *   fails at once, marked retryable, with `retryAfterMs` for the caller to schedule it.
 */

export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  /** The backoff's base: the cap of the first retry's random wait. */
  retryDelayMs: number;
  /** The backoff never waits longer than this. */
  maxRetryDelayMs: number;
  /** The longest `Retry-After` honoured inside one call. */
  maxRetryAfterMs: number;
}

/** Statuses worth sending again: about timing or Ledyer's own state, not about the request. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * `Retry-After` in ms: delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`),
 * or null when absent or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names a weekday and GMT; a bare number or "soon" is not one.
  if (!/GMT$/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Full-jitter backoff before retry number `attempt + 1` (`attempt` counts from 0); `random` is in [0, 1). */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'retryDelayMs' | 'maxRetryDelayMs'>, random: () => number): number {
  const ceiling = Math.min(policy.maxRetryDelayMs, policy.retryDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long' };

/**
 * What to do after attempt number `attempt` (from 0) failed transiently or answered
 * `status`. `retryAfterMs` is the parsed header of that answer, if any.
 */
export function decideRetry(
  outcome: { status: number | null; retryAfterMs: number | null },
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (outcome.status !== null && !isRetryableStatus(outcome.status)) return { retry: false, reason: 'not_retryable' };
  if (attempt >= policy.retries) return { retry: false, reason: 'attempts_exhausted' };
  if (outcome.retryAfterMs !== null) {
    if (outcome.retryAfterMs > policy.maxRetryAfterMs) return { retry: false, reason: 'retry_after_too_long' };
    return { retry: true, delayMs: outcome.retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelay(attempt, policy, random) };
}
