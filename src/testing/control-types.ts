/**
 * What the sandbox's control API (`/sandbox/...`) answers, as the testing kit hands it to a
 * test: purchase outcomes with who bought, armed faults, and the callback deliveries with the
 * merchant's answers. Type-only, so nothing here runs.
 */
import type { CallbackDelivery, SandboxFault } from '../sandbox/index.js';
import type { NotificationCallback, ValidateCallback } from '../server/schemas.js';

/** Who bought: the hosted page open in a browser (its own buy flow), or the sandbox itself. */
export type SandboxDriver = 'page' | 'server';

/** The payment method a driven purchase chooses; left out, the buyer's choice (Invoice by default) stays. */
export type SandboxPaymentMethod = 'invoice' | 'advanceInvoice';

export interface SandboxBuyOptions {
  paymentMethod?: SandboxPaymentMethod;
}

/**
 * What came of `complete()` or `pending()`. A purchase that did not happen is an outcome
 * too (`declined`, `denied`, `redirect`), so a test asserts it; only a call the sandbox
 * refused (unknown or expired session, a page that timed out) rejects.
 */
export type SandboxPurchaseOutcome = (
  | { kind: 'complete'; orderId: string }
  /** Awaiting a signatory: no order yet; `sign()` creates it. */
  | { kind: 'pending'; orderId: string }
  /** The merchant's validate URL declined: 400 (no message) or 422 with its `{ title, body }`. */
  | { kind: 'declined'; title: string | null; body: string | null }
  /** The merchant's validate URL answered 303; the placeholders are filled in. */
  | { kind: 'redirect'; location: string }
  /** The merchant's page denied it in client validation (only when a page was open). */
  | { kind: 'denied'; title: string | null; body: string | null }
) & { drivenBy: SandboxDriver };

/** A signatory signed a pending purchase: the order now exists, ready for capture. Always server-side. */
export interface SandboxSignOutcome {
  kind: 'complete';
  orderId: string;
  drivenBy: 'server';
}

/** The session after `expire()`: `expiresAt` is now (or earlier). Open pages were told. */
export interface SandboxExpiry {
  sessionId: string;
  orderId: string;
  expiresAt: string;
}

/** A fault to arm: `status`, `delay`, `drop` or `lose-answer` on the next `count` calls of `path`. */
export type SandboxFaultSpec = SandboxFault;

/** A fault the sandbox holds, with how many calls it still applies to. */
export interface SandboxArmedFault {
  id: number;
  path: string;
  method?: string;
  count: number;
  kind: 'status' | 'delay' | 'drop' | 'lose-answer';
  status?: number;
  ms?: number;
  remaining: number;
}

/**
 * One attempt at a server-to-server callback, with what the merchant answered: the sandbox's
 * own record (`status` null when there was no answer, `responseBody` its first 4096
 * characters, `error` why there was none), with the body typed by the callback's kind.
 */
export type SandboxDelivery<Kind extends 'validate' | 'notification', Body> = Omit<CallbackDelivery, 'kind' | 'body'> & {
  kind: Kind;
  body: Body;
};

/** `{ eventType, merchantId, orderId, reference, storeId }`, or for a session event `{ eventType, merchantId, sessionId, storeId }`. */
export type NotificationDelivery = SandboxDelivery<'notification', NotificationCallback>;
/** `{ merchantId, orderId, reference, storeId }`, sent before the order is created. */
export type ValidationDelivery = SandboxDelivery<'validate', ValidateCallback>;

/**
 * Narrows the callback log. `orderId` matches bodies that name that order (every validation,
 * every order notification); `sessionId` matches bodies that name that session, which only
 * session-level notifications do (`…session.awaiting_signatory`). Given both, both must match.
 */
export interface DeliveryFilter {
  orderId?: string;
  sessionId?: string;
}

export interface NotificationFilter extends DeliveryFilter {
  /** e.g. `com.ledyer.order.ready_for_capture`. */
  eventType?: string;
}

export interface WaitForNotificationFilter extends NotificationFilter {
  /** The merchant's answer to wait for, e.g. 200 after a failed first attempt; null for none. */
  status?: number | null;
}

export interface WaitOptions {
  /** How long to wait, in ms (default 10000). */
  timeout?: number;
}
