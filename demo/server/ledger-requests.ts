/**
 * The admin's choices ("ship 5 of these", "refund 1 of that, and SEK 100 of the fee") turned
 * into Ledyer's capture and refund bodies, from the lines of the order Ledyer holds: the
 * browser picks lines and quantities, never prices. Also, per captured ledger, what is left
 * to refund. Pure: the order in, a body or a `ShopInputError` naming the field out.
 */
import type { CaptureOrderRequestInput, LedgerLineInput, Order, OrderChunk, OrderLineEntity, PartialRefundOrderRequestInput } from '../../src/server/schemas.js';
import { lineVatAmount } from '../../src/shared/order-math.js';
import type { CapturedLedgerView, RefundableLine } from '../api-types.js';
import type { PartialCaptureBody, PartialRefundBody } from './request-bodies.js';
import { ShopInputError } from './shop-http.js';

type Amounts = { totalAmount: number; totalVatAmount: number; vat: number };

/**
 * The VAT of `part` of a line: within Ledyer's ±1 of the rule for the part, and chosen so
 * that the rest keeps exactly the VAT the rule gives it, so the rest can be taken later.
 */
export function partVat(part: number, whole: Amounts): number {
  if (part === whole.totalAmount) return whole.totalVatAmount;
  const own = lineVatAmount(part, whole.vat);
  const leavesRestExact = whole.totalVatAmount - lineVatAmount(whole.totalAmount - part, whole.vat);
  return Math.abs(leavesRestExact - own) <= 1 ? leavesRestExact : own;
}

/** What one unit of a line costs, or null when a line sold by total does not split into equal units. */
function unitAmount(line: Pick<OrderLineEntity, 'unitPrice' | 'unitDiscountAmount' | 'totalAmount' | 'quantity'>): number | null {
  if (line.unitPrice !== undefined) return line.unitPrice - (line.unitDiscountAmount ?? 0);
  const each = line.totalAmount / line.quantity;
  return Number.isInteger(each) ? each : null;
}

/** A body line for part of `line`, keeping its id (so Ledyer matches it exactly) and its unit fields while they hold. */
function bodyLine(line: OrderLineEntity, quantity: number, totalAmount: number, totalVatAmount: number): LedgerLineInput {
  const out: LedgerLineInput = {
    id: line.id,
    type: line.type,
    reference: line.reference,
    description: line.description,
    quantity,
    vat: line.vat,
    totalAmount,
    totalVatAmount,
  };
  const unit = unitAmount(line);
  if (line.unitPrice !== undefined && unit !== null && unit * quantity === totalAmount) {
    out.unitPrice = line.unitPrice;
    if (line.unitDiscountAmount) out.unitDiscountAmount = line.unitDiscountAmount;
  }
  return out;
}

const sum = (lines: ReadonlyArray<{ totalAmount: number }>): number => lines.reduce((total, line) => total + line.totalAmount, 0);

/**
 * What shipped, as a capture body. `all` when it takes every remaining line whole: Ledyer's
 * capture (the rest) rather than partialcapture, which is for part of it.
 */
export function captureBodyFor(order: Order, input: PartialCaptureBody): { all: boolean; body: CaptureOrderRequestInput } {
  const remaining = order.uncaptured?.orderLines ?? [];
  if (remaining.length === 0) throw new ShopInputError('this order has nothing left to capture');
  const chosen = new Map<string, number>();
  input.lines.forEach((wanted, index) => {
    const line = remaining.find((candidate) => candidate.id === wanted.lineId);
    if (!line) throw new ShopInputError(`lines.${index}.lineId: ${JSON.stringify(wanted.lineId)} is not an uncaptured line of this order`, ['lines', index, 'lineId']);
    if (chosen.has(line.id)) throw new ShopInputError(`lines.${index}.lineId: ${line.id} is listed twice`, ['lines', index, 'lineId']);
    if (wanted.quantity > line.quantity) {
      throw new ShopInputError(`lines.${index}.quantity: at most ${line.quantity} of ${line.description} remain uncaptured, got ${wanted.quantity}`, ['lines', index, 'quantity']);
    }
    if (wanted.quantity > 0 && wanted.quantity < line.quantity && unitAmount(line) === null) {
      throw new ShopInputError(`lines.${index}.quantity: ${line.description} does not split into equal units: capture all ${line.quantity} or none`, ['lines', index, 'quantity']);
    }
    chosen.set(line.id, wanted.quantity);
  });
  const orderLines: LedgerLineInput[] = [];
  for (const line of remaining) {
    const quantity = chosen.get(line.id) ?? 0;
    if (quantity === 0) continue;
    const amount = quantity === line.quantity ? line.totalAmount : quantity * (unitAmount(line) ?? 0);
    orderLines.push(bodyLine(line, quantity, amount, partVat(amount, line)));
  }
  if (orderLines.length === 0) throw new ShopInputError('lines: choose a quantity above 0 for at least one line to capture', ['lines']);
  const all = remaining.every((line) => chosen.get(line.id) === line.quantity);
  return { all, body: { orderLines, totalCaptureAmount: sum(orderLines) } };
}

/**
 * Which captured ledger each refund credits. The order entity does not say; a refund this
 * shop issued is known from its own record (`refundOf`), any other is the captured ledger
 * that alone holds all of its lines' ids, or unknown (null) when a line was split between captures.
 */
