/**
 * Load shedding for a handler: at most `maxInFlight` pieces of upstream work at once, a
 * short bounded queue behind them, and an immediate "no" past that. Under overload every
 * request then ends quickly, served or refused (503 + Retry-After), instead of all of them
 * slowing down together until browsers time out. A waiter whose client went away leaves
 * the queue at once and silently: it is not an error, and its slot goes to the next one.
 */

export interface ConcurrencyLimitOptions {
  /** Upstream work in flight at once (default 16). */
  maxInFlight?: number;
  /** Requests that may wait for a slot (default 32, two rounds of the default slots); one more is refused at once. */
  maxQueued?: number;
  /**
   * The longest a request waits for a slot, in ms (default 500); then it is refused. Half a
   * second leaves most of a 2 s budget for the upstream call itself.
   */
  maxWaitMs?: number;
  /** `Retry-After` of the refusal, in whole seconds (default 1). */
  retryAfterSeconds?: number;
}

export type Admission =
  | { admitted: true; release(): void }
  | { admitted: false; reason: 'queue_full' | 'wait_timeout' | 'aborted' };

export interface ConcurrencyLimiter {
  /** A slot, or why there is none. Never rejects. */
  acquire(signal?: AbortSignal): Promise<Admission>;
  readonly inFlight: number;
  readonly queued: number;
  readonly retryAfterSeconds: number;
}

interface Waiter {
  resolve(admission: Admission): void;
  timer: ReturnType<typeof setTimeout>;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export const defaultConcurrencyLimit = { maxInFlight: 16, maxQueued: 32, maxWaitMs: 500, retryAfterSeconds: 1 } as const;

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new TypeError(`concurrency.${name} must be an integer of at least ${min}, got ${value}`);
  return value;
}

export function createConcurrencyLimiter(options: ConcurrencyLimitOptions = {}): ConcurrencyLimiter {
  const maxInFlight = positiveInteger('maxInFlight', options.maxInFlight ?? defaultConcurrencyLimit.maxInFlight, 1);
  const maxQueued = positiveInteger('maxQueued', options.maxQueued ?? defaultConcurrencyLimit.maxQueued, 0);
  const maxWaitMs = positiveInteger('maxWaitMs', options.maxWaitMs ?? defaultConcurrencyLimit.maxWaitMs, 0);
  const retryAfterSeconds = positiveInteger('retryAfterSeconds', options.retryAfterSeconds ?? defaultConcurrencyLimit.retryAfterSeconds, 0);
  let inFlight = 0;
  const queue: Waiter[] = [];

  function leave(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
  }

  function grant(): Admission {
    inFlight += 1;
    let released = false;
    return {
      admitted: true,
      release() {
        // Idempotent: a double release must not open a slot that does not exist.
        if (released) return;
        released = true;
        inFlight -= 1;
        const next = queue[0];
        if (next && inFlight < maxInFlight) {
          leave(next);
          next.resolve(grant());
        }
      },
    };
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.resolve({ admitted: false, reason: 'aborted' });
      if (inFlight < maxInFlight && queue.length === 0) return Promise.resolve(grant());
      if (queue.length >= maxQueued) return Promise.resolve({ admitted: false, reason: 'queue_full' });
      return new Promise<Admission>((resolve) => {
        const waiter: Waiter = {
          resolve,
          signal,
          timer: setTimeout(() => {
            leave(waiter);
            resolve({ admitted: false, reason: 'wait_timeout' });
          }, maxWaitMs),
          onAbort: () => {
            leave(waiter);
            resolve({ admitted: false, reason: 'aborted' });
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
      });
    },
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return queue.length;
    },
    retryAfterSeconds,
  };
}
