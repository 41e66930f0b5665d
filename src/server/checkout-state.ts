/**
 * A checkout's real state, from Ledyer's payment status: what a page asks its own server
 * before it shows success or empties the cart. The browser's `ledyer-confirmation` event is
 * no proof (any script on the page can dispatch Ledyer's document events); this is. Pure.
 */
import type { PaymentStatus } from './schemas.js';

/**
 * - `open`: not bought yet (Ledyer knows no order, or `orderInitiated`).
 * - `pending`: bought, waiting for something such as a signatory (`orderPending`).
 * - `complete`: an order exists and is paid for or payable (`paymentPending`,
 *   `paymentConfirmed`, `orderCaptured`, `orderRefunded`).
 * - `cancelled`: `orderCancelled`.
 * - `unknown`: anything else, including a status Ledyer adds later.
 */
export type CheckoutState = 'open' | 'pending' | 'complete' | 'cancelled' | 'unknown';

const states: Record<string, CheckoutState> = {
  orderInitiated: 'open',
  orderPending: 'pending',
  paymentPending: 'complete',
  paymentConfirmed: 'complete',
  orderCaptured: 'complete',
  orderRefunded: 'complete',
  orderCancelled: 'cancelled',
};

/** `null` stands for "Ledyer knows no order with this id" (404): the session is still open. */
export function checkoutStateOf(status: PaymentStatus['status'] | null): CheckoutState {
  if (status === null) return 'open';
  return Object.hasOwn(states, status) ? (states[status] as CheckoutState) : 'unknown';
}
