/**
 * The orders side of the sandbox: turning a bought session into Ledyer's order entity, its
 * events, and the notifications Ledyer sends for them. The purchase flow (`checkout-core.ts`)
 * and the order API (`orders-api.ts`) both go through here, so an order is always created,
 * recorded and announced the same way.
 */
import { orderTotals } from '../shared/order-math.js';
import type { CallbackDispatcher } from './callbacks.js';
import { newId, newOrderReference } from './ids.js';
import { timestamp, type OrderEventType, type OrderRecord } from './order-entity.js';
import type { SandboxStore, SessionRecord } from './store.js';

export interface MerchantIdentity {
  merchantId: string;
  storeId: string | null;
}

export type OrderNotificationType =
  | 'com.ledyer.order.create'
  | 'com.ledyer.order.ready_for_capture'
  | 'com.ledyer.order.full_capture'
  | 'com.ledyer.order.part_capture'
  | 'com.ledyer.order.full_refund'
  | 'com.ledyer.order.part_refund'
  | 'com.ledyer.order.cancel';

export type SessionNotificationType = 'com.ledyer.checkout.session.awaiting_signatory';

/** How the buyer pays; Ledyer's payment method types that a B2B checkout offers. */
export type SandboxPaymentMethod = 'invoice' | 'advanceInvoice';

export interface NewOrderOptions {
  /** The merchant's reference: the session's, or the one the validate URL answered. */
  reference: string | null;
  storeId: string | null;
  paymentMethod: SandboxPaymentMethod;
}

/** The seed's order expires 14 days after it was created. */
export const ORDER_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export class OrderBook {
  /** Per order (or session) chain, so its notifications go out in the order its events happened. */
  private readonly notificationQueues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: SandboxStore,
    private readonly callbacks: CallbackDispatcher,
    readonly merchant: MerchantIdentity,
    private readonly now: () => number,
  ) {}

  /**
   * Creates the order of a bought session, ready for capture (events `create` and
   * `readyForCapture`), stores it, and sends `order.create` and `order.ready_for_capture`.
   * The caller holds the order's lock.
   */
  createOrder(session: SessionRecord, options: NewOrderOptions): OrderRecord {
    const nowMs = this.now();
    const lines = (session.request.orderLines ?? []).map((line) => ({
      id: newId('ol', nowMs),
      type: line.type,
      reference: line.reference,
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      unitDiscountAmount: line.unitDiscountAmount,
      vat: line.vat,
      totalAmount: line.totalAmount,
      totalVatAmount: line.totalVatAmount,
    }));
    const customer = session.customer;
    const order: OrderRecord = {
      id: session.orderId,
      sessionId: session.sessionId,
      merchantId: this.merchant.merchantId,
      storeId: options.storeId,
      currency: session.request.currency,
      // With no merchant reference Ledyer shows the order id (seed: merchantReference = id).
      merchantReference: options.reference ?? session.orderId,
      orderReference: newOrderReference(),
      createdAt: timestamp(nowMs),
      expiresAtMs: nowMs + ORDER_LIFETIME_MS,
      customer: {
        ...customer,
        billingAddress: { ...customer.billingAddress },
        shippingAddress: customer.shippingAddress ? { ...customer.shippingAddress } : null,
      },
      paymentMethod: options.paymentMethod,
      acknowledged: false,
      uncapturedLedgerId: newId('in', nowMs),
      uncapturedCreatedAt: timestamp(nowMs),
      uncapturedLines: lines,
      cancelledLines: null,
      captured: [],
      refunded: [],
      events: [],
      notificationUrl: session.request.settings.urls.notification || null,
    };
    this.addEvent(order, 'create', orderTotals(lines).totalOrderAmount);
    this.addEvent(order, 'readyForCapture', 0);
    this.store.orders.set(order.id, order);
    this.notifyOrder(order, 'com.ledyer.order.create');
    this.notifyOrder(order, 'com.ledyer.order.ready_for_capture');
    return order;
  }

  /** Appends an event about `ledgerId` (the uncaptured ledger by default); callers hold the order's lock. */
  addEvent(order: OrderRecord, type: OrderEventType, amount: number, ledgerId = order.uncapturedLedgerId): void {
    const nowMs = this.now();
    order.events.push({ id: newId('oe', nowMs), type, amount, createdAt: timestamp(nowMs), ledgerId });
  }

  /** An order event, as Ledyer sends it: `{ eventType, merchantId, orderId, reference, storeId }`. */
  notifyOrder(order: OrderRecord, eventType: OrderNotificationType): void {
    this.enqueue(order.id, order.notificationUrl, {
      eventType,
      merchantId: order.merchantId,
      orderId: order.id,
      reference: order.merchantReference === order.id ? null : order.merchantReference,
      storeId: order.storeId,
    });
  }

  /** A session event, exactly as LEDYER.md gives it: `{ eventType, merchantId, sessionId, storeId }`, no orderId. */
  notifySession(session: SessionRecord, eventType: SessionNotificationType): void {
    this.enqueue(session.orderId, session.request.settings.urls.notification || null, {
      eventType,
      merchantId: this.merchant.merchantId,
      sessionId: session.sessionId,
      storeId: session.request.storeId ?? this.merchant.storeId,
    });
  }

  private enqueue(key: string, url: string | null, body: Record<string, unknown>): void {
    if (!url) return;
    const previous = this.notificationQueues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.callbacks.notify(url, body)).catch(() => undefined);
    this.notificationQueues.set(key, next);
    void next.then(() => {
      if (this.notificationQueues.get(key) === next) this.notificationQueues.delete(key);
    });
  }
}
