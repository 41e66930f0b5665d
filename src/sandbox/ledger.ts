/**
 * The ledger rules, pure: what a capture or a refund may take from what remains, and what
 * remains afterwards. Ledyer's docs say a capture's lines "must match the order lines that
 * are remaining in the uncaptured state" (LEDYER.md); the rest of the arithmetic is the
 * sandbox's reading of it, chosen so that whatever remains can always be taken in turn:
 *
 * - A request line is matched to a ledger line by `id` when it has one, else by
 *   `reference` and `type` (preferring the line with the same `vat`).
 * - A full capture lists every remaining line with its quantity and amounts unchanged.
 * - A partial capture takes part of a line's quantity at its proportional amount (unit price
 *   minus discount, or the remaining total ÷ quantity, which must divide exactly); its VAT
 *   is within ±1 of the line's rule and leaves the rest of the line within ±1 of its own.
 *   Taking the last units takes exactly what remains.
 * - A refund credits one captured ledger. Amounts are sent positive (Ledyer's
 *   order-management plugin sends `abs()`); what limits a refund is money: per line and per
 *   ledger it never exceeds what is left, and the VAT left stays coherent the same way.
 *
 * Every refusal is a 400 naming the field path and what remains.
 */
import type { CaptureOrderRequest, LedgerLine, PartialRefundOrderRequest } from '../server/schemas.js';
import { lineVatAmount, VAT_TOLERANCE } from '../shared/order-math.js';
import { ApiError, type ApiErrorEntry } from './errors.js';
import type { CapturedLedger, OrderLineRecord, RefundLedger } from './order-entity.js';

/** `9 × 111-222-333 (450000)`: how messages name a line. */
function lineLabel(line: OrderLineRecord): string {
  return `${line.quantity} × ${line.reference || line.description} (${line.totalAmount})`;
}

/** `remaining uncaptured: 9 × 111-222-333 (450000), 1 × 444-555-666 (10000); total 460000`. */
export function describeLines(label: string, lines: readonly OrderLineRecord[]): string {
  const total = lines.reduce((sum, line) => sum + line.totalAmount, 0);
  return `${label}: ${lines.length === 0 ? 'nothing' : lines.map(lineLabel).join(', ')}; total ${total}`;
}

type Match = { line: OrderLineRecord } | { problem: string };

/** The ledger line a request line means, or why there is none. `taken` are ids already matched. */
function matchLine(pool: readonly OrderLineRecord[], line: LedgerLine, taken: ReadonlySet<string>, poolName: string): Match {
  if (line.id !== undefined) {
    const byId = pool.find((candidate) => candidate.id === line.id);
    if (!byId) return { problem: `id ${JSON.stringify(line.id)} is not a line of ${poolName}` };
    if (taken.has(byId.id)) return { problem: `line ${byId.id} is listed twice` };
    if (byId.reference !== line.reference || byId.type !== line.type) {
      return { problem: `line ${byId.id} is ${JSON.stringify(byId.reference)} (${byId.type}), not ${JSON.stringify(line.reference)} (${line.type})` };
    }
    return { line: byId };
  }
  const candidates = pool.filter((candidate) => !taken.has(candidate.id) && candidate.reference === line.reference && candidate.type === line.type);
  const best = candidates.find((candidate) => candidate.vat === line.vat) ?? candidates[0];
  if (best) return { line: best };
  const listed = pool.some((candidate) => candidate.reference === line.reference && candidate.type === line.type);
  return {
    problem: listed
      ? `${JSON.stringify(line.reference)} (${line.type}) is listed more often than it is in ${poolName}`
      : `no ${line.type} line with reference ${JSON.stringify(line.reference)} in ${poolName}`,
  };
}

