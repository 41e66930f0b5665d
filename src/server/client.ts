/**
 * `createLedyerClient`: typed calls to Ledyer's session and order API (LEDYER.md, "Server
 * side"). Every input is parsed before anything is sent, every answer is parsed before it
 * is returned, and every failure is a `LedyerValidationError` or a `LedyerApiError`.
 */
import { z } from 'zod';
import { basicCredentials } from './basic-auth.js';
import { LedyerApiError, LedyerValidationError, NothingToCaptureError, createRedactor, type LedyerErrorDetail } from './errors.js';
import { ledgerIdSchema, orderIdSchema } from './path-ids.js';
import { remainingCaptureBody } from './remaining-capture.js';
import { isRetryableStatus } from './retry-policy.js';
import { createTokenCache, type IssuedToken } from './token-cache.js';
import { createTransport, realSleep, type FetchFunction, type SleepFunction, type TransportResponse } from './transport.js';
import {
  captureOrderRequestSchema,
  createSessionRequestSchema,
  createSessionResponseSchema,
  editOrderRequestSchema,
  ledyerErrorBodySchema,
  orderSchema,
  partialCaptureOrderRequestSchema,
  partialRefundOrderRequestSchema,
  paymentStatusSchema,
  sessionSchema,
  setOrderReferenceRequestSchema,
  updateSessionRequestSchema,
  updateSessionResponseSchema,
  type CaptureOrderRequestInput,
  type CreateSessionRequestInput,
  type CreateSessionResponse,
  type EditOrderRequestInput,
  type Order,
  type PartialCaptureOrderRequestInput,
  type PartialRefundOrderRequestInput,
  type PaymentStatus,
  type Session,
  type UpdateSessionRequestInput,
  type UpdateSessionResponse,
} from './schemas.js';

export type LedyerEnvironment = 'sandbox' | 'production';

