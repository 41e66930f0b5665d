/**
 * The sandbox's order state and its rendering into the entity of `GET v1/orders/{orderId}`,
 * with exactly the shape of the response in seed edit-order.txt: formatted amounts, events
 * newest first, the `uncaptured` chunk with its `availableActions`, `captured` / `refunded`
 * chunks, and the order-level `status`. Everything shown is derived from the ledgers, so the
 * status, the actions and the amounts can never disagree with the lines.
 */
import type { OrderLineType, PaymentStatus } from '../server/schemas.js';
import { orderTotals } from '../shared/order-math.js';
import type { CheckoutCustomer } from './checkout-service.js';
import { refundableLines } from './ledger.js';
import { formatAmount, type FormattedAmount } from './money-format.js';
import type { SandboxPaymentMethod } from './order-book.js';

/** The event types the sandbox records; Ledyer's list (seed edit-order.txt) has a few more it never emits. */
export type OrderEventType =
  | 'acknowledge'
  | 'cancel'
  | 'create'
  | 'edit'
  | 'extendExpiry'
  | 'fullCapture'
  | 'fullRefund'
  | 'partialCapture'
  | 'partialRefund'
  | 'readyForCapture'
  | 'setReference';

export interface OrderLineRecord {
  /** The `ol_` id: kept when a line is split by a partial capture, so the pieces can be mapped. */
  id: string;
  type: OrderLineType;
  reference: string;
  description: string;
  quantity: number;
  /** Absent when the merchant sent the line with totals only (as Ledyer's WooCommerce plugin does). */
  unitPrice?: number | undefined;
  unitDiscountAmount?: number | undefined;
  vat: number;
  totalAmount: number;
  totalVatAmount: number;
}

/** One captured ledger (an invoice), as captured; refunds never change it. */
export interface CapturedLedger {
  ledgerId: string;
  createdAt: string;
  lines: OrderLineRecord[];
}

/** One refund (a credit): its lines carry the `ol_` ids of the captured lines they credit. */
export interface RefundLedger {
  ledgerId: string;
  createdAt: string;
  lines: OrderLineRecord[];
  /** The captured ledger it credits. */
  refundOf: string;
}

export interface OrderEventRecord {
  id: string;
  type: OrderEventType;
  /** Signed: what the step changed (create +, edit ±, capture +, refund −, cancel −). */
  amount: number;
  createdAt: string;
  ledgerId: string;
}

export interface OrderRecord {
  id: string;
  sessionId: string;
  merchantId: string;
  storeId: string | null;
  currency: string;
  merchantReference: string;
  orderReference: string;
  createdAt: string;
  expiresAtMs: number;
  customer: CheckoutCustomer;
  paymentMethod: SandboxPaymentMethod;
  acknowledged: boolean;
  /** The uncaptured ledger's id; order-level events name it even after its lines are gone. */
  uncapturedLedgerId: string;
  uncapturedCreatedAt: string;
  /** What remains uncaptured. Empty once everything is captured or cancelled. */
  uncapturedLines: OrderLineRecord[];
  /** The lines a cancel took; non-null means the order is cancelled. */
  cancelledLines: OrderLineRecord[] | null;
  captured: CapturedLedger[];
  refunded: RefundLedger[];
  /** Oldest first; rendered newest first as Ledyer does. */
  events: OrderEventRecord[];
  notificationUrl: string | null;
}

/** ISO timestamps with microseconds, as the seed prints them (`2023-02-10T21:28:17.425663Z`). */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export function linesTotal(lines: readonly OrderLineRecord[]): number {
  return orderTotals(lines).totalOrderAmount;
}

export function isCancelled(order: OrderRecord): boolean {
  return order.cancelledLines !== null;
}

/** Whether the captured ledger still has money to refund. */
export function hasRefundable(order: OrderRecord, ledger: CapturedLedger): boolean {
  return refundableLines(ledger, order.refunded).length > 0;
}

/** Everything captured has been refunded (and something was). */
export function isFullyRefunded(order: OrderRecord): boolean {
  return order.refunded.length > 0 && order.captured.every((ledger) => !hasRefundable(order, ledger));
}

/**
 * An advance invoice "can not be captured before an acknowledgement" (Ledyer's docs, LEDYER.md);
 * the reason, or null when capturing is allowed.
 */
export function captureBlockedReason(order: OrderRecord): string | null {
  if (order.paymentMethod === 'advanceInvoice' && !order.acknowledged) {
    return `order ${order.id} is paid by advance invoice and cannot be captured before it is acknowledged: POST v1/orders/${order.id}/acknowledge first`;
  }
  return null;
}

/**
 * Order-level `status[]`: one value for capture (`uncaptured`, `partiallyCaptured`,
 * `fullyCaptured`) and, once something is refunded, one for refunds (`partiallyRefunded`,
 * `fullyRefunded`), the values Ledyer's order-management plugin tests with `in_array`;
 * `cancelled` alone once cancelled.
 */
export function orderStatus(order: OrderRecord): string[] {
  if (isCancelled(order)) return ['cancelled'];
  const captured = order.captured.length > 0;
  const capture = !captured ? 'uncaptured' : order.uncapturedLines.length > 0 ? 'partiallyCaptured' : 'fullyCaptured';
  if (order.refunded.length === 0) return [capture];
  return [capture, isFullyRefunded(order) ? 'fullyRefunded' : 'partiallyRefunded'];
}

