/**
 * Ledyer's order arithmetic (LEDYER.md, "Order lines and totals"). Pure and shared: the
 * server helper uses it to build and check orders, the sandbox to recompute them.
 * Amounts are integers in minor units; `vat` is in basis points (2500 = 25 %).
 */

/** Ledyer accepts a line's VAT within this many minor units of the exact figure. */
export const VAT_TOLERANCE = 1;

/** `quantity × (unitPrice − unitDiscountAmount)`; negative for discount and gift-card lines. */
export function lineTotalAmount(quantity: number, unitPrice: number, unitDiscountAmount = 0): number {
  return quantity * (unitPrice - unitDiscountAmount);
}

/**
 * The VAT inside a VAT-inclusive amount: `round(total − total / (1 + vat / 10000))`.
 * Rounds half away from zero so a discount line's VAT mirrors the line it discounts.
 */
export function lineVatAmount(totalAmount: number, vat: number): number {
  const exact = totalAmount - totalAmount / (1 + vat / 10_000);
  return Math.sign(exact) * Math.round(Math.abs(exact));
}

export interface OrderTotals {
  totalOrderAmount: number;
  totalOrderVatAmount: number;
  totalOrderAmountExclVat: number;
}

/** The three order totals from the lines' own totals. */
export function orderTotals(lines: ReadonlyArray<{ totalAmount: number; totalVatAmount: number }>): OrderTotals {
  let totalOrderAmount = 0;
  let totalOrderVatAmount = 0;
  for (const line of lines) {
    totalOrderAmount += line.totalAmount;
    totalOrderVatAmount += line.totalVatAmount;
  }
  return { totalOrderAmount, totalOrderVatAmount, totalOrderAmountExclVat: totalOrderAmount - totalOrderVatAmount };
}
