/**
 * The purchase itself, shared by the hosted page (through `CheckoutService`) and the control
 * API: validate callback → authorize → create the order → notifications, with Ledyer's rules.
 * Also the buyer-facing reads and writes of a session the browser side needs.
 */
import { z } from 'zod';
import { orderTotals } from '../shared/order-math.js';
import type { CallbackDispatcher } from './callbacks.js';
import type {
  CheckoutCustomer,
  CheckoutLookup,
  CheckoutService,
  CheckoutView,
  PurchaseOutcome,
} from './checkout-service.js';
import { lookupCompany } from './customer.js';
import { newId, newOrderReference } from './ids.js';
import { formatAmount } from './money-format.js';
import { timestamp, type OrderEventType, type OrderRecord } from './order-entity.js';
import { isExpired, type SandboxStore, type SessionRecord } from './store.js';

export interface MerchantIdentity {
  merchantId: string;
  storeId: string | null;
}

export type OrderNotificationType =
  | 'com.ledyer.order.create'
  | 'com.ledyer.order.ready_for_capture'
  | 'com.ledyer.order.full_capture'
  | 'com.ledyer.order.full_refund'
  | 'com.ledyer.order.cancel';

/** The seed's order expires 14 days after it was created. */
const ORDER_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

const addressInputSchema = z.strictObject({
  companyName: z.string().max(254),
  streetAddress: z.string().max(254),
  postalCode: z.string().max(32),
  city: z.string().max(254),
  country: z.string().max(2),
  careOf: z.string().max(254),
  attentionName: z.string().max(254),
});
const customerInputSchema = z
  .strictObject({
    companyId: z.string().max(64),
    companyName: z.string().max(254),
    email: z.string().max(254),
    firstName: z.string().max(254),
    lastName: z.string().max(254),
    phone: z.string().max(64),
    reference1: z.string().max(254),
    reference2: z.string().max(254),
    billingAddress: addressInputSchema,
    shippingAddress: addressInputSchema.nullable(),
  })
  .partial();

const contactFields = ['companyId', 'companyName', 'email', 'firstName', 'lastName', 'phone', 'reference1', 'reference2'] as const;