/** The unit price and discount, when the request sends them, must be the ledger line's. */
function checkUnitFields(line: LedgerLine, match: OrderLineRecord, path: string, errors: ApiErrorEntry[]): void {
  if (line.vat !== match.vat) errors.push(entry(`${path}.vat`, `must be ${match.vat}, the vat of ${lineLabel(match)}, got ${line.vat}`));
  if (line.unitPrice === undefined || match.unitPrice === undefined) return;
  if (line.unitPrice !== match.unitPrice) errors.push(entry(`${path}.unitPrice`, `must be ${match.unitPrice}, the unitPrice of ${lineLabel(match)}, got ${line.unitPrice}`));
  const discount = line.unitDiscountAmount ?? 0;
  const expected = match.unitDiscountAmount ?? 0;
  if (discount !== expected) errors.push(entry(`${path}.unitDiscountAmount`, `must be ${expected}, the unitDiscountAmount of ${lineLabel(match)}, got ${discount}`));
}

function entry(path: string, message: string, code = 'ledger_mismatch'): ApiErrorEntry {
  return { path, message: `${path}: ${message}`, code };
}

/**
 * The VAT a part of a line may carry (signed, as the line): within ±1 of the rule for its
 * own amount, and leaving the rest within ±1 of the rule for the rest's amount, so the rest
 * can always be taken later.
 */
function vatRange(part: number, whole: { totalAmount: number; totalVatAmount: number; vat: number }): [number, number] {
  const own = lineVatAmount(part, whole.vat);
  const restTarget = whole.totalVatAmount - lineVatAmount(whole.totalAmount - part, whole.vat);
  const low = Math.max(own - VAT_TOLERANCE, restTarget - VAT_TOLERANCE);
  const high = Math.min(own + VAT_TOLERANCE, restTarget + VAT_TOLERANCE);
  // The two windows always overlap while the ledger line itself is within ±1 (every line is
  // checked on the way in); should they not, the rest's coherence wins.
  return low <= high ? [low, high] : [restTarget, restTarget];
}

function rangeText([low, high]: [number, number]): string {
  return low === high ? `${low}` : `between ${low} and ${high}`;
}

function refuse(errors: ApiErrorEntry[], summary: string): never {
  throw new ApiError(400, [...errors, { path: 'orderLines', message: summary, code: 'ledger_mismatch' }]);
}

/** `POST .../capture`: the body must list exactly what remains; returns the captured lines. */
export function captureAll(remaining: readonly OrderLineRecord[], body: CaptureOrderRequest): OrderLineRecord[] {
  const errors: ApiErrorEntry[] = [];
  const taken = new Set<string>();
  body.orderLines.forEach((line, index) => {
    const path = `orderLines[${index}]`;
    const match = matchLine(remaining, line, taken, 'what remains uncaptured');
    if ('problem' in match) {
      errors.push(entry(path, match.problem));
      return;
    }
    taken.add(match.line.id);
    for (const field of ['quantity', 'totalAmount', 'totalVatAmount'] as const) {
      if (line[field] !== match.line[field]) {
        errors.push(entry(`${path}.${field}`, `must be ${match.line[field]}, as ${lineLabel(match.line)} remains uncaptured, got ${line[field]}`));
      }
    }
    checkUnitFields(line, match.line, path, errors);
  });
  for (const line of remaining) {
    if (!taken.has(line.id)) {
      errors.push(entry('orderLines', `${lineLabel(line)} remains uncaptured but is not listed; a capture takes every remaining line (partialcapture takes part)`));
    }
  }
  if (errors.length > 0) refuse(errors, `a capture lists exactly what remains uncaptured; ${describeLines('remaining uncaptured', remaining)}`);
  return remaining.map((line) => ({ ...line }));
}

/** `POST .../partialcapture`: part of the remaining lines; returns what is captured and what remains. */
export function capturePart(
  remaining: readonly OrderLineRecord[],
  body: CaptureOrderRequest,
): { captured: OrderLineRecord[]; remaining: OrderLineRecord[] } {
  const errors: ApiErrorEntry[] = [];
  const taken = new Map<string, OrderLineRecord>();
  body.orderLines.forEach((line, index) => {
    const path = `orderLines[${index}]`;
    const match = matchLine(remaining, line, new Set(taken.keys()), 'what remains uncaptured');
    if ('problem' in match) {
      errors.push(entry(path, match.problem));
      return;
    }
    const whole = match.line;
    checkUnitFields(line, whole, path, errors);
    const piece = takeShare(line, whole, path, errors, 'remain uncaptured');
    if (piece) taken.set(whole.id, piece);
  });
  if (errors.length > 0) refuse(errors, `a partial capture takes part of what remains uncaptured; ${describeLines('remaining uncaptured', remaining)}`);
  const rest: OrderLineRecord[] = [];
  for (const line of remaining) {
    const piece = taken.get(line.id);
    if (!piece) rest.push(line);
    else if (piece.quantity < line.quantity) rest.push(subtract(line, piece, line.quantity - piece.quantity));
  }
  return { captured: [...taken.values()], remaining: rest };
}

