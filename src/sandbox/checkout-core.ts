/**
 * The purchase itself, shared by the hosted page (through `CheckoutService`) and the control
 * API: validate callback → authorize → create the order → notifications, with Ledyer's rules.
 * Also the buyer-facing reads and writes of a session the browser side needs, and the
 * control API's way into an open page (`driveCheckout`, `expireSession`) over the live channel.
 *
 * What is bought is what the buyer saw: the page's purchase carries the `version` of the view
 * it shows, and a session the merchant updated since is refused (`session-changed`) with the
 * fresh view, under the same lock as the update, so the order always equals the session.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CallbackDispatcher } from './callbacks.js';
import type {
  CheckoutCustomer,
  CheckoutLookup,
  CheckoutOutcome,
  CheckoutService,
  CheckoutView,
  PurchaseOutcome,
  PurchaseRequest,
} from './checkout-service.js';
import { lookupCompany } from './customer.js';
import { LiveCheckouts, type BuyCommand, type LiveCheckoutOptions } from './live-checkouts.js';
import { formatAmount } from './money-format.js';
import type { OrderBook, SandboxPaymentMethod } from './order-book.js';
import { isExpired, type SandboxStore, type SessionRecord } from './store.js';
import { awaitsSignatory } from './test-companies.js';

/** A purchase the control API asked for: the outcome, and who bought (the open page, or the sandbox itself). */
export type DrivenOutcome =
  | (CheckoutOutcome & { driven: 'page' | 'server' })
  /** An open page started the purchase and did not finish it in time. */
  | { kind: 'page-timeout'; driven: 'page'; message: string };

const EXPIRED_MESSAGE = 'This checkout session has expired. Please return to the store and start again.';

