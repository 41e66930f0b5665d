/**
 * `createCheckoutHandler`: the merchant's own checkout endpoint, three routes under one
 * `basePath` (default `/api/checkout/session`):
 *
 *   POST {basePath}            { items }  → create a session   → { sessionId, orderId, expiresAt }
 *   POST {basePath}/{orderId}  { items }  → the cart changed   → { sessionId, orderId, replaced, expiresAt? }
 *   GET  {basePath}/{orderId}             → the real state     → { orderId, state, paymentStatus, paymentMethod }
 *
 * The browser posts what it wants and never a price: `resolveOrder` prices the (merged)
 * items from the merchant's catalogue, and anything else the browser sends is ignored, so a
 * tampered price cannot reach Ledyer. Upstream work runs behind a concurrency limiter, so
 * under overload a request is refused at once (503 + Retry-After) rather than left to time out.
 */
import { cartSchema, mergeCart, type CartItem } from './cart.js';
import { checkoutStateOf, type CheckoutState } from './checkout-state.js';
import type { LedyerClient } from './client.js';
import { createConcurrencyLimiter, type ConcurrencyLimitOptions } from './concurrency-limiter.js';
import { LedyerApiError } from './errors.js';
import {
  errorResponse,
  isJsonContentType,
  jsonResponse,
  logHandlerError,
  methodNotAllowed,
  readJsonBody,
  type FetchHandler,
  type HandlerErrorReporter,
} from './http-json.js';
import { orderIdSchema } from './path-ids.js';
import type { CreateSessionRequestInput, PaymentStatus } from './schemas.js';

export type { CartItem } from './cart.js';
export type { CheckoutState } from './checkout-state.js';

/** Throw (or return) this from `resolveOrder` for a sku the catalogue does not have: the buyer gets a 400 naming it. */
export class UnknownItemError extends Error {
  override readonly name = 'UnknownItemError';
  readonly code = 'unknown_item' as const;
  readonly sku: string;

  constructor(sku: string) {
    super(`unknown sku: ${JSON.stringify(sku)}`);
    this.sku = sku;
  }
}

export interface ResolveOrderContext {
  request: Request;
  /** Aborts when the browser goes away. */
  signal: AbortSignal;
  /** The checkout being updated (the update route); undefined when a session is created. */
  orderId?: string | undefined;
}

/**
 * Prices the items (one line per sku, quantities already merged and within the limits)
 * into a create-session body. The same body serves an update: Ledyer's update accepts a
 * full create body.
 */
export type ResolveOrder = (
  items: CartItem[],
  context: ResolveOrderContext,
) => CreateSessionRequestInput | UnknownItemError | Promise<CreateSessionRequestInput | UnknownItemError>;

export interface CheckoutContext {
  request: Request;
  signal: AbortSignal;
}

/** What the create route answers, and the update route when it had to replace the session. */
export interface CheckoutSessionAnswer {
  sessionId: string;
  orderId: string;
  expiresAt: string;
}

/** What the update route answers. `replaced: true`: the old session was gone; mount the new `sessionId`. */
export type CheckoutUpdateAnswer =
  | (CheckoutSessionAnswer & { replaced: true })
  | { sessionId: string; orderId: string; replaced: false; expiresAt?: string };

/** What the status route answers. `paymentStatus` and `paymentMethod` are Ledyer's, null when Ledyer knows no order yet. */
export interface CheckoutStatusAnswer {
  orderId: string;
  state: CheckoutState;
  paymentStatus: PaymentStatus['status'] | null;
  paymentMethod: { provider: string; type: string } | null;
}

/** A session the handler created, passed to `onSession`; `replacedOrderId` when it replaced a gone one. */
export interface CreatedCheckoutSession extends CheckoutSessionAnswer {
  replacedOrderId?: string;
}

export interface CheckoutHandlerOptions {
  client: Pick<LedyerClient, 'createSession' | 'updateSession' | 'getPaymentStatus'>;
  resolveOrder: ResolveOrder;
  /** Where the routes live (default `/api/checkout/session`); other paths get a 404 naming these. */
  basePath?: string;
  /**
   * Whether the caller may see or change checkout `orderId` (e.g. it is in their cookie
   * session). Guards the update and status routes: false answers 404 and calls nothing upstream.
   * Without it, anyone who knows an orderId may ask for its state or re-price its cart.
   */
  ownsCheckout?: (orderId: string, context: CheckoutContext) => boolean | Promise<boolean>;
  /**
   * Told of every session the handler creates (or creates to replace a gone one), before the
   * page gets it: record it for `ownsCheckout`. Awaited; if it throws, the page gets a 500.
   */
  onSession?: (session: CreatedCheckoutSession, context: CheckoutContext) => unknown;
  /**
   * Whether Ledyer's refusal of an update means the session is gone (expired, completed),
   * so a new one is created. Ledyer documents no code for it; by default a 4xx other than
   * 400, 401, 403, 408 and 429. Only ever asked about a 4xx answer: a 5xx, a network error
   * or a timeout never replaces a session, because the update may have been applied.
   */
  isSessionGone?: (error: LedyerApiError) => boolean;
  /** Largest accepted body in bytes (default 16 KiB: a cart of skus is small). */
  maxBodyBytes?: number;
  /** Largest quantity of one sku, after merging repeated lines (default 1000). */
  maxQuantity?: number;
  /** Most lines in one posted cart, before merging (default 100). */
  maxItems?: number;
  /** Load shedding (defaults: 16 in flight, 32 queued, 0.5 s wait, Retry-After 1 s); `false` turns it off. */
  concurrency?: ConcurrencyLimitOptions | false;
  /** Called with failures the buyer only sees as 500/502 (default: one line on stderr). Never for a buyer who went away. */
  onError?: HandlerErrorReporter;
}

