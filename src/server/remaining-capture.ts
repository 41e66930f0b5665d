/**
 * The body of a full capture, from the order itself. Ledyer's docs: the capture's lines
 * "must match the order lines that are remaining in the uncaptured state", with their total.
 * Lines keep their `id` (so Ledyer can match them exactly) and their unit price and
 * discount when the order has them, as omnipay-ledyer sends them. Pure.
 */
import type { CaptureOrderRequestInput, LedgerLineInput, Order } from './schemas.js';

/** What remains to capture, or null when the order has no uncaptured lines. */
export function remainingCaptureBody(order: Order): CaptureOrderRequestInput | null {
  const lines = order.uncaptured?.orderLines ?? [];
  if (lines.length === 0) return null;
  const orderLines = lines.map((line): LedgerLineInput => {
    const out: LedgerLineInput = {
      id: line.id,
      type: line.type,
      reference: line.reference,
      description: line.description,
      quantity: line.quantity,
      vat: line.vat,
      totalAmount: line.totalAmount,
      totalVatAmount: line.totalVatAmount,
    };
    if (line.unitPrice !== undefined) out.unitPrice = line.unitPrice;
    if (line.unitDiscountAmount !== undefined) out.unitDiscountAmount = line.unitDiscountAmount;
    return out;
  });
  return { orderLines, totalCaptureAmount: orderLines.reduce((sum, line) => sum + line.totalAmount, 0) };
}
