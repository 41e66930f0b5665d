/**
 * `ledyer-checkout/server`: the typed Ledyer client, `buildOrder`, the Fetch-API handlers
 * and their `node:http` adapter, and the zod schemas of Ledyer's wire formats.
 */
export { createLedyerClient, captureResponseSchema } from './client.js';
export type { LedyerClient, LedyerClientOptions, LedyerEnvironment, CallOptions, WriteOptions, CaptureResponse } from './client.js';
export type { FetchFunction } from './transport.js';

export { LedyerApiError, LedyerValidationError } from './errors.js';
export type { LedyerApiErrorCode, LedyerErrorDetail, LedyerValidationIssue } from './errors.js';

export { buildOrder } from './build-order.js';
export type { BuildOrderLine, BuildOrderOptions, BuiltOrder, BuiltOrderLine, OrderDiscount } from './build-order.js';
export { lineTotalAmount, lineVatAmount, orderTotals } from '../shared/order-math.js';
export type { OrderTotals } from '../shared/order-math.js';

export { createCheckoutHandler, UnknownItemError } from './checkout-handler.js';
export type { CartItem, CheckoutHandlerOptions, CheckoutSessionAnswer, ResolveOrder, ResolveOrderContext } from './checkout-handler.js';
export { createNotificationHandler, createValidateHandler } from './callback-handlers.js';
export type {
  CallbackContext,
  NotificationFunction,
  NotificationHandlerOptions,
  ValidateDecision,
  ValidateFunction,
  ValidateHandlerOptions,
} from './callback-handlers.js';
export type { FetchHandler, HandlerErrorBody, HandlerErrorReporter } from './http-json.js';
export { toNodeListener } from './node-adapter.js';
export type { NodeListener, NodeListenerOptions } from './node-adapter.js';

export * from './schemas.js';
