/**
 * The order calls of LEDYER.md on the order entity of seed edit-order.txt. Every write runs
 * behind the order's lock, so parallel edits apply one after another and each leaves one
 * `edit` event whose amount is exactly the change it made.
 */
import { z } from 'zod';
import { editOrderRequestSchema } from '../server/schemas.js';
import { orderTotals } from '../shared/order-math.js';
import type { SandboxContext } from './context.js';
import { ApiError, parseJsonBody, parseOrThrow } from './errors.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { newId } from './ids.js';
import { chunkTotal, renderLine, renderOrder, renderPaymentStatus, timestamp, type OrderLineRecord, type OrderRecord } from './order-entity.js';

const setReferenceSchema = z.strictObject({
  reference: z.string().min(1, 'reference must not be empty').max(50, 'reference must be at most 50 characters'),
});

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

/** Why an action is refused in the order's current phase, or null when it is allowed. */
function refusal(order: OrderRecord, action: 'editOrder' | 'capture' | 'cancel'): string | null {
  switch (order.phase) {
    case 'cancelled':
      return `the order is cancelled: ${action} is not available`;
    case 'fullyCaptured':
    case 'fullyRefunded':
      return action === 'editOrder'
        ? 'the order is fully captured: only uncaptured order lines can be edited'
        : `the order is ${order.phase === 'fullyCaptured' ? 'fully captured' : 'refunded'}: ${action} is not available`;
    case 'awaitingSignatory':
      return action === 'cancel' ? null : `the order awaits a signatory: ${action} is not available until it is ready for capture`;
    case 'readyForCapture':
      return null;
  }
}

/** Runs a write behind the order's lock; a 404 is decided before queueing. */
function locked(context: SandboxContext, orderId: string, work: (order: OrderRecord) => ApiResponse): Promise<ApiResponse> {
  findOrder(context, orderId);
  return context.store.locks.run(orderId, () => work(findOrder(context, orderId)));
}

export function getOrder(context: SandboxContext, orderId: string): ApiResponse {
  return { status: 200, body: renderOrder(findOrder(context, orderId)) };
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

export function editOrder(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const body = parseOrThrow(editOrderRequestSchema, parseJsonBody(request.rawBody));
  return locked(context, orderId, (order) => {
    const refused = refusal(order, 'editOrder');
    if (refused || !order.uncaptured) throw conflict(refused ?? 'there are no uncaptured order lines to edit');
    const previousLines = order.uncaptured.lines;
    const before = chunkTotal(order.uncaptured);
    order.uncaptured.lines = keepLineIds(previousLines, body.orderLines);
    const delta = orderTotals(order.uncaptured.lines).totalOrderAmount - before;
    context.orders.addEvent(order, 'edit', delta);
    return { status: 200, body: renderOrder(order) };
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

export function captureOrder(context: SandboxContext, orderId: string): Promise<ApiResponse> {
  return locked(context, orderId, (order) => {
    const refused = refusal(order, 'capture');
    if (refused || !order.uncaptured) throw conflict(refused ?? 'there is nothing left to capture');
    const chunk = { ledgerId: newId('in', context.now()), createdAt: timestamp(context.now()), lines: order.uncaptured.lines };
    order.uncaptured = null;
    order.captured.push(chunk);
    order.phase = 'fullyCaptured';
    const total = chunkTotal(chunk);
    context.orders.addEvent(order, 'fullCapture', total, chunk.ledgerId);
    context.orders.notifyOrder(order, 'com.ledyer.order.full_capture');
    return { status: 200, body: { ledgerId: chunk.ledgerId, orderLines: chunk.lines.map(renderLine), totalCaptureAmount: total } };
  });
}

export function cancelOrder(context: SandboxContext, orderId: string): Promise<ApiResponse> {
  return locked(context, orderId, (order) => {
    const refused = refusal(order, 'cancel');
    if (refused || !order.uncaptured) throw conflict(refused ?? 'there is nothing left to cancel');
    const chunk = order.uncaptured;
    order.uncaptured = null;
    order.cancelled = chunk;
    order.phase = 'cancelled';
    context.orders.addEvent(order, 'cancel', chunkTotal(chunk), chunk.ledgerId);
    context.orders.notifyOrder(order, 'com.ledyer.order.cancel');
    return { status: 200, body: renderOrder(order) };
  });
}

export function refundOrder(context: SandboxContext, orderId: string, ledgerId: string): Promise<ApiResponse> {
  return locked(context, orderId, (order) => {
    const chunk = order.captured.find((candidate) => candidate.ledgerId === ledgerId);
    if (!chunk) {
      const refunded = order.refunded.some((candidate) => candidate.refundOf === ledgerId);
      if (refunded) throw conflict(`ledger ${ledgerId} is already refunded`);
      throw ApiError.of(404, `no captured ledger ${JSON.stringify(ledgerId)} on order ${orderId}`, 'not_found');
    }
    const refund = { ledgerId: newId('in', context.now()), createdAt: timestamp(context.now()), lines: chunk.lines, refundOf: chunk.ledgerId };
    order.captured = order.captured.filter((candidate) => candidate !== chunk);
    order.refunded.push(refund);
    if (order.captured.length === 0 && !order.uncaptured) order.phase = 'fullyRefunded';
    const total = chunkTotal(refund);
    context.orders.addEvent(order, 'fullRefund', total, refund.ledgerId);
    context.orders.notifyOrder(order, 'com.ledyer.order.full_refund');
    return { status: 200, body: { ledgerId: refund.ledgerId, orderLines: refund.lines.map(renderLine), totalRefundAmount: total } };
  });
}

export function acknowledgeOrder(context: SandboxContext, orderId: string): Promise<ApiResponse> {
  return locked(context, orderId, (order) => {
    // Acknowledging twice is harmless and records nothing new.
    if (!order.acknowledged) {
      order.acknowledged = true;
      context.orders.addEvent(order, 'acknowledge', 0);
    }
    return { status: 200, body: renderOrder(order) };
  });
}

export function setOrderReference(context: SandboxContext, orderId: string, request: ApiRequest): Promise<ApiResponse> {
  findOrder(context, orderId);
  const body = parseOrThrow(setReferenceSchema, parseJsonBody(request.rawBody));
  return locked(context, orderId, (order) => {
    order.merchantReference = body.reference;
    context.orders.addEvent(order, 'setReference', 0);
    return { status: 200, body: renderOrder(order) };
  });
}
