/**
 * The checkout's routes, all through the server helper's `createCheckoutHandler`:
 *
 *   POST /api/checkout/session                          { items } → a new session
 *   POST /api/checkout/session/{orderId}                { items } → the cart changed (or `replaced: true`)
 *   GET  /api/checkout/session/{orderId}                the real state, from Ledyer
 *   POST /api/checkout/session/{orderId}/purchase-order { purchaseOrderNumber } → saved, then the same update
 *
 * The shop keeps each checkout's cart and purchase-order number (checkout-book.ts), and
 * `resolveOrder` prices every session from them: the number becomes the session's
 * `reference`, which Ledyer sends to the validate URL and prints on the invoice. A change is
 * written to the book only once Ledyer has taken it, so the book never says what Ledyer does not.
 */
import { createCheckoutHandler, UnknownItemError, type CheckoutUpdateAnswer, type CreateSessionRequestInput, type LedyerClient } from '../../src/server/index.js';
import type { CartItem } from '../api-types.js';
import { MAX_QUANTITY, findProduct, shippingFee } from './catalogue.js';
import type { CheckoutBook } from './checkout-book.js';
import { createKeyedLock } from './keyed-lock.js';
import { purchaseOrderBodySchema, readShopBody } from './request-bodies.js';
import type { RouteParams } from './route-table.js';
import { problem } from './shop-http.js';

export interface CheckoutRoutesOptions {
  client: LedyerClient;
  book: CheckoutBook;
  /** The session body for a cart and a reference (the purchase-order number, or null). */
  sessionBodyFor: (items: CartItem[], reference: string | null) => CreateSessionRequestInput;
  log: (line: string) => void;
}

/** What one request is about to change on its checkout; applied to the book once Ledyer took it. */
interface PendingChange {
  items?: CartItem[];
  purchaseOrderNumber?: string | null;
}

export function createCheckoutRoutes(options: CheckoutRoutesOptions) {
  const { book, log } = options;
  const pending = new WeakMap<Request, PendingChange>();
  const changeOf = (request: Request): PendingChange => {
    let change = pending.get(request);
    if (!change) pending.set(request, (change = {}));
    return change;
  };
  // One change per checkout at a time: a cart change and the purchase-order save must not
  // both read the book and then each send Ledyer half of the truth.
  const oneAtATime = createKeyedLock();

  const handler = createCheckoutHandler({
    client: options.client,
    maxQuantity: MAX_QUANTITY,
    // The browser's request names skus and quantities; everything priced comes from here.
    resolveOrder: (items, { request, orderId }) => {
      const unknown = items.find((item) => !findProduct(item.sku) || item.sku === shippingFee.sku);
      if (unknown) return new UnknownItemError(unknown.sku);
      const change = changeOf(request);
      change.items = items;
      const saved = orderId === undefined ? null : (book.get(orderId)?.purchaseOrderNumber ?? null);
      return options.sessionBodyFor(items, change.purchaseOrderNumber !== undefined ? change.purchaseOrderNumber : saved);
    },
    // Only checkouts this shop started may be updated or asked about (a real shop would also
    // tie them to the buyer's cookie session; the demo has one buyer).
    ownsCheckout: (orderId) => book.get(orderId) !== undefined,
    onSession: (session, { request }) => {
      const change = pending.get(request) ?? {};
      const replaced = session.replacedOrderId === undefined ? undefined : book.get(session.replacedOrderId);
      book.add({
        orderId: session.orderId,
        sessionId: session.sessionId,
        items: change.items ?? replaced?.items ?? [],
        purchaseOrderNumber: change.purchaseOrderNumber !== undefined ? change.purchaseOrderNumber : (replaced?.purchaseOrderNumber ?? null),
      });
      if (session.replacedOrderId !== undefined) {
        // The old checkout stays in the book: "gone" may mean bought, and a sold order keeps its record.
        log(`session ${session.replacedOrderId} was gone at Ledyer; replaced by ${session.orderId}`);
      } else {
        log(`session ${session.orderId} created`);
      }
    },
  });

  /** Runs an update through the handler and, once Ledyer took it, writes the change to the book. */
  async function update(request: Request, orderId: string): Promise<Response> {
    const response = await handler(request);
    if (!response.ok) return response;
    const answer = (await response.clone().json()) as CheckoutUpdateAnswer;
    const record = book.get(orderId);
    const change = pending.get(request);
    // A replaced session was recorded by onSession under its new orderId.
    if (!answer.replaced && record && change) {
      if (change.items) record.items = change.items;
      if (change.purchaseOrderNumber !== undefined) record.purchaseOrderNumber = change.purchaseOrderNumber;
    }
    return response;
  }

  return {
    createCheckout: (request: Request): Promise<Response> => handler(request),

    checkoutState: (request: Request): Promise<Response> => handler(request),

    updateCheckout(request: Request, params: RouteParams): Promise<Response> {
      const orderId = params['orderId'] ?? '';
      return oneAtATime(orderId, () => update(request, orderId));
    },

    async savePurchaseOrder(request: Request, params: RouteParams): Promise<Response> {
      const orderId = params['orderId'] ?? '';
      const body = await readShopBody(request, purchaseOrderBodySchema);
      if (!body.ok) return body.response;
      return oneAtATime(orderId, async () => {
        const record = book.get(orderId);
        if (!record) return problem(404, 'unknown_checkout', 'there is no checkout with this orderId for you', ['orderId']);
        // The same path as a cart change: the handler's update route, with the cart the session holds.
        const sessionUpdate = new Request(new URL(`/api/checkout/session/${encodeURIComponent(orderId)}`, request.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ items: record.items }),
          signal: request.signal,
        });
        const value = body.value.purchaseOrderNumber;
        changeOf(sessionUpdate).purchaseOrderNumber = value === '' ? null : value;
        return update(sessionUpdate, orderId);
      });
    },
  };
}
