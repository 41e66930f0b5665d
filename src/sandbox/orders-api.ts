/**
 * The order calls of LEDYER.md on the order entity of seed edit-order.txt, over the ledger
 * model of `ledger.ts`. Every write runs behind the order's lock, so parallel calls apply one
 * after another and each leaves exactly one event. Writes answer the order entity (Ledyer's
 * order-management plugin reads `captured[0].ledgerId` from the capture answer); acknowledge
 * answers 201, as omnipay-ledyer expects.
 */
import { z } from 'zod';
import {
  captureOrderRequestSchema,
  editOrderRequestSchema,
  partialCaptureOrderRequestSchema,
  partialRefundOrderRequestSchema,
  setOrderReferenceRequestSchema,
} from '../server/schemas.js';
import type { SandboxContext } from './context.js';
import { ApiError, expectNoBody, isEmptyBody, parseJsonBody, parseOptionalJsonBody, parseOrThrow } from './errors.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { newId } from './ids.js';
import { captureAll, capturePart, describeLines, refundableLines, refundPart } from './ledger.js';
import {
  captureBlockedReason,
  isCancelled,
  isFullyRefunded,
  linesTotal,
  renderOrder,
  renderPaymentStatus,
  timestamp,
  type CapturedLedger,
  type OrderLineRecord,
  type OrderRecord,
} from './order-entity.js';

function findOrder(context: SandboxContext, orderId: string): OrderRecord {
  const order = context.store.orders.get(orderId);
  if (order) return order;
  const session = context.store.sessionByOrderId(orderId);
  const hint = session ? ': the session has not been bought yet, so there is no order' : '';
  throw ApiError.of(404, `no order with id ${JSON.stringify(orderId)}${hint}`, 'not_found');
}

function conflict(message: string): ApiError {
  return ApiError.of(409, message, 'action_not_available');
}

/** Runs a write behind the order's lock; a 404 is decided before queueing. */
function locked(context: SandboxContext, orderId: string, work: (order: OrderRecord) => ApiResponse): Promise<ApiResponse> {
  findOrder(context, orderId);
  return context.store.locks.run(orderId, () => work(findOrder(context, orderId)));
}

const entity = (order: OrderRecord, status = 200): ApiResponse => ({ status, body: renderOrder(order) });

export function getOrder(context: SandboxContext, orderId: string): ApiResponse {
  return entity(findOrder(context, orderId));
}

/**
 * Before there is an order, the session's: `orderInitiated` while it is open, `orderPending`
 * while it awaits a signatory (Ledyer's documented values; what Ledyer answers for an
 * unbought session is not public, so this is the sandbox's reading of their names).
 */
export function getPaymentStatus(context: SandboxContext, orderId: string): ApiResponse {
  const order = context.store.orders.get(orderId);
  if (order) return { status: 200, body: renderPaymentStatus(order) };
  const session = context.store.sessionByOrderId(orderId);
  if (!session) findOrder(context, orderId);
  return { status: 200, body: { status: session?.status === 'pending' ? 'orderPending' : 'orderInitiated', note: '', paymentMethod: null } };
}

/** Edit order (seed): the body's lines replace what remains uncaptured. */
export function editOrder(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const body = parseOrThrow(editOrderRequestSchema, parseJsonBody(request.rawBody));
  return locked(context, orderId, (order) => {
    if (isCancelled(order)) throw conflict('the order is cancelled: editOrder is not available');
    if (order.uncapturedLines.length === 0) throw conflict('the order is fully captured: only uncaptured order lines can be edited');
    if (body.orderLines.length === 0 && order.captured.length === 0) {
      throw new ApiError(400, [
        {
          path: 'orderLines',
          message: `orderLines: an edit cannot remove every line of an order with nothing captured; cancel it instead (DELETE v1/orders/${order.id})`,
          code: 'invalid_edit',
        },
      ]);
    }
    const before = linesTotal(order.uncapturedLines);
    order.uncapturedLines = keepLineIds(order.uncapturedLines, body.orderLines);
    context.orders.addEvent(order, 'edit', linesTotal(order.uncapturedLines) - before);
    return entity(order);
  });
}

/** A line that is still there (same reference and type) keeps its `ol_` id; new lines get one. */
function keepLineIds(previous: OrderLineRecord[], next: z.output<typeof editOrderRequestSchema>['orderLines']): OrderLineRecord[] {
  const unused = [...previous];
  return next.map((line) => {
    const index = unused.findIndex((old) => old.reference === line.reference && old.type === line.type);
    const id = index >= 0 ? unused.splice(index, 1)[0]?.id : undefined;
    return { ...line, id: id ?? newId('ol') };
  });
}

