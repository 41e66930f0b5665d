/**
 * `createCheckoutHandler`: the merchant's own session endpoint. The browser posts what it
 * wants (`{ items: [{ sku, quantity }] }`) and never a price; `resolveOrder` prices it from
 * the merchant's catalogue, the client creates the session, and the page gets back only
 * `{ sessionId, orderId, expiresAt }`. Anything else the browser sends is ignored, so a
 * tampered price cannot reach Ledyer.
 */
import { z } from 'zod';
import type { LedyerClient } from './client.js';
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
import type { CreateSessionRequestInput } from './schemas.js';

export interface CartItem {
  sku: string;
  quantity: number;
}

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
}

export type ResolveOrder = (
  items: CartItem[],
  context: ResolveOrderContext,
) => CreateSessionRequestInput | UnknownItemError | Promise<CreateSessionRequestInput | UnknownItemError>;

export interface CheckoutHandlerOptions {
  client: Pick<LedyerClient, 'createSession'>;
  resolveOrder: ResolveOrder;
  /** Largest accepted body in bytes (default 16 KiB: a cart of skus is small). */
  maxBodyBytes?: number;
  /** Largest quantity of one item (default 1000). */
  maxQuantity?: number;
  /** Most items in one cart (default 100). */
  maxItems?: number;
  /** Called with failures the buyer only sees as 500/502 (default: one line on stderr). */
  onError?: HandlerErrorReporter;
}

export interface CheckoutSessionAnswer {
  sessionId: string;
  orderId: string;
  expiresAt: string;
}

function cartSchema(maxItems: number, maxQuantity: number) {
  // Not strict: extra fields (a price the page should not have sent) are dropped, not trusted.
  return z.object(
    {
      items: z
        .array(
          z.object(
            {
              sku: z.string('sku must be a string').trim().min(1, 'sku must not be empty').max(200, 'sku must be at most 200 characters'),
              quantity: z
                .int('quantity must be a whole number')
                .positive('quantity must be at least 1')
                .max(maxQuantity, `quantity must be at most ${maxQuantity}`),
            },
            'each item must be an object { sku, quantity }',
          ),
          'items must be an array of { sku, quantity }',
        )
        .min(1, 'the cart is empty')
        .max(maxItems, `at most ${maxItems} items per checkout`),
    },
    'the body must be an object { items: [...] }',
  );
}

export function createCheckoutHandler(options: CheckoutHandlerOptions): FetchHandler {
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  const schema = cartSchema(options.maxItems ?? 100, options.maxQuantity ?? 1000);
  const report = options.onError ?? logHandlerError;

  return async (request) => {
    if (request.method !== 'POST') return methodNotAllowed('POST');
    if (!isJsonContentType(request.headers.get('content-type'))) {
      return errorResponse(415, 'unsupported_media_type', 'send the cart as application/json');
    }
    const cart = await readJsonBody(request, schema, {
      maxBytes: maxBodyBytes,
      invalidCode: 'invalid_cart',
      report: (error) => report(error, { handler: 'checkout' }),
    });
    if (!cart.ok) return cart.response;
    const items = cart.value.items;

    try {
      const resolved = await options.resolveOrder(items, { request, signal: request.signal });
      if (resolved instanceof UnknownItemError) throw resolved;
      const session = await options.client.createSession(resolved, { signal: request.signal });
      const answer: CheckoutSessionAnswer = { sessionId: session.sessionId, orderId: session.orderId, expiresAt: session.expiresAt };
      return jsonResponse(200, answer);
    } catch (error) {
      if (error instanceof UnknownItemError) {
        const index = items.findIndex((item) => item.sku === error.sku);
        return errorResponse(400, 'unknown_item', error.message, index >= 0 ? ['items', index, 'sku'] : undefined);
      }
      report(error, { handler: 'checkout' });
      // The buyer learns that it failed and whether to try again, never why upstream.
      if (error instanceof LedyerApiError) {
        return errorResponse(502, 'upstream_error', 'the payment provider could not start the checkout; please try again');
      }
      return errorResponse(500, 'internal_error', 'the checkout could not be started');
    }
  };
}
