/**
 * The seam between the sandbox's API core (sessions, orders, server callbacks) and its
 * browser side (bootstrap.js, the hosted checkout page and the routes that serve them).
 * The core implements it; the browser routes only call it.
 */

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
  | { kind: 'error'; message: string };

export interface CheckoutService {
  lookup(sessionId: string): CheckoutLookup;
  /** Saves what the buyer typed; reports which parts changed so bootstrap can fire events. */
  updateCustomer(
    sessionId: string,
    customer: Partial<CheckoutCustomer>,
  ): { ok: true; changed: Array<'customer' | 'billing' | 'shipping'> } | { ok: false; message: string };
  /** Validate URL → authorize → create order → notifications, with Ledyer's rules. */
  purchase(sessionId: string): Promise<PurchaseOutcome>;
}
