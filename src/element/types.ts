/** Public types of `<ledyer-checkout>`; type-only, so server code may import them freely. */

/** Where the element is in its life: see the class JSDoc for the transitions. */
export type LedyerCheckoutState = 'idle' | 'loading' | 'ready' | 'suspended' | 'validating' | 'complete' | 'error';

/** Which Ledyer the production path talks to. */
export type LedyerEnvironment = 'sandbox' | 'production';

/** What happens when the merchant's validation throws, rejects or misses its deadline. */
export type ValidationTimeoutAction = 'deny' | 'proceed';

/** A merchant's answer to a client-validation request. */
export type ValidationResult = { proceed: true } | { proceed: false; title?: string; message?: string };

/** What the element knows when Ledyer asks for client validation (Ledyer's own payload is not public). */
export interface LedyerValidateDetail {
  sessionId: string;
}

/** The `validate` property: asked before the `ledyer-validate` listeners' answers are combined. */
export type LedyerValidateHandler = (
  detail: LedyerValidateDetail,
  signal: AbortSignal,
) => ValidationResult | Promise<ValidationResult>;

/** Stable codes of `ledyer-error`. */
export type LedyerErrorCode =
  | 'invalid-session-id'
  | 'invalid-environment'
  | 'invalid-bootstrap-url'
  | 'script-load-failed'
  | 'load-timeout'
  | 'another-checkout-active'
  | 'inside-shadow-root'
  | 'validation-failed';

export interface LedyerCheckoutErrorInfo {
  code: LedyerErrorCode;
  message: string;
  /** `true` when `reload()` (or the other checkout leaving) can make it work without new input. */
  recoverable: boolean;
}

export type LedyerConfirmationStatus = 'complete' | 'pending';