/** Why a capture cannot start in the order's state (409), before its body is looked at. */
function refuseCaptureState(order: OrderRecord, call: string): void {
  if (isCancelled(order)) throw conflict(`the order is cancelled: ${call} is not available`);
  if (order.uncapturedLines.length === 0) throw conflict(`nothing remains uncaptured on order ${order.id}: it is fully captured`);
  const blocked = captureBlockedReason(order);
  if (blocked) throw ApiError.of(409, blocked, 'not_acknowledged');
}

/** A capture body, or a 400 that also says what remains uncaptured. */
function parseCaptureBody(schema: typeof captureOrderRequestSchema, json: unknown, order: OrderRecord, call: string): z.output<typeof captureOrderRequestSchema> {
  const remaining = describeLines('remaining uncaptured', order.uncapturedLines);
  if (json === undefined) {
    throw ApiError.of(400, `${call} needs a body { orderLines, totalCaptureAmount } (Ledyer's docs); ${remaining}`, 'body_required');
  }
  try {
    return parseOrThrow(schema, json);
  } catch (error) {
    if (error instanceof ApiError) throw new ApiError(400, [...error.errors, { path: 'orderLines', message: remaining, code: 'ledger_mismatch' }]);
    throw error;
  }
}

function recordCapture(context: SandboxContext, order: OrderRecord, captured: OrderLineRecord[], remaining: OrderLineRecord[]): ApiResponse {
  const nowMs = context.now();
  const ledger: CapturedLedger = { ledgerId: newId('in', nowMs), createdAt: timestamp(nowMs), lines: captured };
  order.captured.push(ledger);
  order.uncapturedLines = remaining;
  const full = remaining.length === 0;
  context.orders.addEvent(order, full ? 'fullCapture' : 'partialCapture', linesTotal(captured), ledger.ledgerId);
  context.orders.notifyOrder(order, full ? 'com.ledyer.order.full_capture' : 'com.ledyer.order.part_capture');
  return entity(order);
}

/** `POST .../capture`: `{ orderLines, totalCaptureAmount }` listing exactly what remains. */
export function captureOrder(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const json = parseOptionalJsonBody(request.rawBody);
  return locked(context, orderId, (order) => {
    refuseCaptureState(order, 'capture');
    const body = parseCaptureBody(captureOrderRequestSchema, json, order, 'capture');
    return recordCapture(context, order, captureAll(order.uncapturedLines, body), []);
  });
}

/** `POST .../partialcapture`: part of what remains; a line taken in part is split. */
export function partialCaptureOrder(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const json = parseOptionalJsonBody(request.rawBody);
  return locked(context, orderId, (order) => {
    refuseCaptureState(order, 'partialCapture');
    const body = parseCaptureBody(partialCaptureOrderRequestSchema, json, order, 'partialcapture');
    const { captured, remaining } = capturePart(order.uncapturedLines, body);
    return recordCapture(context, order, captured, remaining);
  });
}

/** Cancel: only while nothing is captured. */
export function cancelOrder(context: SandboxContext, orderId: string): Promise<ApiResponse> {
  return locked(context, orderId, (order) => {
    if (isCancelled(order)) throw conflict('the order is already cancelled');
    if (order.captured.length > 0) {
      throw conflict(`the order has captured ledgers (${order.captured.map((ledger) => ledger.ledgerId).join(', ')}): it can no longer be cancelled; refund them instead`);
    }
    const lines = order.uncapturedLines;
    order.cancelledLines = lines;
    order.uncapturedLines = [];
    context.orders.addEvent(order, 'cancel', -linesTotal(lines));
    context.orders.notifyOrder(order, 'com.ledyer.order.cancel');
    return entity(order);
  });
}

function findCapturedLedger(order: OrderRecord, ledgerId: string): CapturedLedger {
  const ledger = order.captured.find((candidate) => candidate.ledgerId === ledgerId);
  if (ledger) return ledger;
  const known = order.captured.map((candidate) => candidate.ledgerId).join(', ') || 'none';
  throw ApiError.of(404, `no captured ledger ${JSON.stringify(ledgerId)} on order ${order.id} (captured ledgers: ${known})`, 'not_found');
}

