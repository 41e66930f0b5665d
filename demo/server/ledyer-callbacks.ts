/**
 * The two URLs Ledyer calls server-to-server: validate (before it creates an order) and
 * notification (after each step of an order). Neither is signed, so neither body is trusted:
 *
 * - validate only decides, from the session's `reference`, whether the PO policy holds;
 * - notifications are first matched to a checkout this shop started (any other orderId or
 *   sessionId is refused with nothing read or stored), then the server helper re-reads the
 *   order and its payment status from Ledyer (`{ client }`), and only what Ledyer says is used.
 *
 * On a new order the shop does what Ledyer's plugins do: acknowledge it, then give it the
 * shop's order number as its reference (`FIKA-1001`, counted per run). Like Ledyer's Magento
 * plugin, it sets the reference only when the order has none of its own: a buyer's purchase
 * order number, saved as the session's reference, stays on the invoice.
 */
import { createNotificationHandler, createValidateHandler, notificationCallbackSchema, type LedyerClient } from '../../src/server/index.js';
import { readJsonBody } from '../../src/server/http-json.js';
import type { StoreSettings } from '../api-types.js';
import type { CheckoutBook } from './checkout-book.js';
import { problem } from './shop-http.js';

export interface LedyerCallbacksOptions {
  client: LedyerClient;
  book: CheckoutBook;
  settings: StoreSettings;
  log: (line: string) => void;
  /** The first shop order number of this run (default 1001). */
  firstOrderNumber?: number;
}

/** The notification handler's own limit; the pre-read answers the same. */
const MAX_NOTIFICATION_BYTES = 64 * 1024;
const NEW_ORDER_EVENTS = new Set(['com.ledyer.order.create', 'com.ledyer.order.ready_for_capture']);

export function createLedyerCallbacks(options: LedyerCallbacksOptions) {
  const { client, book, settings, log } = options;
  let nextOrderNumber = options.firstOrderNumber ?? 1001;

  const validate = createValidateHandler(async (callback) => {
    // The server-side half of the PO policy: even a page whose script was bypassed cannot
    // place an order without one. (The page's client validation is the friendly half.)
    const reference = callback.reference?.trim() ?? '';
    if (settings.requirePurchaseOrderNumber && reference === '') {
      log(`validate ${callback.orderId}: declined, no purchase order number`);
      return { proceed: false, title: 'Purchase order number required', body: 'Enter your purchase order number in the shop, then press buy again.' };
    }
    log(`validate ${callback.orderId}: proceed`);
    return { proceed: true };
  });

  const verifiedNotification = createNotificationHandler(
    async (event) => {
      const receivedAt = new Date().toISOString();
      if (event.kind === 'session') {
        const record = book.bySessionId(event.notification.sessionId);
        if (record) book.recordNotification(record, { eventType: event.notification.eventType, receivedAt, paymentStatus: null });
        log(`notification ${event.notification.eventType} for session ${event.notification.sessionId}`);
        return;
      }
      const { notification, order, paymentStatus } = event;
      const record = book.get(order.id);
      if (!record) return;
      book.recordNotification(record, { eventType: notification.eventType, receivedAt, paymentStatus: paymentStatus.status });
      log(`notification ${notification.eventType} for ${order.id}: Ledyer says ${paymentStatus.status}`);
      if (!NEW_ORDER_EVENTS.has(notification.eventType) || record.acknowledged) return;
      // Keys per order: Ledyer may send the event again, and a retry must not do it twice.
      await client.acknowledgeOrder(order.id, { idempotencyKey: `ack-${order.id}` });
      record.acknowledged = true;
      record.shopOrderNumber ??= `FIKA-${nextOrderNumber++}`;
      // With no reference of its own, Ledyer shows the order id as merchantReference.
      if (order.merchantReference === '' || order.merchantReference === order.id) {
        await client.setOrderReference(order.id, record.shopOrderNumber, { idempotencyKey: `ref-${order.id}` });
      }
      log(`order ${order.id} acknowledged as ${record.shopOrderNumber}`);
    },
    { client },
  );

  return {
    validate,
    /** Refuses notifications about checkouts this shop never started before Ledyer is asked anything. */
    async notification(request: Request): Promise<Response> {
      const parsed = await readJsonBody(request, notificationCallbackSchema, { maxBytes: MAX_NOTIFICATION_BYTES, invalidCode: 'invalid_notification' });
      if (!parsed.ok) return parsed.response;
      const notification = parsed.value;
      const ours = notification.orderId !== undefined ? book.get(notification.orderId) : book.bySessionId(notification.sessionId);
      if (!ours) {
        log(`notification ${notification.eventType} refused: not a checkout of this shop (${notification.orderId ?? notification.sessionId})`);
        return problem(404, 'unknown_order', 'this shop started no checkout with this orderId or sessionId; the notification was not processed');
      }
      return verifiedNotification(
        new Request(request.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(notification),
          signal: request.signal,
        }),
      );
    },
  };
}
