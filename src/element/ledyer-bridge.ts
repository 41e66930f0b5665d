/**
 * The one place that knows Ledyer's page-global browser contract (LEDYER.md): the
 * `ledyerCheckout*` events on `document` and `window.ledyer.api`. Everything it adds to the
 * page is torn down with one `AbortController`. Event payloads are not public, so nothing
 * here reads `detail`.
 */

export interface ClientValidationAnswer {
  shouldProceed: boolean;
  message?: { title: string | null; body: string };
}

interface LedyerApi {
  suspend?: () => void;
  resume?: () => void;
  clientValidation?: (answer: ClientValidationAnswer) => void;
}

export type LedyerSignal =
  | 'waiting-for-client-validation'
  | 'order-complete'
  | 'order-pending'
  | 'customer-updated'
  | 'billing-updated'
  | 'shipping-updated';

const DOCUMENT_EVENTS: ReadonlyArray<readonly [string, LedyerSignal]> = [
  ['ledyerCheckoutWaitingForClientValidation', 'waiting-for-client-validation'],
  ['ledyerCheckoutOrderComplete', 'order-complete'],
  ['ledyerCheckoutOrderPending', 'order-pending'],
  ['ledyerCheckoutCustomerUpdated', 'customer-updated'],
  ['ledyerCheckoutBillingUpdated', 'billing-updated'],
  ['ledyerCheckoutShippingUpdated', 'shipping-updated'],
];

export class LedyerBridge {
  readonly #controller = new AbortController();

  constructor(onSignal: (signal: LedyerSignal) => void) {
    for (const [type, signal] of DOCUMENT_EVENTS) {
      document.addEventListener(type, () => onSignal(signal), { signal: this.#controller.signal });
    }
  }

  /** Aborted on teardown; anything else tied to this mount (script listeners, timers) may hang on it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get closed(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Each returns `false` when Ledyer's API is not (yet) on the page, so the caller can warn. */
  suspend(): boolean {
    return this.#call('suspend');
  }

  resume(): boolean {
    return this.#call('resume');
  }

  clientValidation(answer: ClientValidationAnswer): boolean {
    return this.#call('clientValidation', answer);
  }

  close(): void {
    this.#controller.abort();
  }

  #call<K extends keyof LedyerApi>(method: K, ...args: Parameters<NonNullable<LedyerApi[K]>>): boolean {
    if (this.closed) return false;
    const api = (window as { ledyer?: { api?: LedyerApi } }).ledyer?.api;
    const fn: unknown = api?.[method];
    if (typeof fn !== 'function') return false;
    // Called as a method: Ledyer's API may rely on `this`.
    (fn as (...values: unknown[]) => void).apply(api, args);
    return true;
  }
}