export function refundTargets(order: Order, refundOf: ReadonlyMap<string, string>): Map<string, string | null> {
  const targets = new Map<string, string | null>();
  for (const refund of order.refunded) {
    const known = refundOf.get(refund.ledgerId);
    if (known !== undefined) {
      targets.set(refund.ledgerId, known);
      continue;
    }
    const holders = order.captured.filter((ledger) => refund.orderLines.every((line) => ledger.orderLines.some((captured) => captured.id === line.id)));
    targets.set(refund.ledgerId, holders.length === 1 ? (holders[0]?.ledgerId ?? null) : null);
  }
  return targets;
}

/**
 * What is left to refund on `ledger`: each captured line less the refunds that credit it
 * (matched by line id), lines with nothing left left out. Only lines with a positive total:
 * this shop sells no discount or gift-card lines.
 */
export function refundableLines(ledger: OrderChunk, refunds: readonly OrderChunk[]): RefundableLine[] {
  const credits = refunds.flatMap((refund) => refund.orderLines);
  const left: RefundableLine[] = [];
  for (const line of ledger.orderLines) {
    if (line.totalAmount <= 0) continue;
    const credited = credits.filter((credit) => credit.id === line.id);
    // Refund lines may be stored signed either way; what counts is how much money they credited.
    const amount = line.totalAmount - credited.reduce((total, credit) => total + Math.abs(credit.totalAmount), 0);
    const vat = line.totalVatAmount - credited.reduce((total, credit) => total + Math.abs(credit.totalVatAmount), 0);
    if (amount <= 0) continue;
    const unit = unitAmount(line);
    left.push({
      lineId: line.id,
      type: line.type,
      reference: line.reference,
      description: line.description,
      vat: line.vat,
      // Units not yet refunded in whole; an amount refund leaves a unit partly refunded.
      quantity: unit === null ? 1 : Math.min(line.quantity, Math.floor(amount / unit)),
      unitAmount: unit,
      totalAmount: amount,
      totalVatAmount: vat,
    });
  }
  return left;
}

/** Per captured ledger: what is left, and the refunds that credit it (attributed as `refundTargets` says). */
export function capturedLedgerViews(order: Order, refundOf: ReadonlyMap<string, string>): CapturedLedgerView[] {
  const targets = refundTargets(order, refundOf);
  return order.captured.map((ledger) => {
    const refunds = order.refunded.filter((refund) => targets.get(refund.ledgerId) === ledger.ledgerId);
    return { ledgerId: ledger.ledgerId, refundLedgerIds: refunds.map((refund) => refund.ledgerId), left: refundableLines(ledger, refunds) };
  });
}

/** The partial refund body for `input` against what is left on one captured ledger. Amounts positive, as Ledyer's plugin sends them. */
export function partialRefundBodyFor(ledger: OrderChunk, left: readonly RefundableLine[], input: PartialRefundBody): PartialRefundOrderRequestInput {
  const seen = new Set<string>();
  const orderLines = input.lines.map((wanted, index): LedgerLineInput => {
    const rest = left.find((candidate) => candidate.lineId === wanted.lineId);
    const captured = ledger.orderLines.find((candidate) => candidate.id === wanted.lineId);
    if (!rest || !captured) {
      const why = captured ? 'is already fully refunded' : `is not a line of the captured ledger ${ledger.ledgerId}`;
      throw new ShopInputError(`lines.${index}.lineId: ${JSON.stringify(wanted.lineId)} ${why}`, ['lines', index, 'lineId']);
    }
    if (seen.has(rest.lineId)) throw new ShopInputError(`lines.${index}.lineId: ${rest.lineId} is listed twice`, ['lines', index, 'lineId']);
    seen.add(rest.lineId);
    let amount: number;
    let quantity: number;
    if (wanted.quantity !== undefined) {
      if (rest.unitAmount === null) {
        throw new ShopInputError(`lines.${index}.quantity: ${rest.description} does not split into equal units: refund an amount instead`, ['lines', index, 'quantity']);
      }
      if (wanted.quantity > rest.quantity) {
        throw new ShopInputError(`lines.${index}.quantity: at most ${rest.quantity} of ${rest.description} are left to refund on ${ledger.ledgerId}, got ${wanted.quantity}`, ['lines', index, 'quantity']);
      }
      quantity = wanted.quantity;
      // The last whole units take whatever money is left on the line.
      amount = quantity === rest.quantity && rest.quantity * rest.unitAmount >= rest.totalAmount ? rest.totalAmount : quantity * rest.unitAmount;
    } else {
      amount = wanted.amount ?? 0;
      if (amount > rest.totalAmount) {
        throw new ShopInputError(`lines.${index}.amount: at most ${rest.totalAmount} (minor units) of ${rest.description} is left to refund on ${ledger.ledgerId}, got ${amount}`, ['lines', index, 'amount']);
      }
      // An amount is a credit on one unit's worth of the line, not on a number of units.
      quantity = 1;
    }
    const line = bodyLine(captured, quantity, amount, partVat(amount, rest));
    if (wanted.amount !== undefined) {
      delete line.unitPrice;
      delete line.unitDiscountAmount;
    }
    return line;
  });
  return { orderLines, totalRefundAmount: sum(orderLines) };
}