export interface LedyerClientOptions {
  clientId: string;
  clientSecret: string;
  environment: LedyerEnvironment;
  /** Override both hosts, e.g. for the local sandbox: `{ api: 'http://127.0.0.1:4010', auth: 'http://127.0.0.1:4010' }`. */
  baseUrls?: { api: string; auth: string };
  /** Defaults to the global `fetch`. */
  fetch?: FetchFunction;
  /** Per attempt, in ms (default 10000). */
  timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 408, 429 and 5xx (default 4, as Ledyer's own plugin). */
  retries?: number;
  /** Backoff base in ms (default 500): retry n waits a random time up to `retryDelayMs × 2^(n-1)` (full jitter). */
  retryDelayMs?: number;
  /** The backoff's longest wait in ms (default 30000). */
  maxRetryDelayMs?: number;
  /** The longest `Retry-After` waited out inside a call, in ms (default 30000); a longer one fails the call at once, retryable. */
  maxRetryAfterMs?: number;
  /** Clock for token expiry and `Retry-After` dates, in ms (default `Date.now`). */
  now?: () => number;
  /** Source of the backoff's jitter, in [0, 1) (default `Math.random`). For tests. */
  random?: () => number;
  /** How the client waits between attempts (default `setTimeout`). For tests: record the waits instead of sleeping. */
  sleep?: SleepFunction;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /** Sent as `Idempotency-Key`; a new UUID v4 when left out. Reuse it to retry a write safely. */
  idempotencyKey?: string;
}

/**
 * Ledyer's session and order API. Every write sends an `Idempotency-Key` (the caller's or a
 * new UUID v4) and is retried with it; every body is parsed before anything is sent.
 */
export interface LedyerClient {
  createSession(body: CreateSessionRequestInput, options?: WriteOptions): Promise<CreateSessionResponse>;
  /** `orderId` is the one from create session: Ledyer's plugins address sessions by it. */
  getSession(orderId: string, options?: CallOptions): Promise<Session>;
  /** The three totals are required; every field left out keeps its value (Ledyer's docs). */
  updateSession(orderId: string, body: UpdateSessionRequestInput, options?: WriteOptions): Promise<UpdateSessionResponse>;
  getOrder(orderId: string, options?: CallOptions): Promise<Order>;
  editOrder(orderId: string, body: EditOrderRequestInput, options?: WriteOptions): Promise<Order>;
  getPaymentStatus(orderId: string, options?: CallOptions): Promise<PaymentStatus>;
  /** Ledyer's checklist: acknowledge every order after its notification (an advance invoice cannot be captured before). Any 2xx is done. */
  acknowledgeOrder(orderId: string, options?: WriteOptions): Promise<void>;
  /** The shop's order number, printed on the invoice; at most 50 characters. */
  setOrderReference(orderId: string, reference: string, options?: WriteOptions): Promise<void>;
  /**
   * Captures what remains uncaptured. Without `body` the client reads the order and sends its
   * remaining lines and their total; with one, that body is sent as it is. Answers the order.
   * Rejects with `NothingToCaptureError` when the order has no uncaptured lines.
   */
  captureOrder(orderId: string, body?: CaptureOrderRequestInput, options?: WriteOptions): Promise<Order>;
  /** Captures part of the remaining lines, e.g. what shipped. Answers the order. */
  partialCaptureOrder(orderId: string, body: PartialCaptureOrderRequestInput, options?: WriteOptions): Promise<Order>;
  /** Refunds the whole captured ledger `ledgerId` (from `order.captured[].ledgerId`). */
  refundOrder(orderId: string, ledgerId: string, options?: WriteOptions): Promise<void>;
  /** Refunds part of a captured ledger; amounts are positive, as Ledyer's order-management plugin sends them. */
  partialRefundOrder(orderId: string, ledgerId: string, body: PartialRefundOrderRequestInput, options?: WriteOptions): Promise<void>;
  /** Cancels what is uncaptured; Ledyer allows it only while nothing is captured. */
  cancelOrder(orderId: string, options?: WriteOptions): Promise<void>;
  /** Pushes the order's `expiresAt` out (how far is Ledyer's to say). */
  extendOrderExpiry(orderId: string, options?: WriteOptions): Promise<void>;
}

const productionHosts: Record<LedyerEnvironment, string> = { sandbox: 'sandbox', production: 'live' };

const clientOptionsSchema = z.object({
  clientId: z.string('clientId must be a string').min(1, 'clientId must not be empty'),
  clientSecret: z.string('clientSecret must be a string').min(1, 'clientSecret must not be empty'),
  environment: z.enum(['sandbox', 'production'], 'environment must be "sandbox" or "production"'),
  baseUrls: z
    .object({
      api: z.url({ protocol: /^https?$/, error: 'baseUrls.api must be an http(s) URL' }),
      auth: z.url({ protocol: /^https?$/, error: 'baseUrls.auth must be an http(s) URL' }),
    })
    .optional(),
  timeoutMs: z.number().int().positive('timeoutMs must be a positive integer').optional(),
  retries: z.number().int().min(0, 'retries must be 0 or more').max(10, 'retries must be at most 10').optional(),
  retryDelayMs: z.number().min(0, 'retryDelayMs must be 0 or more').optional(),
  maxRetryDelayMs: z.number().min(0, 'maxRetryDelayMs must be 0 or more').optional(),
  maxRetryAfterMs: z.number().min(0, 'maxRetryAfterMs must be 0 or more').optional(),
});

// Header-safe: visible ASCII only, so it can never smuggle a second header.
const idempotencyKeySchema = z
  .string('idempotencyKey must be a string')
  .min(1, 'idempotencyKey must not be empty')
  .max(255, 'idempotencyKey must be at most 255 characters')
  .regex(/^[\x21-\x7e]+$/, 'idempotencyKey must be visible ASCII without spaces (a UUID v4 is recommended)');

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string, path: Array<string | number> = []): T {
  const result = schema.safeParse(value);
  if (!result.success) throw LedyerValidationError.fromZod(what, result.error, path);
  return result.data;
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/**
 * Creates a client. Throws `LedyerValidationError` at once for a misconfiguration (missing
 * credentials, unknown environment); everything later is a rejected promise.
 */
export function createLedyerClient(options: LedyerClientOptions): LedyerClient {
  // The parsed copy never appears in the error: zod messages name the field, not its value.
  parseOrThrow(clientOptionsSchema, options, 'createLedyerClient options');
  const host = productionHosts[options.environment];
  const apiBase = withSlash(options.baseUrls?.api ?? `https://api.${host}.ledyer.com/`);
  const authBase = withSlash(options.baseUrls?.auth ?? `https://auth.${host}.ledyer.com/`);
  const basic = basicCredentials(options.clientId, options.clientSecret);
  const redactor = createRedactor([options.clientId, options.clientSecret, basic]);
  const now = options.now ?? Date.now;
  const transport = createTransport({
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 4,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    redactor,
    now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? realSleep,
  });

  async function requestToken(): Promise<IssuedToken> {
    const endpoint = 'POST /oauth/token';
    const response = await transport.send({
      method: 'POST',
      url: new URL('oauth/token', authBase).href,
      endpoint,
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    // 408 and 429 are about timing, not the credentials.
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      throw new LedyerApiError({
        code: 'unauthorized',
        status: response.status,
        // The body of a refused token request is not kept: it is about our credentials.
        message: `Ledyer refused the client credentials (${endpoint} answered ${response.status})`,
        retryable: false,
        endpoint,
      });
    }
    if (response.status < 200 || response.status >= 300) throw upstreamError(response, endpoint);
    // The body holds the token: on a mismatch, name the fields and nothing of their values.
    const body = parseJson(response.text);
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) throw invalidResponse(endpoint, response.status, parsed.error, false);
    redactor.add(parsed.data.access_token);
    return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
  }

  const tokens = createTokenCache({ requestToken, now });

  function upstreamError(response: TransportResponse, endpoint: string): LedyerApiError {
    const body = ledyerErrorBodySchema.safeParse(parseJson(response.text));
    const errors: LedyerErrorDetail[] = body.success ? redactor.data(body.data.errors) : [];
    const first = errors[0]?.message;
    const status = response.status;
    const tries = response.attempts === 1 ? '' : ` (${response.attempts} attempts)`;
    const wait =
      response.gaveUp === 'retry_after_too_long' && response.retryAfterMs !== null
        ? `; Ledyer asks to wait ${Math.ceil(response.retryAfterMs / 1000)} s (Retry-After), longer than maxRetryAfterMs, so it was not retried`
        : '';
    return new LedyerApiError({
      code: status >= 500 ? 'ledyer_unavailable' : 'ledyer_rejected',
      status,
      errors,
      message: `${endpoint}: Ledyer answered ${status}${first ? `: ${first}` : ''}${tries}${wait}`,
      // 408 and 429 are about timing, not about the request; the rest of 4xx will fail again.
      retryable: isRetryableStatus(status),
      endpoint,
      retryAfterMs: response.retryAfterMs ?? undefined,
    });
  }

  function invalidResponse(endpoint: string, status: number, error: z.ZodError | null, write: boolean): LedyerApiError {
    const where = error
      ? `at ${[...new Set(error.issues.map((issue) => issue.path.join('.') || '(root)'))].slice(0, 10).join(', ')}`
      : 'it is not JSON';
    return new LedyerApiError({
      code: 'invalid_response',
      status,
      message:
        `${endpoint}: Ledyer's answer (${status}) does not have the documented shape (${where})` +
        (write ? '; the write may have been applied, so retry it only with the same idempotencyKey' : ''),
      retryable: false,
      endpoint,
    });
  }

  interface CallSpec<T> {
    method: 'GET' | 'POST' | 'DELETE';
    path: string;
    endpoint: string;
    body?: unknown;
    response: z.ZodType<T> | null;
    write: boolean;
    idempotencyKey?: string | undefined;
    signal?: AbortSignal | undefined;
  }

  async function call<T>(spec: CallSpec<T>): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (spec.write) headers['idempotency-key'] = spec.idempotencyKey ?? crypto.randomUUID();
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    let refreshed = false;
    for (;;) {
      const token = await tokenFor(spec);
      const response = await transport.send({
        method: spec.method,
        url: new URL(spec.path, apiBase).href,
        endpoint: spec.endpoint,
        headers: { ...headers, authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body }),
        signal: spec.signal,
      });
      if (response.status === 401) {
        tokens.invalidate(token);
        // One refresh: a second 401 with a brand-new token means the credentials lack access.
        if (!refreshed) {
          refreshed = true;
          continue;
        }
        throw new LedyerApiError({
          code: 'unauthorized',
          status: 401,
          message: `${spec.endpoint}: Ledyer refused a freshly issued token (check the client's access)`,
          retryable: false,
          endpoint: spec.endpoint,
        });
      }
      if (response.status < 200 || response.status >= 300) throw upstreamError(response, spec.endpoint);
      if (spec.response === null) return undefined as T;
      const json = parseJson(response.text);
      if (json === invalidJson) throw invalidResponse(spec.endpoint, response.status, null, spec.write);
      const parsed = spec.response.safeParse(json);
      if (!parsed.success) throw invalidResponse(spec.endpoint, response.status, parsed.error, spec.write);
      return parsed.data;
    }
  }

  async function tokenFor(spec: CallSpec<unknown>): Promise<string> {
    try {
      return await tokens.get(spec.signal);
    } catch (error) {
      if (error instanceof LedyerApiError) throw error;
      if (spec.signal?.aborted) {
        throw new LedyerApiError({
          code: 'aborted',
          message: `${spec.endpoint} was aborted by the caller`,
          retryable: true,
          endpoint: spec.endpoint,
          cause: redactor.error(spec.signal.reason),
        });
      }
      throw error;
    }
  }

  function orderPath(orderId: unknown, suffix = ''): { path: string; id: string } {
    const id = parseOrThrow(orderIdSchema, orderId, 'orderId', ['orderId']);
    return { path: `v1/orders/${encodeURIComponent(id)}${suffix}`, id };
  }

  function ledgerSegment(ledgerId: unknown): { path: string; id: string } {
    const id = parseOrThrow(ledgerIdSchema, ledgerId, 'ledgerId', ['ledgerId']);
    return { path: encodeURIComponent(id), id };
  }

  function writeKey(options: WriteOptions | undefined): string | undefined {
    return options?.idempotencyKey === undefined
      ? undefined
      : parseOrThrow(idempotencyKeySchema, options.idempotencyKey, 'idempotencyKey', ['idempotencyKey']);
  }

  /**
   * A write to `v1/orders/{orderId}{suffix}`. Every input (ids, key, body) is checked before
   * the first byte is sent, so a refused input never reaches Ledyer.
   */
  function orderWrite<T>(
    orderId: unknown,
    suffix: string | ((id: string) => { path: string; label: string }),
    body: unknown,
    response: z.ZodType<T> | null,
    opts: WriteOptions | undefined,
    method: 'POST' | 'DELETE' = 'POST',
  ): Promise<T> {
    const { path: base, id } = orderPath(orderId);
    const tail = typeof suffix === 'string' ? { path: suffix, label: suffix } : suffix(id);
    return call({
      method,
      path: `${base}${tail.path}`,
      endpoint: `${method} /v1/orders/${id}${tail.label}`,
      ...(body === undefined ? {} : { body }),
      response,
      write: true,
      idempotencyKey: writeKey(opts),
      signal: opts?.signal,
    });
  }

  /** `/refund/{ledgerId}` and `/partialrefund/{ledgerId}`, with the ledger id checked like an order id. */
  const ledgerSuffix = (action: string, ledgerId: unknown) => {
    const ledger = ledgerSegment(ledgerId);
    return () => ({ path: `/${action}/${ledger.path}`, label: `/${action}/${ledger.id}` });
  };

  // Each method turns synchronously-thrown input errors into a rejection, so callers only
  // ever handle one channel.
  const reject = <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return run();
    } catch (error) {
      return Promise.reject(error);
    }
  };

  async function captureRemaining(orderId: unknown, opts: WriteOptions | undefined): Promise<Order> {
    // Check everything of ours before reading the order, so nothing is sent for a bad input.
    const { id } = orderPath(orderId);
    writeKey(opts);
    const order = await client.getOrder(id, opts?.signal ? { signal: opts.signal } : {});
    const remaining = remainingCaptureBody(order);
    if (!remaining) throw new NothingToCaptureError({ orderId: id, orderStatus: order.status, endpoint: `POST /v1/orders/${id}/capture` });
    const body = parseOrThrow(captureOrderRequestSchema, remaining, "captureOrder body (built from the order's uncaptured lines)");
    return orderWrite(id, '/capture', body, orderSchema, opts);
  }

  const client: LedyerClient = {
    createSession: (body, opts) =>
      reject(() =>
        call({
          method: 'POST',
          path: 'v1/sessions',
          endpoint: 'POST /v1/sessions',
          body: parseOrThrow(createSessionRequestSchema, body, 'createSession body'),
          response: createSessionResponseSchema,
          write: true,
          idempotencyKey: writeKey(opts),
          signal: opts?.signal,
        }),
      ),
    getSession: (orderId, opts) =>
      reject(() => {
        const { id } = orderPath(orderId);
        return call({
          method: 'GET',
          path: `v1/sessions/${encodeURIComponent(id)}`,
          endpoint: `GET /v1/sessions/${id}`,
          response: sessionSchema,
          write: false,
          signal: opts?.signal,
        });
      }),
    updateSession: (orderId, body, opts) =>
      reject(() => {
        const { id } = orderPath(orderId);
        return call({
          method: 'POST',
          path: `v1/sessions/${encodeURIComponent(id)}`,
          endpoint: `POST /v1/sessions/${id}`,
          body: parseOrThrow(updateSessionRequestSchema, body, 'updateSession body'),
          response: updateSessionResponseSchema,
          write: true,
          idempotencyKey: writeKey(opts),
          signal: opts?.signal,
        });
      }),
    getOrder: (orderId, opts) =>
      reject(() => {
        const { path, id } = orderPath(orderId);
        return call({ method: 'GET', path, endpoint: `GET /v1/orders/${id}`, response: orderSchema, write: false, signal: opts?.signal });
      }),
    editOrder: (orderId, body, opts) =>
      reject(() => orderWrite(orderId, '', parseOrThrow(editOrderRequestSchema, body, 'editOrder body'), orderSchema, opts)),
    getPaymentStatus: (orderId, opts) =>
      reject(() => {
        const { path, id } = orderPath(orderId, '/paymentstatus');
        return call({
          method: 'GET',
          path,
          endpoint: `GET /v1/orders/${id}/paymentstatus`,
          response: paymentStatusSchema,
          write: false,
          signal: opts?.signal,
        });
      }),
    // Ledyer may answer 201 with no body (omnipay-ledyer expects 201): any 2xx is done.
    acknowledgeOrder: (orderId, opts) => reject(() => orderWrite<void>(orderId, '/acknowledge', undefined, null, opts)),
    setOrderReference: (orderId, reference, opts) =>
      reject(() =>
        orderWrite<void>(orderId, '/reference', parseOrThrow(setOrderReferenceRequestSchema, { reference }, 'setOrderReference'), null, opts),
      ),
    captureOrder: (orderId, body, opts) =>
      reject(() =>
        body === undefined
          ? captureRemaining(orderId, opts)
          : orderWrite(orderId, '/capture', parseOrThrow(captureOrderRequestSchema, body, 'captureOrder body'), orderSchema, opts),
      ),
    partialCaptureOrder: (orderId, body, opts) =>
      reject(() =>
        orderWrite(orderId, '/partialcapture', parseOrThrow(partialCaptureOrderRequestSchema, body, 'partialCaptureOrder body'), orderSchema, opts),
      ),
    // Ledyer documents no answer body for refunds: any 2xx is done.
    refundOrder: (orderId, ledgerId, opts) => reject(() => orderWrite<void>(orderId, ledgerSuffix('refund', ledgerId), undefined, null, opts)),
    partialRefundOrder: (orderId, ledgerId, body, opts) =>
      reject(() => {
        const suffix = ledgerSuffix('partialrefund', ledgerId);
        return orderWrite<void>(orderId, suffix, parseOrThrow(partialRefundOrderRequestSchema, body, 'partialRefundOrder body'), null, opts);
      }),
    // Ledyer documents no answer body for a cancel: any 2xx is done.
    cancelOrder: (orderId, opts) => reject(() => orderWrite<void>(orderId, '', undefined, null, opts, 'DELETE')),
    extendOrderExpiry: (orderId, opts) => reject(() => orderWrite<void>(orderId, '/extendexpiry', undefined, null, opts)),
  };
  return client;
}

const invalidJson: unique symbol = Symbol('invalid JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return invalidJson;
  }
}
