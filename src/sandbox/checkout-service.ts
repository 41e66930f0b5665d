/**
 * The seam between the sandbox's API core (sessions, orders, server callbacks) and its
 * browser side (bootstrap.js, the hosted checkout page and the routes that serve them).
 * The core implements it; the browser routes only call it.
 */
import type { LiveCheckouts } from './live-checkouts.js';
import type { SandboxPaymentMethod } from './order-book.js';

export type { SandboxPaymentMethod } from './order-book.js';

/** Company and contact details the buyer sees and edits in the hosted page. */
export interface CheckoutCustomer {
  companyId: string;
  companyName: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  reference1: string;
  reference2: string;
  billingAddress: CheckoutAddress;
  shippingAddress: CheckoutAddress | null;
}

export interface CheckoutAddress {
  companyName: string;
  streetAddress: string;
  postalCode: string;
  city: string;
  country: string;
  careOf: string;
  attentionName: string;
}

/** One order line as the hosted page shows it: amounts already formatted by the sandbox. */
export interface CheckoutLineView {
  reference: string;
  description: string;
  quantity: number;
  type: string;
  /** Empty when the merchant sent the line with totals only. */
  unitPrice: string;
  totalAmount: string;
}

/** What the hosted page needs to render a session. */
export interface CheckoutView {
  sessionId: string;
  orderId: string;
  locale: string;
  currency: string;
  customer: CheckoutCustomer;
  settings: {
    showNameFields: boolean;
    allowShippingAddress: boolean;
    showShippingAddressContact: boolean;
    requireClientValidation: boolean;
  };
  orderLines: CheckoutLineView[];
  totalOrderAmount: string;
  totalOrderVatAmount: string;
  totalOrderAmountExclVat: string;
  termsUrl: string;
  privacyUrl: string | null;
  /** `open` until bought; a completed session shows its confirmation again. */
  status: 'open' | 'complete' | 'pending';
  /**
   * Names what the page shows of the order (lines, totals, currency, terms, client
   * validation): it changes whenever the merchant's update changes any of it. A purchase
   * carries the version the buyer saw and is refused when the session has moved on.
   */
  version: string;
}

/**
 * The hosted page's own state: embedded in the page as a JSON data block, and answered by
 * `GET /checkout/{sessionId}/state` so the page can re-render after `resume()`.
 */
export interface CheckoutPageState {
  sessionId: string;
  version: string;
  status: CheckoutView['status'];
  country: string;
  customer: CheckoutCustomer;
  requireClientValidation: boolean;
  orderLines: CheckoutLineView[];
  totalOrderAmount: string;
  totalOrderVatAmount: string;
  totalOrderAmountExclVat: string;
  /** What a page driven by the control API fills into empty required fields. */
  testDefaults: { canSignCompanyId: string; awaitsSignatoryCompanyId: string; email: string };
}

/** What the page sends when the buyer presses buy. */
export interface PurchaseRequest {
  /** `CheckoutView.version` of the view the buyer saw. */
  version: string;
  paymentMethod: SandboxPaymentMethod;
}

export type CheckoutLookup =
  | { ok: true; view: CheckoutView }
  | { ok: false; reason: 'unknown-session' | 'expired-session'; message: string };

/** The outcome of pressing buy, after client validation has already said proceed. */
export type PurchaseOutcome =
  | { kind: 'complete'; orderId: string }
  | { kind: 'pending'; orderId: string }
  /** The merchant's validate URL declined (400: no message, 422: its `{ title, body }`). */
  | { kind: 'declined'; title: string | null; body: string | null }
  /** The merchant's validate URL answered 303; `location` has its placeholders filled. */
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; message: string }
  /** The session changed since the page rendered it: nothing was bought; `view` is the fresh one. */
  | { kind: 'session-changed'; view: CheckoutView };

/**
 * A purchase as the merchant's page experiences it: a purchase outcome, or a denial by the
 * merchant's own page (`clientValidation({ shouldProceed: false })`), which never reaches the server.
 */
export type CheckoutOutcome = PurchaseOutcome | { kind: 'denied'; title: string | null; body: string | null };

export interface CheckoutService {
  lookup(sessionId: string): CheckoutLookup;
  /** Saves what the buyer typed; reports which parts changed so bootstrap can fire events. */
  updateCustomer(
    sessionId: string,
    customer: Partial<CheckoutCustomer>,
  ): { ok: true; changed: Array<'customer' | 'billing' | 'shipping'> } | { ok: false; message: string };
  /**
   * Validate URL → authorize → create order → notifications, with Ledyer's rules; refused
   * with `session-changed` when `request.version` is not the session's current one. The
   * buyer's company decides whether it ends pending (`SANDBOX_TEST_COMPANIES`).
   */
  purchase(sessionId: string, request: PurchaseRequest): Promise<PurchaseOutcome>;
  /** The open pages' live channel (`GET /checkout/{sessionId}/events`). */
  readonly live: LiveCheckouts;
}