export class CheckoutCore implements CheckoutService {
  /** Per-order chain so an order's notifications go out in the order its events happened. */
  private readonly notificationQueues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: SandboxStore,
    private readonly callbacks: CallbackDispatcher,
    private readonly merchant: MerchantIdentity,
    private readonly now: () => number,
  ) {}

  lookup(sessionId: string): CheckoutLookup {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return { ok: false, reason: 'unknown-session', message: 'This checkout session does not exist.' };
    if (isExpired(session, this.now())) {
      return { ok: false, reason: 'expired-session', message: 'This checkout session has expired. Please return to the store and start again.' };
    }
    return { ok: true, view: this.view(session) };
  }

  updateCustomer(
    sessionId: string,
    customer: Partial<CheckoutCustomer>,
  ): { ok: true; changed: Array<'customer' | 'billing' | 'shipping'> } | { ok: false; message: string } {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return { ok: false, message: 'This checkout session does not exist.' };
    if (isExpired(session, this.now())) return { ok: false, message: 'This checkout session has expired.' };
    if (session.status !== 'open') return { ok: false, message: 'This purchase is already complete; its details can no longer change.' };
    const parsed = customerInputSchema.safeParse(customer);
    if (!parsed.success) return { ok: false, message: `Invalid customer details: ${parsed.error.issues.map((issue) => issue.path.join('.') || issue.message).join(', ')}` };
    const input = parsed.data;
    const current = session.customer;
    const next: CheckoutCustomer = { ...current, billingAddress: { ...current.billingAddress } };
    const changed = new Set<'customer' | 'billing' | 'shipping'>();
    for (const field of contactFields) {
      const value = input[field];
      if (value !== undefined && value !== current[field]) {
        next[field] = value;
        changed.add('customer');
      }
    }
    if (input.billingAddress) {
      if (JSON.stringify(input.billingAddress) !== JSON.stringify(current.billingAddress)) changed.add('billing');
      next.billingAddress = input.billingAddress;
    } else if (input.companyId !== undefined && input.companyId !== current.companyId) {
      // A new organisation number means a new company: Ledyer fills its registered address.
      next.billingAddress = lookupCompany(input.companyId, session.request.country);
      if (input.companyName === undefined) next.companyName = next.billingAddress.companyName;
      changed.add('billing');
    }
    if (input.shippingAddress !== undefined) {
      if (JSON.stringify(input.shippingAddress) !== JSON.stringify(current.shippingAddress)) changed.add('shipping');
      next.shippingAddress = input.shippingAddress;
    }
    session.customer = next;
    session.updatedAtMs = this.now();
    return { ok: true, changed: [...changed] };
  }

  purchase(sessionId: string): Promise<PurchaseOutcome> {
    return this.completeSession(sessionId, { awaitSignatory: false });
  }

  /**
   * Buys the session. `awaitSignatory` leaves the order pending (created, not ready for capture)
   * as when Ledyer waits for a signatory; which security levels ask for one is not public, so
   * only the control API asks for it.
   */
  completeSession(sessionId: string, options: { awaitSignatory: boolean }): Promise<PurchaseOutcome> {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return Promise.resolve({ kind: 'error', message: 'This checkout session does not exist.' });
    return this.store.locks.run(session.orderId, () => this.purchaseLocked(session, options.awaitSignatory));
  }

  /** A pending purchase gets its signatory: the order becomes ready for capture. */
  signSession(sessionId: string): Promise<PurchaseOutcome> {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return Promise.resolve({ kind: 'error', message: 'This checkout session does not exist.' });
    return this.store.locks.run(session.orderId, () => {
      const order = this.store.orders.get(session.orderId);
      if (session.status !== 'pending' || !order || order.phase !== 'awaitingSignatory') {
        return { kind: 'error', message: 'This session is not awaiting a signatory.' } satisfies PurchaseOutcome;
      }
      order.phase = 'readyForCapture';
      this.addEvent(order, 'readyForCapture', 0);
      session.status = 'complete';
      session.updatedAtMs = this.now();
      this.notifyOrder(order, 'com.ledyer.order.ready_for_capture');
      return { kind: 'complete', orderId: order.id } satisfies PurchaseOutcome;
    });
  }

  private async purchaseLocked(session: SessionRecord, awaitSignatory: boolean): Promise<PurchaseOutcome> {
    // A second buy (double click, a retry) answers with the purchase already made.
    if (session.status === 'complete') return { kind: 'complete', orderId: session.orderId };
    if (session.status === 'pending') return { kind: 'pending', orderId: session.orderId };
    if (isExpired(session, this.now())) return { kind: 'error', message: 'This checkout session has expired.' };
    const request = session.request;
    const storeId = request.storeId ?? this.merchant.storeId;
    let reference = request.reference ?? null;
    const validateUrl = request.settings.urls.validate;
    if (validateUrl) {
      const answer = await this.callbacks.validate(validateUrl, {
        merchantId: this.merchant.merchantId,
        orderId: session.orderId,
        reference,
        storeId,
      });
      if (answer.kind === 'declined') return answer;
      if (answer.kind === 'redirect') {
        const filled = answer.location.replaceAll('{order.id}', session.orderId).replaceAll('{session.id}', session.sessionId);
        return { kind: 'redirect', location: new URL(filled, validateUrl).href };
      }
      if (answer.reference !== null) reference = answer.reference;
      // The validate call took time: the session may have expired meanwhile.
      if (isExpired(session, this.now())) return { kind: 'error', message: 'This checkout session has expired.' };
    }
    const order = this.createOrder(session, reference, storeId, awaitSignatory);
    this.store.orders.set(order.id, order);
    session.status = awaitSignatory ? 'pending' : 'complete';
    session.updatedAtMs = this.now();
    this.notifyOrder(order, 'com.ledyer.order.create');
    if (awaitSignatory) {
      this.enqueueNotification(order, {
        eventType: 'com.ledyer.checkout.session.awaiting_signatory',
        merchantId: order.merchantId,
        sessionId: session.sessionId,
        orderId: order.id,
        reference: this.merchantGivenReference(order),
        storeId: order.storeId,
      });
      return { kind: 'pending', orderId: order.id };
    }
    this.notifyOrder(order, 'com.ledyer.order.ready_for_capture');
    return { kind: 'complete', orderId: order.id };
  }

  private createOrder(session: SessionRecord, reference: string | null, storeId: string | null, awaitSignatory: boolean): OrderRecord {
    const nowMs = this.now();
    const ledgerId = newId('in', nowMs);
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
      storeId,
      currency: session.request.currency,
      // With no merchant reference Ledyer shows the order id (seed: merchantReference = id).
      merchantReference: reference ?? session.orderId,
      orderReference: newOrderReference(),
      createdAt: timestamp(nowMs),
      expiresAt: timestamp(nowMs + ORDER_LIFETIME_MS),
      customer: {
        ...customer,
        billingAddress: { ...customer.billingAddress },
        shippingAddress: customer.shippingAddress ? { ...customer.shippingAddress } : null,
      },
      phase: awaitSignatory ? 'awaitingSignatory' : 'readyForCapture',
      acknowledged: false,
      uncaptured: { ledgerId, createdAt: timestamp(nowMs), lines },
      cancelled: null,
      captured: [],
      refunded: [],
      events: [],
      notificationUrl: session.request.settings.urls.notification ?? null,
    };
    this.addEvent(order, 'create', orderTotals(lines).totalOrderAmount);
    if (!awaitSignatory) this.addEvent(order, 'readyForCapture', 0);
    return order;
  }

  /** Appends an event; callers hold the order's lock. */
  addEvent(order: OrderRecord, type: OrderEventType, amount: number, ledgerId?: string): void {
    order.events.push({
      id: newId('oe', this.now()),
      type,
      amount,
      createdAt: timestamp(this.now()),
      ledgerId: ledgerId ?? order.uncaptured?.ledgerId ?? order.captured.at(-1)?.ledgerId ?? order.events[0]?.ledgerId ?? '',
    });
  }

  notifyOrder(order: OrderRecord, eventType: OrderNotificationType): void {
    this.enqueueNotification(order, {
      eventType,
      merchantId: order.merchantId,
      orderId: order.id,
      reference: this.merchantGivenReference(order),
      storeId: order.storeId,
    });
  }

  private merchantGivenReference(order: OrderRecord): string | null {
    return order.merchantReference === order.id ? null : order.merchantReference;
  }

  private enqueueNotification(order: OrderRecord, body: Record<string, unknown>): void {
    const url = order.notificationUrl;
    if (!url) return;
    const previous = this.notificationQueues.get(order.id) ?? Promise.resolve();
    const next = previous.then(() => this.callbacks.notify(url, body)).catch(() => undefined);
    this.notificationQueues.set(order.id, next);
    void next.then(() => {
      if (this.notificationQueues.get(order.id) === next) this.notificationQueues.delete(order.id);
    });
  }

  private view(session: SessionRecord): CheckoutView {
    const request = session.request;
    const money = (minor: number): string => formatAmount(minor, request.currency).formattedWithCurrency;
    return {
      sessionId: session.sessionId,
      orderId: session.orderId,
      locale: request.locale,
      currency: request.currency,
      customer: structuredClone(session.customer),
      settings: {
        showNameFields: request.settings.customer?.showNameFields ?? false,
        allowShippingAddress: request.settings.customer?.allowShippingAddress ?? false,
        showShippingAddressContact: request.settings.customer?.showShippingAddressContact ?? false,
        requireClientValidation: request.settings.security?.requireClientValidation ?? false,
      },
      orderLines: (request.orderLines ?? []).map((line) => ({
        reference: line.reference,
        description: line.description,
        quantity: line.quantity,
        type: line.type,
        unitPrice: line.unitPrice === undefined ? '' : money(line.unitPrice),
        totalAmount: money(line.totalAmount),
      })),
      totalOrderAmount: money(request.totalOrderAmount),
      totalOrderVatAmount: money(request.totalOrderVatAmount),
      totalOrderAmountExclVat: money(request.totalOrderAmountExclVat),
      termsUrl: request.settings.urls.terms,
      privacyUrl: request.settings.urls.privacy ?? null,
      status: session.status,
    };
  }
}