/** The part of `whole` a capture line asks for, checked; null (with errors) when it does not fit. */
function takeShare(line: LedgerLine, whole: OrderLineRecord, path: string, errors: ApiErrorEntry[], verb: string): OrderLineRecord | null {
  if (line.quantity > whole.quantity) {
    errors.push(entry(`${path}.quantity`, `at most ${whole.quantity} of ${whole.reference || whole.description} ${verb}, got ${line.quantity}`));
    return null;
  }
  if (line.quantity === whole.quantity) {
    // The last units take exactly what remains of the line.
    for (const field of ['totalAmount', 'totalVatAmount'] as const) {
      if (line[field] !== whole[field]) {
        errors.push(entry(`${path}.${field}`, `must be ${whole[field]}: all ${whole.quantity} units of ${lineLabel(whole)} take what remains, got ${line[field]}`));
      }
    }
    return { ...whole };
  }
  const perUnit = whole.unitPrice !== undefined ? whole.unitPrice - (whole.unitDiscountAmount ?? 0) : whole.totalAmount / whole.quantity;
  if (!Number.isInteger(perUnit)) {
    errors.push(
      entry(
        `${path}.quantity`,
        `${lineLabel(whole)} has no unitPrice and its total does not split into ${whole.quantity} equal units: take all ${whole.quantity} or none`,
      ),
    );
    return null;
  }
  const amount = line.quantity * perUnit;
  if (line.totalAmount !== amount) {
    errors.push(entry(`${path}.totalAmount`, `must be ${amount}, ${line.quantity} × ${perUnit} of ${lineLabel(whole)}, got ${line.totalAmount}`));
    return null;
  }
  const range = vatRange(amount, whole);
  if (line.totalVatAmount < range[0] || line.totalVatAmount > range[1]) {
    errors.push(
      entry(
        `${path}.totalVatAmount`,
        `must be ${rangeText(range)} for ${line.quantity} of the ${whole.quantity} units of ${lineLabel(whole)} (VAT ${whole.totalVatAmount}), got ${line.totalVatAmount}`,
      ),
    );
    return null;
  }
  return { ...whole, quantity: line.quantity, totalAmount: amount, totalVatAmount: line.totalVatAmount };
}

function subtract(line: OrderLineRecord, piece: Pick<OrderLineRecord, 'totalAmount' | 'totalVatAmount'>, quantity: number): OrderLineRecord {
  return { ...line, quantity, totalAmount: line.totalAmount - piece.totalAmount, totalVatAmount: line.totalVatAmount - piece.totalVatAmount };
}

/**
 * What is left to refund on a captured ledger: each captured line less what refunds of this
 * ledger credited (matched by `ol_` id). Lines with nothing left are left out. The quantity
 * is the units not yet credited, at least 1 while money is left.
 */
export function refundableLines(ledger: CapturedLedger, refunds: readonly RefundLedger[]): OrderLineRecord[] {
  const credited = refunds.filter((refund) => refund.refundOf === ledger.ledgerId).flatMap((refund) => refund.lines);
  const left: OrderLineRecord[] = [];
  for (const line of ledger.lines) {
    const credits = credited.filter((credit) => credit.id === line.id);
    const amount = line.totalAmount - credits.reduce((sum, credit) => sum + credit.totalAmount, 0);
    const vat = line.totalVatAmount - credits.reduce((sum, credit) => sum + credit.totalVatAmount, 0);
    if (amount === 0 && vat === 0) continue;
    const quantity = Math.max(1, line.quantity - credits.reduce((sum, credit) => sum + credit.quantity, 0));
    left.push(withUnitFieldsIfExact({ ...line, quantity, totalAmount: amount, totalVatAmount: vat }, line));
  }
  return left;
}

