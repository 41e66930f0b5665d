/**
 * `createNotificationHandler`: Ledyer's notification webhook (`settings.urls.notification`).
 *
 * Ledyer does not sign its callbacks, so the body proves nothing: anyone can post
 * `{ eventType: 'com.ledyer.order.create', orderId }`. The recommended form passes a
 * `client`: for an order event the handler then re-reads the order and its payment status
 * from Ledyer (as Ledyer's checklist asks) and hands the merchant's function what Ledyer
 * says, not what the body says. An order Ledyer does not know is answered 404 without
 * calling the function: a real notification is sent again, a forged one goes nowhere.
 *
 * Any `eventType` is accepted (Ledyer may add types). Session events
 * (`{ eventType, merchantId, sessionId, storeId }`, e.g. awaiting_signatory) name no order
 * to re-read, so they are passed on as they came, typed apart from order events.
 *
 * It does not check the Content-Type: which one Ledyer sends is not documented, and
 * refusing a real callback over a header would drop events.
 */
import type { LedyerClient } from './client.js';
import { LedyerApiError, LedyerValidationError } from './errors.js';
import {
  errorResponse,
  logHandlerError,
  methodNotAllowed,
  readJsonBody,
  type CallbackContext,
  type FetchHandler,
  type HandlerErrorReporter,
} from './http-json.js';
import {
  notificationCallbackSchema,
  type NotificationCallback,
  type Order,
  type OrderNotification,
  type PaymentStatus,
  type SessionNotification,
} from './schemas.js';

/** The body as Ledyer posted it, unchecked: the function of a handler without `client`. Its result is awaited. */
export type NotificationFunction = (notification: NotificationCallback, context: CallbackContext) => unknown;

/** An order event, with the order and its payment status as Ledyer reports them now. */
export interface VerifiedOrderNotification {
  kind: 'order';
  notification: OrderNotification;
  order: Order;
  paymentStatus: PaymentStatus;
}

/** A session event (no orderId, nothing to re-read): the body as it came. */
export interface SessionNotificationEvent {
  kind: 'session';
  notification: SessionNotification;
}

export type VerifiedNotification = VerifiedOrderNotification | SessionNotificationEvent;

/** The function of a handler with `client`. */
export type VerifiedNotificationFunction = (event: VerifiedNotification, context: CallbackContext) => unknown;

export interface NotificationHandlerOptions {
  /** Largest accepted body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  onError?: HandlerErrorReporter;
  /** Pass a `client` for the recommended form (see `VerifiedNotificationHandlerOptions`). */
  client?: undefined;
}

export interface VerifiedNotificationHandlerOptions extends Omit<NotificationHandlerOptions, 'client'> {
  /** Re-reads each order event's order and payment status from Ledyer before the function sees it. */
  client: Pick<LedyerClient, 'getOrder' | 'getPaymentStatus'>;
}

const isOrderEvent = (notification: NotificationCallback): notification is OrderNotification => typeof notification.orderId === 'string';

/**
 * The recommended form: with `client`, `fn` receives `{ kind: 'order', notification, order,
 * paymentStatus }` read back from Ledyer, or `{ kind: 'session', notification }`.
 *
 * Answers: 200 once `fn` has returned; 404 (and `fn` not called) for an order Ledyer does
 * not know; 503 when Ledyer cannot be reached, so Ledyer sends it again later; 500 when
 * `fn` throws or the read fails otherwise (Ledyer retries that too); 400 for a body that is
 * not a notification. `fn` may see an event more than once: make it idempotent.
 */
export function createNotificationHandler(fn: VerifiedNotificationFunction, options: VerifiedNotificationHandlerOptions): FetchHandler;
/** Without `client`, `fn` receives the unchecked body: act on it only after reading the order yourself. */
export function createNotificationHandler(fn: NotificationFunction, options?: NotificationHandlerOptions): FetchHandler;
export function createNotificationHandler(
  fn: NotificationFunction | VerifiedNotificationFunction,
  options: NotificationHandlerOptions | VerifiedNotificationHandlerOptions = {},
): FetchHandler {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const report = options.onError ?? logHandlerError;
  const client = options.client;

  /** What `fn` receives in the verified form, or the answer that ends the request instead. */
  async function readBack(notification: NotificationCallback, signal: AbortSignal): Promise<VerifiedNotification | Response> {
    if (!client) throw new Error('unreachable: readBack without a client');
    if (!isOrderEvent(notification)) return { kind: 'session', notification };
    try {
      const [order, paymentStatus] = await Promise.all([
        client.getOrder(notification.orderId, { signal }),
        client.getPaymentStatus(notification.orderId, { signal }),
      ]);
      return { kind: 'order', notification, order, paymentStatus };
    } catch (error) {
      if (error instanceof LedyerValidationError) {
        return errorResponse(400, 'invalid_notification', `orderId: ${error.issues[0]?.message ?? 'invalid'}`, ['orderId']);
      }
      if (error instanceof LedyerApiError && error.code === 'ledyer_rejected' && error.status === 404) {
        report(new UnknownOrderNotificationError(notification.orderId, notification.eventType), { handler: 'notification' });
        return errorResponse(404, 'unknown_order', 'Ledyer knows no order with this orderId; the notification was not processed', ['orderId']);
      }
      report(error, { handler: 'notification' });
      if (error instanceof LedyerApiError && (error.code === 'ledyer_unavailable' || error.code === 'network_error' || error.code === 'timeout')) {
        return errorResponse(503, 'ledyer_unavailable', 'the order could not be read from Ledyer; send the notification again later');
      }
      return errorResponse(500, 'notification_failed', 'the notification was not processed; send it again');
    }
  }

  return async (request) => {
    if (request.method !== 'POST') return methodNotAllowed('POST');
    const parsed = await readJsonBody(request, notificationCallbackSchema, {
      maxBytes: maxBodyBytes,
      invalidCode: 'invalid_notification',
      report: (error) => report(error, { handler: 'notification' }),
    });
    if (!parsed.ok) return parsed.response;
    const context: CallbackContext = { request, signal: request.signal };

    let event: NotificationCallback | VerifiedNotification = parsed.value;
    if (client) {
      const read = await readBack(parsed.value, request.signal);
      if (read instanceof Response) return read;
      event = read;
    }
    try {
      // The overloads guarantee the function matches the form the options chose.
      await (fn as (event: NotificationCallback | VerifiedNotification, context: CallbackContext) => unknown)(event, context);
      return new Response(null, { status: 200 });
    } catch (error) {
      report(error, { handler: 'notification' });
      return errorResponse(500, 'notification_failed', 'the notification was not processed; send it again');
    }
  };
}

/** Reported when a notification names an order Ledyer does not know: forged, or sent to the wrong environment. */
export class UnknownOrderNotificationError extends Error {
  override readonly name = 'UnknownOrderNotificationError';
  readonly code = 'unknown_order' as const;
  readonly orderId: string;

  constructor(orderId: string, eventType: string) {
    super(`a ${eventType} notification names order ${orderId}, which Ledyer does not know (forged, or meant for another environment); answered 404`);
    this.orderId = orderId;
  }
}
