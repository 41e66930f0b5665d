/**
 * One HTTP exchange with Ledyer, with a timeout per attempt, the caller's AbortSignal, and
 * retries on the failures that may be transient (retry-policy.ts): no answer (network
 * error, dropped connection, timeout), 408, 429 and 5xx, after Ledyer's `Retry-After` or a
 * jittered exponential backoff. Any other 4xx is an answer about the request itself, so
 * sending it again cannot help; it comes back at once.
 *
 * The caller builds the headers once, so every retry of a write carries the same
 * Idempotency-Key and Ledyer applies the write at most once (LEDYER.md, "Server side").
 *
 * This is our own loop rather than a retry library: p-retry and friends know nothing of
 * `Retry-After`, and ky (which does) would bring its own timeouts, hooks and error types
 * where we need one per-attempt deadline that covers the body, redacted errors and a
 * sleep and clock that tests inject.
 */
import { LedyerApiError, type Redactor } from './errors.js';
import { decideRetry, parseRetryAfter, type RetryPolicy } from './retry-policy.js';

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Waits `ms`, or rejects when `signal` aborts first. Injectable so tests never sleep for real. */
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface TransportOptions extends RetryPolicy {
  fetch: FetchFunction;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  redactor: Redactor;
  /** For `Retry-After` dates. */
  now: () => number;
  /** In [0, 1), for the backoff's jitter. */
  random: () => number;
  sleep: SleepFunction;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** `METHOD /path`, for error messages (never the host, query or headers). */
  endpoint: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
}

/** Any HTTP answer. A retryable status only once retrying stopped (see `gaveUp`). */
export interface TransportResponse {
  status: number;
  headers: Headers;
  text: string;
  /** How many attempts were made. */
  attempts: number;
  /** Ledyer's `Retry-After` on this answer, in ms, if it sent one. */
  retryAfterMs: number | null;
  /** Why a retryable answer was not retried: no attempts left, or a `Retry-After` over the cap. */
  gaveUp: 'attempts_exhausted' | 'retry_after_too_long' | null;
}

type Attempt =
  | { kind: 'response'; response: { status: number; headers: Headers; text: string } }
  | { kind: 'network'; error: unknown }
  | { kind: 'timeout' };

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

export function createTransport(options: TransportOptions): Transport {
  const { redactor } = options;

  function abortedError(request: TransportRequest): LedyerApiError {
    return new LedyerApiError({
      code: 'aborted',
      message: `${request.endpoint} was aborted by the caller`,
      retryable: true,
      endpoint: request.endpoint,
      cause: redactor.error(request.signal?.reason),
    });
  }

  async function attemptOnce(request: TransportRequest): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const response = await options.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: controller.signal,
        // Ledyer's API does not redirect; following one would send the bearer token elsewhere.
        redirect: 'manual',
      });
      // Reading the body is inside the timeout too: a server may send headers and then stall.
      const text = await response.text();
      return { kind: 'response', response: { status: response.status, headers: response.headers, text } };
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(request);
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'network', error };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function pause(ms: number, request: TransportRequest): Promise<void> {
    try {
      await options.sleep(ms, request.signal);
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(request);
      throw error;
    }
    if (request.signal?.aborted) throw abortedError(request);
  }

  async function send(request: TransportRequest): Promise<TransportResponse> {
    for (let attempt = 0; ; attempt += 1) {
      if (request.signal?.aborted) throw abortedError(request);
      const outcome = await attemptOnce(request);
      const status = outcome.kind === 'response' ? outcome.response.status : null;
      const retryAfterMs = outcome.kind === 'response' ? parseRetryAfter(outcome.response.headers.get('retry-after'), options.now()) : null;
      const decision = decideRetry({ status, retryAfterMs }, attempt, options, options.random);
      if (decision.retry) {
        await pause(decision.delayMs, request);
        continue;
      }
      const gaveUp = decision.reason === 'not_retryable' ? null : decision.reason;
      return finish(outcome, request, { attempts: attempt + 1, retryAfterMs, gaveUp });
    }
  }

  function finish(
    outcome: Attempt,
    request: TransportRequest,
    meta: Pick<TransportResponse, 'attempts' | 'retryAfterMs' | 'gaveUp'>,
  ): TransportResponse {
    const tries = meta.attempts === 1 ? '1 attempt' : `${meta.attempts} attempts`;
    switch (outcome.kind) {
      case 'response':
        return { ...outcome.response, ...meta };
      case 'timeout':
        return fail('timeout', `${request.endpoint}: no answer from Ledyer within ${options.timeoutMs} ms (${tries})`);
      case 'network':
        return fail('network_error', `${request.endpoint}: could not reach Ledyer (${tries})`, redactor.error(outcome.error));
    }
    function fail(code: 'timeout' | 'network_error', message: string, cause?: Error): never {
      throw new LedyerApiError({ code, message, retryable: true, endpoint: request.endpoint, cause });
    }
  }

  return { send };
}

/** `setTimeout` as a promise that an AbortSignal cancels. */
export const realSleep: SleepFunction = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