function recordRefund(context: SandboxContext, order: OrderRecord, ledger: CapturedLedger, lines: OrderLineRecord[]): ApiResponse {
  const nowMs = context.now();
  const refund = { ledgerId: newId('in', nowMs), createdAt: timestamp(nowMs), lines, refundOf: ledger.ledgerId };
  order.refunded.push(refund);
  const full = isFullyRefunded(order);
  context.orders.addEvent(order, full ? 'fullRefund' : 'partialRefund', -linesTotal(lines), refund.ledgerId);
  context.orders.notifyOrder(order, full ? 'com.ledyer.order.full_refund' : 'com.ledyer.order.part_refund');
  return entity(order);
}

function refundableOrRefuse(order: OrderRecord, ledger: CapturedLedger): OrderLineRecord[] {
  const left = refundableLines(ledger, order.refunded);
  if (left.length === 0) throw conflict(`ledger ${ledger.ledgerId} is already fully refunded: nothing is left to refund`);
  return left;
}

/**
 * `POST .../refund/{ledgerId}`: refunds what is left of that captured ledger. Takes no body
 * (omnipay-ledyer sends `[]`); a `{ orderLines, totalRefundAmount }` body is accepted when it
 * lists exactly what is left.
 */
export function refundOrder(context: SandboxContext, orderId: string, ledgerId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const json = parseOptionalJsonBody(request.rawBody);
  const body = isEmptyBody(json) ? null : parseOrThrow(partialRefundOrderRequestSchema, json);
  return locked(context, orderId, (order) => {
    const ledger = findCapturedLedger(order, ledgerId);
    const left = refundableOrRefuse(order, ledger);
    if (!body) return recordRefund(context, order, ledger, left);
    const lines = refundPart(ledger, order.refunded, body);
    const after = refundableLines(ledger, [...order.refunded, { ledgerId: '', createdAt: '', lines, refundOf: ledger.ledgerId }]);
    if (after.length > 0) {
      throw new ApiError(400, [
        {
          path: 'orderLines',
          message: `refund takes everything left on ${ledger.ledgerId} (use partialrefund for part); ${describeLines(`left to refund on ${ledger.ledgerId}`, left)}`,
          code: 'ledger_mismatch',
        },
      ]);
    }
    return recordRefund(context, order, ledger, lines);
  });
}

/** `POST .../partialrefund/{ledgerId}`: `{ orderLines, totalRefundAmount }`, amounts positive. */
export function partialRefundOrder(context: SandboxContext, orderId: string, ledgerId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const body = parseOrThrow(partialRefundOrderRequestSchema, parseJsonBody(request.rawBody));
  return locked(context, orderId, (order) => {
    const ledger = findCapturedLedger(order, ledgerId);
    refundableOrRefuse(order, ledger);
    return recordRefund(context, order, ledger, refundPart(ledger, order.refunded, body));
  });
}

/** Acknowledge: 201 (omnipay-ledyer expects it); a second one is harmless and records nothing. */
export function acknowledgeOrder(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  expectNoBody(request.rawBody, 'acknowledge');
  return locked(context, orderId, (order) => {
    if (!order.acknowledged) {
      order.acknowledged = true;
      context.orders.addEvent(order, 'acknowledge', 0);
    }
    return entity(order, 201);
  });
}

export function setOrderReference(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const body = parseOrThrow(setOrderReferenceRequestSchema, parseJsonBody(request.rawBody));
  return locked(context, orderId, (order) => {
    order.merchantReference = body.reference;
    context.orders.addEvent(order, 'setReference', 0);
    return entity(order);
  });
}

/**
 * `POST .../extendexpiry` (Ledyer's docs): pushes `expiresAt` out by the sandbox's
 * `orderExpiryExtensionMs`; how much Ledyer adds is not public.
 */
export function extendOrderExpiry(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  expectNoBody(request.rawBody, 'extendexpiry');
  return locked(context, orderId, (order) => {
    if (isCancelled(order)) throw conflict('the order is cancelled: extendOrderExpiry is not available');
    if (order.uncapturedLines.length === 0) throw conflict('nothing remains uncaptured: there is no authorization left to extend');
    order.expiresAtMs += context.orderExpiryExtensionMs;
    context.orders.addEvent(order, 'extendExpiry', 0);
    return entity(order);
  });
}

/** `POST .../customer` (the order-management plugin's editCustomer): its body and rules are not public. */
export function editCustomer(context: SandboxContext, orderId: string): ApiResponse {
  findOrder(context, orderId);
  throw ApiError.of(501, 'editCustomer (POST v1/orders/{orderId}/customer) is not emulated by the sandbox: its body and rules are not public', 'not_emulated');
}
