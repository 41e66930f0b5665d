/**
 * The sandbox's order state and its rendering into the entity of `GET v1/orders/{orderId}`,
 * with exactly the shape of the response in seed edit-order.txt: formatted amounts, events
 * newest first, the `uncaptured` chunk with its `availableActions`, `captured` / `refunded`
 * chunks, and the order-level `status`.
 */
import type { OrderLineType } from '../server/schemas.js';
import { orderTotals } from '../shared/order-math.js';
import { formatAmount, type FormattedAmount } from './money-format.js';
import type { CheckoutCustomer } from './checkout-service.js';
import type { SandboxPaymentMethod } from './order-book.js';

export type OrderEventType =
  | 'acknowledge'
  | 'cancel'
  | 'create'
  | 'edit'
  | 'fullCapture'
  | 'fullRefund'
  | 'readyForCapture'
  | 'setReference';

export interface OrderLineRecord {
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

/** One ledger chunk: the uncaptured lines, or one capture (invoice), or one refund. */
export interface LedgerChunk {
  ledgerId: string;
  createdAt: string;
  lines: OrderLineRecord[];
  /** On a refund: the captured ledger it credits, so a second refund of it is refused. */
  refundOf?: string;
}

export interface OrderEventRecord {
  id: string;
  type: OrderEventType;
  amount: number;
  createdAt: string;
  ledgerId: string;
}

/**
 * Where the order is in its life. `awaitingSignatory` is the sandbox's pending purchase:
 * created, not yet ready for capture.
 */
export type OrderPhase = 'awaitingSignatory' | 'readyForCapture' | 'fullyCaptured' | 'fullyRefunded' | 'cancelled';

export interface OrderRecord {
  id: string;
  sessionId: string;
  merchantId: string;
  storeId: string | null;
  currency: string;
  merchantReference: string;
  orderReference: string;
  createdAt: string;
  expiresAt: string;
  customer: CheckoutCustomer;
  paymentMethod: SandboxPaymentMethod;
  phase: OrderPhase;
  acknowledged: boolean;
  uncaptured: LedgerChunk | null;
  /** The lines a cancel took out of `uncaptured`, so `orderAmount` still tells what was ordered. */
  cancelled: LedgerChunk | null;
  captured: LedgerChunk[];
  refunded: LedgerChunk[];
  /** Oldest first; rendered newest first as Ledyer does. */
  events: OrderEventRecord[];
  notificationUrl: string | null;
}

/** ISO timestamps with microseconds, as the seed prints them (`2023-02-10T21:28:17.425663Z`). */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export function chunkTotal(chunk: LedgerChunk | null): number {
  return chunk ? orderTotals(chunk.lines).totalOrderAmount : 0;
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

function actionsFor(order: OrderRecord, chunk: 'uncaptured' | 'captured'): Array<{ type: string }> {
  if (chunk === 'captured') return order.phase === 'fullyCaptured' ? [{ type: 'refund' }] : [];
  switch (order.phase) {
    case 'awaitingSignatory':
      return [{ type: 'cancel' }];
    case 'readyForCapture':
      // The seed's list for an order ready for capture, less the actions the sandbox does not emulate.
      return [{ type: 'cancel' }, { type: 'capture' }, { type: 'editOrder' }];
    default:
      return [];
  }
}

function renderChunk(order: OrderRecord, chunk: LedgerChunk, kind: 'uncaptured' | 'captured' | 'refunded'): Record<string, unknown> {
  const totals = orderTotals(chunk.lines);
  const money = (minor: number): FormattedAmount => formatAmount(minor, order.currency);
  return {
    ...(kind === 'refunded' ? {} : { availableActions: actionsFor(order, kind) }),
    createdAt: chunk.createdAt,
    ledgerId: chunk.ledgerId,
    note: '',
    orderLines: chunk.lines.map(renderLine),
    status: kind === 'uncaptured' && order.phase === 'awaitingSignatory' ? ['awaitingSignatory'] : [],
    totalOrderAmount: money(totals.totalOrderAmount),
    totalOrderAmountExclVat: money(totals.totalOrderAmountExclVat),
    totalOrderVatAmount: money(totals.totalOrderVatAmount),
  };
}

function orderStatus(order: OrderRecord): string[] {
  switch (order.phase) {
    case 'cancelled':
      return ['cancelled'];
    case 'fullyCaptured':
      return ['fullyCaptured'];
    case 'fullyRefunded':
      return ['fullyRefunded'];
    default:
      return ['uncaptured'];
  }
}

export function renderOrder(order: OrderRecord): Record<string, unknown> {
  const money = (minor: number): FormattedAmount => formatAmount(minor, order.currency);
  const sum = (chunks: LedgerChunk[]): number => chunks.reduce((total, chunk) => total + chunkTotal(chunk), 0);
  const capturedTotal = sum(order.captured);
  const refundedTotal = sum(order.refunded);
  const uncapturedTotal = chunkTotal(order.uncaptured);
  const paymentMethod = { provider: 'ledyer', type: order.paymentMethod };
  const events = [...order.events].reverse();
  return {
    authorizeStatus: 'authorized',
    captured: order.captured.map((chunk) => renderChunk(order, chunk, 'captured')),
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
    expiresAt: order.expiresAt,
    id: order.id,
    merchantId: order.merchantId,
    merchantReference: order.merchantReference,
    // What is ordered now: edits change it; capture, refund and cancel move it between ledgers.
    orderAmount: money(uncapturedTotal + capturedTotal + refundedTotal + chunkTotal(order.cancelled)),
    orderReference: order.orderReference,
    paymentMethod,
    refunded: order.refunded.map((chunk) => renderChunk(order, chunk, 'refunded')),
    refundedAmount: money(refundedTotal),
    riskProfile: { tags: [] },
    status: orderStatus(order),
    storeId: order.storeId,
    uncaptured: order.uncaptured ? renderChunk(order, order.uncaptured, 'uncaptured') : null,
    uncapturedAmount: money(uncapturedTotal),
    updatedAt: events[0]?.createdAt ?? order.createdAt,
  };
}

/** `GET v1/orders/{orderId}/paymentstatus`. */
export function renderPaymentStatus(order: OrderRecord): Record<string, unknown> {
  const status = {
    awaitingSignatory: 'orderPending',
    readyForCapture: 'paymentConfirmed',
    fullyCaptured: 'orderCaptured',
    fullyRefunded: 'orderRefunded',
    cancelled: 'orderCancelled',
  }[order.phase];
  return { status, note: '', paymentMethod: { provider: 'ledyer', type: order.paymentMethod } };
}