/**
 * Starts from the seed's list for an order ready for capture and drops what the state no
 * longer allows: cancel once anything is captured, capture on an unacknowledged advance invoice.
 */
function uncapturedActions(order: OrderRecord): Array<{ type: string }> {
  const canCapture = captureBlockedReason(order) === null;
  const types = [
    ...(order.captured.length === 0 ? ['cancel'] : []),
    ...(canCapture ? ['capture', 'partialCapture'] : []),
    'editCustomer',
    'editOrder',
    'extendOrderExpiry',
  ];
  return types.map((type) => ({ type }));
}

function renderChunk(
  order: OrderRecord,
  chunk: { ledgerId: string; createdAt: string; lines: OrderLineRecord[] },
  availableActions: Array<{ type: string }> | null,
): Record<string, unknown> {
  const totals = orderTotals(chunk.lines);
  const money = (minor: number): FormattedAmount => formatAmount(minor, order.currency);
  return {
    ...(availableActions ? { availableActions } : {}),
    createdAt: chunk.createdAt,
    ledgerId: chunk.ledgerId,
    note: '',
    orderLines: chunk.lines.map(renderLine),
    status: [],
    totalOrderAmount: money(totals.totalOrderAmount),
    totalOrderAmountExclVat: money(totals.totalOrderAmountExclVat),
    totalOrderVatAmount: money(totals.totalOrderVatAmount),
  };
}

export function renderLine(line: OrderLineRecord): Record<string, unknown> {
  const { unitDiscountAmount, unitPrice, ...rest } = line;
  // The seed's response lines leave out a zero unitDiscountAmount; a real discount is shown.
  return {
    ...rest,
    ...(unitPrice === undefined ? {} : { unitPrice }),
    ...(unitDiscountAmount === undefined || unitDiscountAmount === 0 ? {} : { unitDiscountAmount }),
  };
}

export function renderOrder(order: OrderRecord): Record<string, unknown> {
  const money = (minor: number): FormattedAmount => formatAmount(minor, order.currency);
  const sum = (chunks: ReadonlyArray<{ lines: OrderLineRecord[] }>): number => chunks.reduce((total, chunk) => total + linesTotal(chunk.lines), 0);
  const capturedTotal = sum(order.captured);
  const refundedTotal = sum(order.refunded);
  const uncapturedTotal = linesTotal(order.uncapturedLines);
  const paymentMethod = { provider: 'ledyer', type: order.paymentMethod };
  const events = [...order.events].reverse();
  const uncaptured =
    order.uncapturedLines.length > 0
      ? renderChunk(order, { ledgerId: order.uncapturedLedgerId, createdAt: order.uncapturedCreatedAt, lines: order.uncapturedLines }, uncapturedActions(order))
      : null;
  return {
    authorizeStatus: 'authorized',
    captured: order.captured.map((ledger) =>
      renderChunk(order, ledger, hasRefundable(order, ledger) ? [{ type: 'refund' }, { type: 'partialRefund' }] : []),
    ),
    capturedAmount: money(capturedTotal),
    createdAt: order.createdAt,
    customer: {
      ...order.customer,
      invoiceChannel: { type: 'email', details: '' },
      paymentMethod,
    },
    events: events.map((event) => ({
      amount: money(event.amount),
      createdAt: event.createdAt,
      id: event.id,
      ledgerId: event.ledgerId,
      orderId: order.id,
      type: event.type,
    })),
    expiresAt: timestamp(order.expiresAtMs),
    id: order.id,
    merchantId: order.merchantId,
    merchantReference: order.merchantReference,
    // What was ordered: edits change it; capture and cancel only move lines between ledgers,
    // and a refund credits a captured ledger without changing what was ordered.
    orderAmount: money(uncapturedTotal + capturedTotal + linesTotal(order.cancelledLines ?? [])),
    orderReference: order.orderReference,
    paymentMethod,
    refunded: order.refunded.map((ledger) => renderChunk(order, ledger, null)),
    refundedAmount: money(refundedTotal),
    riskProfile: { tags: [] },
    status: orderStatus(order),
    storeId: order.storeId,
    uncaptured,
    uncapturedAmount: money(uncapturedTotal),
    updatedAt: events[0]?.createdAt ?? order.createdAt,
  };
}

/**
 * `GET v1/orders/{orderId}/paymentstatus`, through Ledyer's documented values: ready
 * `paymentConfirmed` (also while partly captured), `orderCaptured` once nothing is left to
 * capture (also while partly refunded), `orderRefunded` once all of it is refunded,
 * `orderCancelled`.
 */
export function paymentStatusOf(order: OrderRecord): PaymentStatus['status'] {
  if (isCancelled(order)) return 'orderCancelled';
  if (order.uncapturedLines.length > 0) return 'paymentConfirmed';
  return isFullyRefunded(order) ? 'orderRefunded' : 'orderCaptured';
}

export function renderPaymentStatus(order: OrderRecord): Record<string, unknown> {
  return { status: paymentStatusOf(order), note: '', paymentMethod: { provider: 'ledyer', type: order.paymentMethod } };
}