interface PurchaseOptions {
  awaitSignatory: boolean | 'by-company';
  paymentMethod: SandboxPaymentMethod;
  /** The page's `version`; absent for server-side purchases, which buy the session as it is. */
  expectedVersion?: string;
}

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
  readonly live: LiveCheckouts;

  constructor(
    private readonly store: SandboxStore,
    private readonly callbacks: CallbackDispatcher,
    private readonly orders: OrderBook,
    private readonly now: () => number,
    liveOptions: Partial<LiveCheckoutOptions> = {},
  ) {
    this.live = new LiveCheckouts(liveOptions);
  }

  lookup(sessionId: string): CheckoutLookup {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return { ok: false, reason: 'unknown-session', message: 'This checkout session does not exist.' };
    if (isExpired(session, this.now())) {
      return { ok: false, reason: 'expired-session', message: EXPIRED_MESSAGE };
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

  /** The buyer pressed buy on the page: the version they saw, the method they chose; their company decides pending. */
  purchase(sessionId: string, request: PurchaseRequest): Promise<PurchaseOutcome> {
    return this.run(sessionId, { awaitSignatory: 'by-company', paymentMethod: request.paymentMethod, expectedVersion: request.version });
  }

  /**
   * Buys the session server-side, as it is now. `awaitSignatory` leaves it pending, as when
   * Ledyer waits for a signatory: no order exists yet, only the session-level
   * `awaiting_signatory` notification (it carries no orderId); the order is created when
   * the signatory signs. Which buyers need one is not public (see `SANDBOX_TEST_COMPANIES`).
   */
  completeSession(sessionId: string, options: { awaitSignatory: boolean; paymentMethod?: SandboxPaymentMethod }): Promise<PurchaseOutcome> {
    return this.run(sessionId, { awaitSignatory: options.awaitSignatory, paymentMethod: options.paymentMethod ?? 'invoice' });
  }

  /**
   * The control API's complete/pending: an open page is told to buy and runs its own buy
   * flow (test defaults, client validation, purchase), so the merchant's page gets the same
   * events as from a buyer; with no page, or one that does not take the command in time,
   * the session is bought server-side.
   */
  async driveCheckout(sessionId: string, command: BuyCommand): Promise<DrivenOutcome> {
    const session = this.store.sessionBySessionId(sessionId);
    if (session?.status === 'open' && !isExpired(session, this.now())) {
      const driven = await this.live.drive(sessionId, command);
      if (driven.kind === 'settled') return { ...driven.outcome, driven: 'page' };
      if (driven.kind === 'timeout') {
        const seconds = this.live.options.outcomeTimeoutMs / 1000;
        return { kind: 'page-timeout', driven: 'page', message: `the open checkout page started the purchase but did not finish it within ${seconds} s` };
      }
    }
    const outcome = await this.completeSession(sessionId, {
      awaitSignatory: command.outcome === 'pending',
      paymentMethod: command.paymentMethod ?? 'invoice',
    });
    return { ...outcome, driven: 'server' };
  }

  /** The session expires now; its open pages are told and stop taking orders. */
  expireSession(sessionId: string): SessionRecord | undefined {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return undefined;
    session.expiresAtMs = Math.min(session.expiresAtMs, this.now());
    if (isExpired(session, this.now())) this.live.expire(sessionId, EXPIRED_MESSAGE);
    return session;
  }

  /** A pending purchase gets its signatory: the order is created, ready for capture. */
  signSession(sessionId: string): Promise<PurchaseOutcome> {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return Promise.resolve({ kind: 'error', message: 'This checkout session does not exist.' });
    return this.store.locks.run(session.orderId, () => {
      const pending = session.pending;
      if (session.status !== 'pending' || !pending) {
        return { kind: 'error', message: 'This session is not awaiting a signatory.' } satisfies PurchaseOutcome;
      }
      const order = this.orders.createOrder(session, pending);
      session.status = 'complete';
      session.pending = null;
      session.updatedAtMs = this.now();
      return { kind: 'complete', orderId: order.id } satisfies PurchaseOutcome;
    });
  }

  private run(sessionId: string, options: PurchaseOptions): Promise<PurchaseOutcome> {
    const session = this.store.sessionBySessionId(sessionId);
    if (!session) return Promise.resolve({ kind: 'error', message: 'This checkout session does not exist.' });
    // The same lock as the API's session update: an update waits for the purchase, or the purchase sees it.
    return this.store.locks.run(session.orderId, () => this.purchaseLocked(session, options));
  }

  private async purchaseLocked(session: SessionRecord, options: PurchaseOptions): Promise<PurchaseOutcome> {
    // A second buy (double click, a retry) answers with the purchase already made.
    if (session.status === 'complete') return { kind: 'complete', orderId: session.orderId };
    if (session.status === 'pending') return { kind: 'pending', orderId: session.orderId };
    if (isExpired(session, this.now())) return { kind: 'error', message: 'This checkout session has expired.' };
    if (options.expectedVersion !== undefined && options.expectedVersion !== orderVersion(session)) {
      return { kind: 'session-changed', view: this.view(session) };
    }
    const awaitSignatory = options.awaitSignatory === 'by-company' ? awaitsSignatory(session.customer.companyId) : options.awaitSignatory;
    const paymentMethod = options.paymentMethod;
    const request = session.request;
    const storeId = request.storeId ?? this.orders.merchant.storeId;
    let reference = request.reference ?? null;
    const validateUrl = request.settings.urls.validate;
    if (validateUrl) {
      const answer = await this.callbacks.validate(validateUrl, {
        merchantId: this.orders.merchant.merchantId,
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
    const order = { reference, storeId, paymentMethod };
    session.updatedAtMs = this.now();
    if (awaitSignatory) {
      session.status = 'pending';
      session.pending = order;
      this.orders.notifySession(session, 'com.ledyer.checkout.session.awaiting_signatory');
      return { kind: 'pending', orderId: session.orderId };
    }
    this.orders.createOrder(session, order);
    session.status = 'complete';
    return { kind: 'complete', orderId: session.orderId };
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
      version: orderVersion(session),
    };
  }
}

/**
 * A digest of what the page shows of the order and what decides how it is bought: lines,
 * totals, currency, terms, client validation. Content, not a counter, so an update that
 * changes none of it (a reference, the customer) does not send the buyer back.
 */
function orderVersion(session: SessionRecord): string {
  const request = session.request;
  const shown = {
    currency: request.currency,
    orderLines: request.orderLines ?? [],
    totals: [request.totalOrderAmount, request.totalOrderVatAmount, request.totalOrderAmountExclVat],
    terms: request.settings.urls.terms,
    privacy: request.settings.urls.privacy ?? null,
    requireClientValidation: request.settings.security?.requireClientValidation ?? false,
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 22);
}
