/**
 * One `Event` subclass per event of `<ledyer-checkout>`. All bubble and are composed so a
 * listener on any ancestor (or across shadow roots) hears them; only `ledyer-validate` is
 * cancelable, because only there `preventDefault()` means something (deny).
 */
import type {
  LedyerCheckoutErrorInfo,
  LedyerCheckoutState,
  LedyerConfirmationStatus,
  LedyerErrorCode,
  ValidationResult,
} from './types.js';

const init = { bubbles: true, composed: true } as const;

/** `ledyer-load`: Ledyer's script has loaded and the checkout is mounting. */
export class LedyerLoadEvent extends Event {
  static readonly eventName = 'ledyer-load';
  constructor(
    readonly sessionId: string,
    readonly scriptUrl: string,
  ) {
    super(LedyerLoadEvent.eventName, init);
  }
}

/** `ledyer-ready`: the checkout iframe is in the container and has loaded. */
export class LedyerReadyEvent extends Event {
  static readonly eventName = 'ledyer-ready';
  constructor(readonly sessionId: string) {
    super(LedyerReadyEvent.eventName, init);
  }
}

/**
 * `ledyer-validate` (cancelable): the buyer pressed buy on a session that requires client
 * validation. Call `respondWith(result | promise)` during dispatch; `preventDefault()` alone
 * denies with Ledyer's default message. `signal` aborts when the answer is no longer wanted
 * (deadline passed, checkout torn down).
 */
export class LedyerValidateEvent extends Event {
  static readonly eventName = 'ledyer-validate';
  readonly #responses: Array<Promise<ValidationResult>> = [];
  #dispatching = true;

  constructor(
    readonly sessionId: string,
    readonly signal: AbortSignal,
  ) {
    super(LedyerValidateEvent.eventName, { ...init, cancelable: true });
  }

  /**
   * Answers the validation. Like `FetchEvent.respondWith`, it must be called synchronously
   * inside the listener: after dispatch the element has already decided.
   */
  respondWith(result: ValidationResult | Promise<ValidationResult>): void {
    if (!this.#dispatching) {
      throw new DOMException('respondWith() must be called synchronously inside the ledyer-validate listener', 'InvalidStateError');
    }
    this.#responses.push(Promise.resolve(result));
  }

  /** @internal The element closes the event after dispatch and reads the answers. */
  takeResponses(): Array<Promise<ValidationResult>> {
    this.#dispatching = false;
    return this.#responses.slice();
  }
}

/** `ledyer-confirmation`: the purchase is done (`complete`) or awaits something, e.g. a signatory (`pending`). */
export class LedyerConfirmationEvent extends Event {
  static readonly eventName = 'ledyer-confirmation';
  constructor(
    readonly sessionId: string,
    readonly status: LedyerConfirmationStatus,
  ) {
    super(LedyerConfirmationEvent.eventName, init);
  }
}

/** `ledyer-customer-change`: the buyer changed customer details; re-read the session server-side. */
export class LedyerCustomerChangeEvent extends Event {
  static readonly eventName = 'ledyer-customer-change';
  constructor(readonly sessionId: string) {
    super(LedyerCustomerChangeEvent.eventName, init);
  }
}

/** `ledyer-billing-change`: the buyer changed the billing address. */
export class LedyerBillingChangeEvent extends Event {
  static readonly eventName = 'ledyer-billing-change';
  constructor(readonly sessionId: string) {
    super(LedyerBillingChangeEvent.eventName, init);
  }
}

/** `ledyer-shipping-change`: the buyer changed the shipping address. */
export class LedyerShippingChangeEvent extends Event {
  static readonly eventName = 'ledyer-shipping-change';
  constructor(readonly sessionId: string) {
    super(LedyerShippingChangeEvent.eventName, init);
  }
}

/** `ledyer-error`: something went wrong after configuration; `code` is stable. */
export class LedyerErrorEvent extends Event implements LedyerCheckoutErrorInfo {
  static readonly eventName = 'ledyer-error';
  constructor(
    readonly code: LedyerErrorCode,
    readonly message: string,
    readonly recoverable: boolean,
  ) {
    super(LedyerErrorEvent.eventName, init);
  }
}

/** `ledyer-state-change`: `state` moved from `previous`. */
export class LedyerStateChangeEvent extends Event {
  static readonly eventName = 'ledyer-state-change';
  constructor(
    readonly state: LedyerCheckoutState,
    readonly previous: LedyerCheckoutState,
  ) {
    super(LedyerStateChangeEvent.eventName, init);
  }
}

// Declared here rather than in define.ts so `addEventListener` is typed for users of the
// class-only entry too (they define the tag themselves).
declare global {
  interface GlobalEventHandlersEventMap {
    'ledyer-load': LedyerLoadEvent;
    'ledyer-ready': LedyerReadyEvent;
    'ledyer-validate': LedyerValidateEvent;
    'ledyer-confirmation': LedyerConfirmationEvent;
    'ledyer-customer-change': LedyerCustomerChangeEvent;
    'ledyer-billing-change': LedyerBillingChangeEvent;
    'ledyer-shipping-change': LedyerShippingChangeEvent;
    'ledyer-error': LedyerErrorEvent;
    'ledyer-state-change': LedyerStateChangeEvent;
  }
}
