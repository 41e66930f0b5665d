/**
 * `ledyer-checkout`: the browser entry. Importing it defines `<ledyer-checkout>`; the class,
 * the event classes and the types are re-exported for typed listeners and subclassing.
 */
import './element/define.js';

export { LedyerCheckout } from './element/ledyer-checkout.js';
export {
  LedyerBillingChangeEvent,
  LedyerConfirmationEvent,
  LedyerCustomerChangeEvent,
  LedyerErrorEvent,
  LedyerLoadEvent,
  LedyerReadyEvent,
  LedyerShippingChangeEvent,
  LedyerStateChangeEvent,
  LedyerValidateEvent,
} from './element/events.js';
export type {
  LedyerCheckoutErrorInfo,
  LedyerCheckoutState,
  LedyerConfirmationStatus,
  LedyerEnvironment,
  LedyerErrorCode,
  LedyerValidateDetail,
  LedyerValidateHandler,
  ValidationResult,
  ValidationTimeoutAction,
} from './element/types.js';
