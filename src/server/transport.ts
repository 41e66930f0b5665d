/**
 * One HTTP exchange with Ledyer, with a timeout per attempt, the caller's AbortSignal, and
 * retries with exponential backoff on the failures that may be transient: no answer
 * (network error, dropped connection, timeout) and 5xx. A 4xx is an answer about the
 * request itself, so sending it again cannot help; it comes back at once.
 *
 * The caller builds the headers once, so every retry of a write carries the same
 * Idempotency-Key and Ledyer applies the write at most once (LEDYER.md, "Server side").
 */
import { LedyerApiError, type Redactor } from './errors.js';

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchFunction;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  /** Extra attempts after the first. */
  retries: number;
  /** Delay before the first retry; it doubles for each further one. */
  retryDelayMs: number;
  redactor: Redactor;
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

/** Any HTTP answer. 5xx only after the retries ran out. */
export interface TransportResponse {
  status: number;
  headers: Headers;
  text: string;
}

type Attempt =
  | { kind: 'response'; response: TransportResponse }
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

  function backoff(attempt: number, request: TransportRequest): Promise<void> {
    const delay = options.retryDelayMs * 2 ** attempt;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortedError(request));
      };
      const timer = setTimeout(() => {
        request.signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      request.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function send(request: TransportRequest): Promise<TransportResponse> {
    for (let attempt = 0; ; attempt += 1) {
      if (request.signal?.aborted) throw abortedError(request);
      const outcome = await attemptOnce(request);
      const transient = outcome.kind !== 'response' || outcome.response.status >= 500;
      if (!transient || attempt >= options.retries) return finish(outcome, request, attempt + 1);
      await backoff(attempt, request);
    }
  }

  function finish(outcome: Attempt, request: TransportRequest, attempts: number): TransportResponse {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    switch (outcome.kind) {
      case 'response':
        return outcome.response;
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
