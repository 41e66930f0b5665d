/**
 * The checkout on the page: one `<ledyer-checkout>` and the session it shows. It keeps the
 * page honest with Ledyer's real contract:
 *
 * - A cart change suspends the checkout, updates the session on the shop's server and
 *   resumes it; Ledyer's checkout re-reads the session itself, so nothing is reloaded. When
 *   Ledyer says the session is gone, the server answers a new one (`replaced: true`) and the
 *   element mounts it.
 * - `ledyer-confirmation` is no proof: any script on the page can fire Ledyer's document
 *   events. Before the page shows success or empties the cart, it asks its own server,
 *   which asks Ledyer's API; only `complete` and `pending` count.
 */
import type { ValidationResult } from '../../src/element/types.js';
import type { CartItem, CheckoutSessionResponse, CheckoutState, CheckoutUpdateAnswer } from '../api-types.js';
import { shopApi } from './api.js';
import type { EventLog } from './event-log.js';

type CheckoutElement = HTMLElementTagNameMap['ledyer-checkout'];

export interface ActiveCheckoutHooks {
  /** A line for the status area above the checkout; '' clears it. */
  status(message: string, tone?: 'info' | 'error'): void;
  /** Ledyer's API confirmed the purchase: show success, empty the cart. */
  confirmed(session: CheckoutSessionResponse, state: 'complete' | 'pending'): void;
  /** The buyer pressed buy on a session that asks for client validation. */
  validate(checkout: ActiveCheckout): Promise<ValidationResult>;
  /** The session changed under the page (replaced after it was gone); the element is mounting it. */
  sessionChanged(session: CheckoutSessionResponse): void;
}

export interface ElementSettings {
  environment: string;
  bootstrapUrl: string;
  buyButtonColor: string;
}

/**
 * How often and how far apart the page asks for the state after `ledyer-confirmation`, while
 * Ledyer says `open`: whether Ledyer's API can trail its own browser event is not documented.
 */
const CONFIRMATION_READS = 3;
const CONFIRMATION_READ_GAP_MS = 700;

const RENEWED = 'Your checkout had expired, so the shop opened a new one with the same cart. Check it and press buy again.';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ActiveCheckout {
  readonly element: CheckoutElement;
  /** Bought (Ledyer's API says so): the element stays, showing Ledyer's confirmation, but the cart no longer drives it. */
  completed = false;
  #session: CheckoutSessionResponse;
  readonly #hooks: ActiveCheckoutHooks;
  /** Removes every listener this page put on the element. */
  readonly #listeners = new AbortController();
  #confirming: Promise<void> | null = null;
  /** Said once the next checkout is ready (after a replaced session), instead of clearing the status. */
  #noticeWhenReady: string | null = null;

  constructor(session: CheckoutSessionResponse, settings: ElementSettings, log: EventLog, hooks: ActiveCheckoutHooks) {
    this.#session = session;
    this.#hooks = hooks;
    const element = (this.element = document.createElement('ledyer-checkout'));
    const { signal } = this.#listeners;
    element.setAttribute('environment', settings.environment || 'sandbox');
    if (settings.bootstrapUrl) element.setAttribute('bootstrap-url', settings.bootstrapUrl);
    element.setAttribute('buy-button-color', settings.buyButtonColor);
    log.watch(element, signal);
    element.addEventListener('ledyer-validate', (event) => event.respondWith(hooks.validate(this)), { signal });
    element.addEventListener('ledyer-confirmation', () => void this.#confirm(), { signal });
    element.addEventListener(
      'ledyer-error',
      (event) => hooks.status(`${event.message}${event.recoverable ? ' Try again in a moment.' : ''}`, 'error'),
      { signal },
    );
    element.addEventListener(
      'ledyer-ready',
      () => {
        hooks.status(this.#noticeWhenReady ?? '');
        this.#noticeWhenReady = null;
      },
      { signal },
    );
    element.setAttribute('session-id', session.sessionId);
  }

  get session(): CheckoutSessionResponse {
    return this.#session;
  }

  get disposed(): boolean {
    return this.#listeners.signal.aborted;
  }

  dispose(): void {
    this.#listeners.abort();
    this.element.remove();
  }

  /**
   * The cart changed: suspend, update the session on the server, resume. No reload. Answers
   * `replaced` when the session was gone and the element now mounts the new one.
   */
  async updateCart(items: CartItem[]): Promise<'updated' | 'replaced'> {
    const orderId = this.#session.orderId;
    const answer = await this.element.withSuspended(() => shopApi.updateCart(orderId, items));
    // After the resume, not inside it: a new session mounts fresh, with nothing left suspended.
    return this.#adopt(orderId, answer) ? 'replaced' : 'updated';
  }

  /**
   * Saves the purchase-order number as the session's reference, during client validation.
   * Answers whether the purchase may go on: not when the session had to be replaced, because
   * the buyer must see (and buy) the new one.
   */
  async savePurchaseOrder(purchaseOrderNumber: string): Promise<ValidationResult> {
    const orderId = this.#session.orderId;
    const answer = await shopApi.savePurchaseOrder(orderId, purchaseOrderNumber);
    if (!answer.replaced) return { proceed: true };
    // The element is answering Ledyer now; mount the new session once that answer is given.
    setTimeout(() => this.#adopt(orderId, answer), 0);
    return { proceed: false, title: 'Your checkout was renewed', message: RENEWED };
  }

  /** Mounts the session that replaced a gone one; false when there is none (or this checkout moved on). */
  #adopt(orderId: string, answer: CheckoutUpdateAnswer): boolean {
    if (this.disposed || this.completed || this.#session.orderId !== orderId || !answer.replaced) return false;
    this.#session = { sessionId: answer.sessionId, orderId: answer.orderId, expiresAt: answer.expiresAt };
    this.#noticeWhenReady = RENEWED;
    this.element.sessionId = answer.sessionId;
    this.#hooks.sessionChanged(this.#session);
    return true;
  }

  /** One check at a time: a forged event and the real one may come close together. */
  #confirm(): Promise<void> {
    this.#confirming ??= this.#checkWithLedyer().finally(() => {
      this.#confirming = null;
    });
    return this.#confirming;
  }

  async #checkWithLedyer(): Promise<void> {
    if (this.completed) return;
    const session = this.#session;
    this.#hooks.status('Checking the purchase with Ledyer…');
    let state: CheckoutState = 'unknown';
    try {
      for (let read = 1; read <= CONFIRMATION_READS; read += 1) {
        ({ state } = await shopApi.checkoutState(session.orderId));
        if (this.disposed || this.#session !== session) return;
        if (state === 'complete' || state === 'pending') {
          this.completed = true;
          this.#hooks.status('');
          this.#hooks.confirmed(session, state);
          return;
        }
        if (state !== 'open' || read === CONFIRMATION_READS) break;
        await wait(CONFIRMATION_READ_GAP_MS);
        if (this.disposed || this.#session !== session) return;
      }
    } catch (error) {
      if (this.disposed) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.#hooks.status(`The shop could not check the purchase with Ledyer (${reason}). Your cart is kept; nothing is confirmed yet.`, 'error');
      return;
    }
    this.#hooks.status(
      `Ledyer has not confirmed a purchase: order ${session.orderId} is "${state}" at Ledyer. Your cart is kept and the checkout stays open.`,
      'error',
    );
  }
}
