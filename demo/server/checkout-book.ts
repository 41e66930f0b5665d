/**
 * What the shop remembers of each checkout it started: its session, its cart, the buyer's
 * purchase-order number, and once bought, the shop's order number, the notifications Ledyer
 * sent for it and which captured ledger each of the shop's refunds credits. It is also the
 * list of orders this shop sold: the admin routes and the notification route serve nothing else.
 *
 * Bounded (issue 11.4): at most `maxCheckouts`, each kept `checkoutTtlMs` after it started,
 * oldest forgotten first; at most `maxNotificationsPerOrder` notifications per order, newest kept.
 */
import type { CartItem, ReceivedNotification } from '../api-types.js';

export interface CheckoutRecord {
  orderId: string;
  sessionId: string;
  /** The cart the session holds now: one line per sku. */
  items: CartItem[];
  /** Saved by the buyer; sent as the session's `reference`. */
  purchaseOrderNumber: string | null;
  startedAtMs: number;
  /** Given when Ledyer reports the order (`FIKA-1001`); null before. */
  shopOrderNumber: string | null;
  acknowledged: boolean;
  /** Oldest first. */
  notifications: ReceivedNotification[];
  /** Refund ledger id → the captured ledger it credits, for refunds this shop issued. */
  refundOf: Map<string, string>;
}

export interface CheckoutBookLimits {
  maxCheckouts: number;
  checkoutTtlMs: number;
  maxNotificationsPerOrder: number;
}

export const DEFAULT_CHECKOUT_BOOK_LIMITS: Readonly<CheckoutBookLimits> = Object.freeze({
  maxCheckouts: 1000,
  // Ledyer's sessions last 7 days; an order bought on the last day still gets its notifications.
  checkoutTtlMs: 8 * 24 * 60 * 60 * 1000,
  maxNotificationsPerOrder: 50,
});

export interface CheckoutBook {
  /** Adds (or replaces) a checkout; the oldest are forgotten beyond the cap. */
  add(record: Pick<CheckoutRecord, 'orderId' | 'sessionId' | 'items' | 'purchaseOrderNumber'>): CheckoutRecord;
  get(orderId: string): CheckoutRecord | undefined;
  bySessionId(sessionId: string): CheckoutRecord | undefined;
  delete(orderId: string): void;
  recordNotification(record: CheckoutRecord, notification: ReceivedNotification): void;
  readonly size: number;
  readonly limits: Readonly<CheckoutBookLimits>;
}

export function createCheckoutBook(overrides: Partial<CheckoutBookLimits> = {}, now: () => number = Date.now): CheckoutBook {
  const limits: CheckoutBookLimits = { ...DEFAULT_CHECKOUT_BOOK_LIMITS };
  for (const [name, value] of Object.entries(overrides) as Array<[keyof CheckoutBookLimits, number | undefined]>) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) throw new TypeError(`checkout book limit ${name} must be a positive whole number, got ${String(value)}`);
    limits[name] = value;
  }
  // Insertion order is age order: the first entries are the oldest.
  const byOrderId = new Map<string, CheckoutRecord>();
  const orderIdBySession = new Map<string, string>();

  const forget = (orderId: string): void => {
    const record = byOrderId.get(orderId);
    if (!record) return;
    byOrderId.delete(orderId);
    if (orderIdBySession.get(record.sessionId) === orderId) orderIdBySession.delete(record.sessionId);
  };

  const pruneExpired = (): void => {
    const cutoff = now() - limits.checkoutTtlMs;
    for (const record of byOrderId.values()) {
      if (record.startedAtMs > cutoff) break;
      forget(record.orderId);
    }
  };

  return {
    limits,
    get size() {
      pruneExpired();
      return byOrderId.size;
    },
    add(fields) {
      pruneExpired();
      forget(fields.orderId);
      while (byOrderId.size >= limits.maxCheckouts) {
        const oldest = byOrderId.keys().next().value;
        if (oldest === undefined) break;
        forget(oldest);
      }
      const record: CheckoutRecord = {
        ...fields,
        items: fields.items.map((item) => ({ ...item })),
        startedAtMs: now(),
        shopOrderNumber: null,
        acknowledged: false,
        notifications: [],
        refundOf: new Map(),
      };
      byOrderId.set(record.orderId, record);
      orderIdBySession.set(record.sessionId, record.orderId);
      return record;
    },
    get(orderId) {
      pruneExpired();
      return byOrderId.get(orderId);
    },
    bySessionId(sessionId) {
      pruneExpired();
      const orderId = orderIdBySession.get(sessionId);
      return orderId === undefined ? undefined : byOrderId.get(orderId);
    },
    delete: forget,
    recordNotification(record, notification) {
      record.notifications.push(notification);
      if (record.notifications.length > limits.maxNotificationsPerOrder) {
        record.notifications.splice(0, record.notifications.length - limits.maxNotificationsPerOrder);
      }
    },
  };
}