/** Keeps `unitPrice`/`unitDiscountAmount` only while the line's arithmetic still holds for its quantity. */
function withUnitFieldsIfExact(line: OrderLineRecord, source: OrderLineRecord): OrderLineRecord {
  const { unitPrice, unitDiscountAmount, ...rest } = line;
  if (source.unitPrice === undefined) return rest;
  const perUnit = source.unitPrice - (source.unitDiscountAmount ?? 0);
  return line.quantity * perUnit === line.totalAmount ? { ...rest, unitPrice, unitDiscountAmount } : rest;
}

/** `POST .../partialrefund/{ledgerId}`: the lines to credit, signed as the ledger's lines. */
export function refundPart(ledger: CapturedLedger, refunds: readonly RefundLedger[], body: PartialRefundOrderRequest): OrderLineRecord[] {
  const left = refundableLines(ledger, refunds);
  const errors: ApiErrorEntry[] = [];
  const credits: OrderLineRecord[] = [];
  const taken = new Set<string>();
  const poolName = `what is left to refund on ${ledger.ledgerId}`;
  body.orderLines.forEach((line, index) => {
    const path = `orderLines[${index}]`;
    const match = matchLine(left, line, taken, poolName);
    if ('problem' in match) {
      const captured = ledger.lines.find((candidate) =>
        line.id === undefined ? candidate.reference === line.reference && candidate.type === line.type : candidate.id === line.id,
      );
      const refunded = captured && !left.some((rest) => rest.id === captured.id);
      errors.push(entry(path, refunded ? `${captured.reference || captured.id} (${captured.type}) is already fully refunded on ${ledger.ledgerId}` : match.problem));
      return;
    }
    taken.add(match.line.id);
    const rest = match.line;
    const captured = ledger.lines.find((candidate) => candidate.id === rest.id) ?? rest;
    checkUnitFields(line, captured, path, errors);
    if (line.quantity > captured.quantity) {
      errors.push(entry(`${path}.quantity`, `at most ${captured.quantity} units of ${captured.reference || captured.description} were captured on ${ledger.ledgerId}, got ${line.quantity}`));
      return;
    }
    const sign = Math.sign(rest.totalAmount) || 1;
    const amountLeft = Math.abs(rest.totalAmount);
    if (line.totalAmount > amountLeft) {
      errors.push(entry(`${path}.totalAmount`, `at most ${amountLeft} of ${rest.reference || rest.description} is left to refund on ${ledger.ledgerId}, got ${line.totalAmount}`, 'refund_exceeds_ledger'));
      return;
    }
    const amount = sign * line.totalAmount;
    const vat = sign * line.totalVatAmount;
    if (line.totalAmount === amountLeft) {
      if (vat !== rest.totalVatAmount) {
        errors.push(entry(`${path}.totalVatAmount`, `must be ${Math.abs(rest.totalVatAmount)}: refunding the rest of ${rest.reference || rest.description} refunds the rest of its VAT, got ${line.totalVatAmount}`));
        return;
      }
    } else {
      const range = vatRange(amount, rest);
      if (vat < range[0] || vat > range[1]) {
        const shown: [number, number] = sign < 0 ? [-range[1], -range[0]] : range;
        errors.push(entry(`${path}.totalVatAmount`, `must be ${rangeText(shown)} for ${line.totalAmount} of the ${amountLeft} left on ${rest.reference || rest.description}, got ${line.totalVatAmount}`));
        return;
      }
    }
    credits.push(withUnitFieldsIfExact({ ...captured, quantity: line.quantity, totalAmount: amount, totalVatAmount: vat }, captured));
  });
  if (errors.length > 0) refuse(errors, `a refund never exceeds what is left of its ledger; ${describeLines(`left to refund on ${ledger.ledgerId}`, left)}`);
  return credits;
}