const NOT_GONE_STATUSES = new Set([400, 401, 403, 408, 429]);

/** The default `isSessionGone`: Ledyer answered a 4xx that is not about the request, the credentials or timing. */
export function isSessionGoneByDefault(error: LedyerApiError): boolean {
  return error.code === 'ledyer_rejected' && error.status !== undefined && error.status >= 400 && error.status < 500 && !NOT_GONE_STATUSES.has(error.status);
}

type Route = { kind: 'create' } | { kind: 'checkout'; segment: string } | { kind: 'outside' };

function normalizeBasePath(basePath: string): string {
  if (!basePath.startsWith('/')) throw new TypeError(`basePath must start with "/", got ${JSON.stringify(basePath)}`);
  return basePath.length > 1 && basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
}

function routeOf(pathname: string, basePath: string): Route {
  if (pathname === basePath) return { kind: 'create' };
  const prefix = basePath === '/' ? '/' : `${basePath}/`;
  if (!pathname.startsWith(prefix)) return { kind: 'outside' };
  const segment = pathname.slice(prefix.length);
  return segment.includes('/') ? { kind: 'outside' } : { kind: 'checkout', segment };
}

/** The orderId of a path segment, or the 400 that says what is wrong with it. */
function orderIdOf(segment: string): { ok: true; orderId: string } | { ok: false; response: Response } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return { ok: false, response: errorResponse(400, 'invalid_order_id', 'the orderId in the path is not valid percent-encoding', ['orderId']) };
  }
  const parsed = orderIdSchema.safeParse(decoded);
  if (parsed.success) return { ok: true, orderId: parsed.data };
  return { ok: false, response: errorResponse(400, 'invalid_order_id', parsed.error.issues[0]?.message ?? 'invalid orderId', ['orderId']) };
}

/** The client left while we worked: nobody reads the answer, and it is not an error (nginx's 499). */
const clientGone = (): Response => errorResponse(499, 'client_closed_request', 'the client went away');

