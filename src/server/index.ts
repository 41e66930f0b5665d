/**
 * `ledyer-checkout/server`: the typed Ledyer client, `buildOrder`, the Fetch-API handlers
 * and the zod schemas of Ledyer's wire formats. Nothing here imports a `node:` module, so
 * it runs on any Fetch-API runtime (Node, Deno, Bun, edge workers); the `node:http` and
 * Express adapter is its own entry, `ledyer-checkout/server/node` (./node.ts).
 */
export { createLedyerClient } from './client.js';
export type { LedyerClient, LedyerClientOptions, LedyerEnvironment, CallOptions, WriteOptions } from './client.js';
export type { FetchFunction, SleepFunction } from './transport.js';
export { orderIdSchema, ledgerIdSchema } from './path-ids.js';

export { LedyerApiError, LedyerValidationError, NothingToCaptureError } from './errors.js';
export type { LedyerApiErrorCode, LedyerErrorDetail, LedyerValidationIssue } from './errors.js';

export { buildOrder } from './build-order.js';
export type { BuildOrderLine, BuildOrderOptions, BuiltOrder, BuiltOrderLine, OrderDiscount } from './build-order.js';
export { lineTotalAmount, lineVatAmount, orderTotals } from '../shared/order-math.js';
export type { OrderTotals } from '../shared/order-math.js';

export { createCheckoutHandler, isSessionGoneByDefault, UnknownItemError } from './checkout-handler.js';
export type {
  CartItem,
  CheckoutContext,
  CheckoutHandlerOptions,
  CheckoutSessionAnswer,
  CheckoutState,
  CheckoutStatusAnswer,
  CheckoutUpdateAnswer,
  CreatedCheckoutSession,
  ResolveOrder,
  ResolveOrderContext,
} from './checkout-handler.js';
export { checkoutStateOf } from './checkout-state.js';
export { createConcurrencyLimiter, defaultConcurrencyLimit } from './concurrency-limiter.js';
export type { Admission, ConcurrencyLimiter, ConcurrencyLimitOptions } from './concurrency-limiter.js';
export { createValidateHandler } from './validate-handler.js';
export type { ValidateDecision, ValidateFunction, ValidateHandlerOptions } from './validate-handler.js';
export { createNotificationHandler, UnknownOrderNotificationError } from './notification-handler.js';
export type {
  NotificationFunction,
  NotificationHandlerOptions,
  SessionNotificationEvent,
  VerifiedNotification,
  VerifiedNotificationFunction,
  VerifiedNotificationHandlerOptions,
  VerifiedOrderNotification,
} from './notification-handler.js';
export { checkoutPageHints } from './page-hints.js';
export type { CheckoutPageHints, CheckoutPageHintsOptions } from './page-hints.js';
export type { CallbackContext, FetchHandler, HandlerErrorBody, HandlerErrorReporter } from './http-json.js';

export * from './schemas.js';
