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

/**
 * What every event of the element shares. Its type is the concrete class's `eventName`, so
 * each subclass names itself once.
 */
export abstract class LedyerEvent extends Event {
  declare static readonly eventName: string;
  constructor(cancelable?: boolean) {
    super((new.target as unknown as typeof LedyerEvent).eventName, { bubbles: true, composed: true, cancelable });
  }
}

/** An event that carries only the session id it is about. */
export abstract class LedyerSessionEvent extends LedyerEvent {
  constructor(readonly sessionId: string) {
    super();
  }
}

/** `ledyer-load`: Ledyer's script has loaded and the checkout is mounting. */
export class LedyerLoadEvent extends LedyerSessionEvent {
  static override readonly eventName = 'ledyer-load';
  constructor(
    sessionId: string,
    readonly scriptUrl: string,
  ) {
    super(sessionId);
  }
}

/** `ledyer-ready`: the checkout iframe is in the container and has loaded. */
export class LedyerReadyEvent extends LedyerSessionEvent {
  static override readonly eventName = 'ledyer-ready';
}

/**
 * `ledyer-validate` (cancelable): the buyer pressed buy on a session that requires client
 * validation. Call `respondWith(result | promise)` during dispatch; `preventDefault()` alone
 * denies with Ledyer's default message. `signal` aborts when the answer is no longer wanted
 * (deadline passed, checkout torn down).
 */
export class LedyerValidateEvent extends LedyerEvent {
  static override readonly eventName = 'ledyer-validate';
  /** `null` once dispatch is over. */
  #responses: Array<Promise<ValidationResult>> | null = [];

  constructor(
    readonly sessionId: string,
    readonly signal: AbortSignal,
  ) {
    super(true);
  }

  /**
   * Answers the validation. Like `FetchEvent.respondWith`, it must be called synchronously
   * inside the listener: after dispatch the element has already decided.
   */
  respondWith(result: ValidationResult | Promise<ValidationResult>): void {
    if (this.#responses === null) {
      throw new DOMException('respondWith() must be called synchronously in the ledyer-validate listener', 'InvalidStateError');
    }
    this.#responses.push(Promise.resolve(result));
  }

  /** @internal The element closes the event after dispatch and reads the answers. */
  takeResponses(): Array<Promise<ValidationResult>> {
    const responses = this.#responses ?? [];
    this.#responses = null;
    return responses;
  }
}

/** `ledyer-confirmation`: the purchase is done (`complete`) or awaits something, e.g. a signatory (`pending`). */
export class LedyerConfirmationEvent extends LedyerSessionEvent {
  static override readonly eventName = 'ledyer-confirmation';
  constructor(
    sessionId: string,
    readonly status: LedyerConfirmationStatus,
  ) {
    super(sessionId);
  }
}

/** `ledyer-customer-change`: the buyer changed customer details; re-read the session server-side. */
export class LedyerCustomerChangeEvent extends LedyerSessionEvent {
  static override readonly eventName = 'ledyer-customer-change';
}

/** `ledyer-billing-change`: the buyer changed the billing address. */
export class LedyerBillingChangeEvent extends LedyerSessionEvent {
  static override readonly eventName = 'ledyer-billing-change';
}

/** `ledyer-shipping-change`: the buyer changed the shipping address. */
export class LedyerShippingChangeEvent extends LedyerSessionEvent {
  static override readonly eventName = 'ledyer-shipping-change';
}

/** `ledyer-error`: something went wrong after configuration; `code` is stable. */
export class LedyerErrorEvent extends LedyerEvent implements LedyerCheckoutErrorInfo {
  static override readonly eventName = 'ledyer-error';
  constructor(
    readonly code: LedyerErrorCode,
    readonly message: string,
    readonly recoverable: boolean,
  ) {
    super();
  }
}

/** `ledyer-state-change`: `state` moved from `previous`. */
export class LedyerStateChangeEvent extends LedyerEvent {
  static override readonly eventName = 'ledyer-state-change';
  constructor(
    readonly state: LedyerCheckoutState,
    readonly previous: LedyerCheckoutState,
  ) {
    super();
  }
}

/** Every event of `<ledyer-checkout>` by name: the source of the typed listener, JSX and Vue types. */
export interface LedyerCheckoutEventMap {
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

// Declared here rather than in define.ts so `addEventListener` is typed for users of the
// class-only entry too (they define the tag themselves).
declare global {
  interface GlobalEventHandlersEventMap extends LedyerCheckoutEventMap {}
}