export function createCheckoutHandler(options: CheckoutHandlerOptions): FetchHandler {
  const basePath = normalizeBasePath(options.basePath ?? '/api/checkout/session');
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  const maxQuantity = options.maxQuantity ?? 1000;
  const schema = cartSchema({ maxItems: options.maxItems ?? 100, maxQuantity });
  const report = options.onError ?? logHandlerError;
  const isSessionGone = options.isSessionGone ?? isSessionGoneByDefault;
  const limiter = options.concurrency === false ? null : createConcurrencyLimiter(options.concurrency ?? {});
  const { client } = options;
  const served = `this handler serves POST ${basePath}, POST ${basePath}/{orderId} and GET ${basePath}/{orderId}`;

  /** The merged cart, or the 4xx that says what is wrong with the request. */
  async function readCart(request: Request): Promise<{ ok: true; items: CartItem[]; raw: CartItem[] } | { ok: false; response: Response }> {
    if (!isJsonContentType(request.headers.get('content-type'))) {
      return { ok: false, response: errorResponse(415, 'unsupported_media_type', 'send the cart as application/json') };
    }
    const cart = await readJsonBody(request, schema, {
      maxBytes: maxBodyBytes,
      invalidCode: 'invalid_cart',
      report: (error) => report(error, { handler: 'checkout' }),
    });
    if (!cart.ok) return cart;
    const merged = mergeCart(cart.value.items, maxQuantity);
    if (!merged.ok) return { ok: false, response: errorResponse(400, 'invalid_cart', `${merged.path.join('.')}: ${merged.message}`, merged.path) };
    return { ok: true, items: merged.items, raw: cart.value.items };
  }

  async function priced(items: CartItem[], context: ResolveOrderContext): Promise<CreateSessionRequestInput> {
    const resolved = await options.resolveOrder(items, context);
    if (resolved instanceof UnknownItemError) throw resolved;
    return resolved;
  }

  /** Runs upstream work behind the limiter; a refusal is an immediate 503 with Retry-After. */
  async function limited(request: Request, work: () => Promise<Response>): Promise<Response> {
    if (!limiter) return work();
    const admission = await limiter.acquire(request.signal);
    if (!admission.admitted) {
      if (admission.reason === 'aborted') return clientGone();
      const seconds = limiter.retryAfterSeconds;
      return errorResponse(503, 'overloaded', `too many checkouts are in progress; try again in ${seconds} s`, undefined, { 'retry-after': String(seconds) });
    }
    try {
      return await work();
    } finally {
      admission.release();
    }
  }

  /** Every failure of a route as an answer: the buyer learns what they can act on, never upstream details. */
  function failure(error: unknown, request: Request, raw: readonly CartItem[], what: string): Response {
    if (error instanceof UnknownItemError) {
      const index = raw.findIndex((item) => item.sku === error.sku);
      return errorResponse(400, 'unknown_item', error.message, index >= 0 ? ['items', index, 'sku'] : undefined);
    }
    if (request.signal.aborted) return clientGone();
    report(error, { handler: 'checkout' });
    if (error instanceof LedyerApiError) {
      return errorResponse(502, 'upstream_error', `the payment provider could not ${what}; please try again`);
    }
    return errorResponse(500, 'internal_error', `the checkout could not ${what}`);
  }

  async function created(session: CheckoutSessionAnswer, context: CheckoutContext, replacedOrderId?: string): Promise<CheckoutSessionAnswer> {
    const answer: CheckoutSessionAnswer = { sessionId: session.sessionId, orderId: session.orderId, expiresAt: session.expiresAt };
    await options.onSession?.(replacedOrderId === undefined ? { ...answer } : { ...answer, replacedOrderId }, context);
    return answer;
  }

  async function create(request: Request): Promise<Response> {
    const cart = await readCart(request);
    if (!cart.ok) return cart.response;
    const context = { request, signal: request.signal };
    return limited(request, async () => {
      try {
        const body = await priced(cart.items, context);
        const session = await client.createSession(body, { signal: request.signal });
        return jsonResponse(200, await created(session, context));
      } catch (error) {
        return failure(error, request, cart.raw, 'start the checkout');
      }
    });
  }

  async function update(request: Request, orderId: string): Promise<Response> {
    const cart = await readCart(request);
    if (!cart.ok) return cart.response;
    const context = { request, signal: request.signal };
    return limited(request, async () => {
      try {
        const body = await priced(cart.items, { ...context, orderId });
        try {
          const updated = await client.updateSession(orderId, body, { signal: request.signal });
          const expiresAt = (updated as { expiresAt?: unknown }).expiresAt;
          const answer: CheckoutUpdateAnswer = {
            sessionId: updated.sessionId,
            orderId: updated.orderId,
            replaced: false,
            ...(typeof expiresAt === 'string' ? { expiresAt } : {}),
          };
          return jsonResponse(200, answer);
        } catch (error) {
          // Only a 4xx answer can say "gone"; after a 5xx or no answer the update may have been applied.
          if (!(error instanceof LedyerApiError && error.code === 'ledyer_rejected' && isSessionGone(error))) throw error;
          const session = await client.createSession(body, { signal: request.signal });
          const answer: CheckoutUpdateAnswer = { ...(await created(session, context, orderId)), replaced: true };
          return jsonResponse(200, answer);
        }
      } catch (error) {
        return failure(error, request, cart.raw, 'update the checkout');
      }
    });
  }

  async function status(request: Request, orderId: string): Promise<Response> {
    return limited(request, async () => {
      let payment: PaymentStatus | null;
      try {
        payment = await client.getPaymentStatus(orderId, { signal: request.signal });
      } catch (error) {
        if (!(error instanceof LedyerApiError && error.code === 'ledyer_rejected' && error.status === 404)) {
          return failure(error, request, [], 'read the checkout');
        }
        payment = null;
      }
      const method = payment?.paymentMethod;
      const answer: CheckoutStatusAnswer = {
        orderId,
        state: checkoutStateOf(payment ? payment.status : null),
        paymentStatus: payment ? payment.status : null,
        paymentMethod: method ? { provider: method.provider, type: method.type } : null,
      };
      return jsonResponse(200, answer);
    });
  }

  return async (request) => {
    const route = routeOf(new URL(request.url).pathname, basePath);
    switch (route.kind) {
      case 'outside':
        return errorResponse(404, 'not_found', served);
      case 'create':
        return request.method === 'POST' ? create(request) : methodNotAllowed('POST');
      case 'checkout': {
        if (request.method !== 'POST' && request.method !== 'GET') return methodNotAllowed('GET, POST');
        const id = orderIdOf(route.segment);
        if (!id.ok) return id.response;
        const context = { request, signal: request.signal };
        try {
          if (options.ownsCheckout && !(await options.ownsCheckout(id.orderId, context))) {
            return errorResponse(404, 'unknown_checkout', 'there is no checkout with this orderId for you', ['orderId']);
          }
        } catch (error) {
          return failure(error, request, [], 'check the checkout');
        }
        return request.method === 'POST' ? update(request, id.orderId) : status(request, id.orderId);
      }
    }
  };
}
