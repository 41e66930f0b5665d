/**
 * `buildOrder`: the merchant states what is sold (quantity, VAT-inclusive unit price,
 * optional unit discount, VAT rate, type) and gets back order lines and the three order
 * totals computed with Ledyer's rules, so no merchant ever does that arithmetic by hand.
 * Pure: no I/O, same input, same output.
 */
import { z } from 'zod';
import { lineTotalAmount, lineVatAmount, orderTotals, type OrderTotals } from '../shared/order-math.js';
import { LedyerValidationError, type LedyerValidationIssue } from './errors.js';
import { editOrderRequestSchema, orderLineSchema, orderLineTypeSchema, type OrderLine, type OrderLineType } from './schemas.js';

/** One line as the merchant knows it. Amounts in minor units, VAT included; `vat` in basis points. */
export interface BuildOrderLine {
  /** Default `physical`. */
  type?: OrderLineType;
  reference: string;
  description: string;
  quantity: number;
  /** Price of one unit, VAT included. `0` on discount and gift-card lines. */
  unitPrice: number;
  /** Off each unit, VAT included (default 0). On a discount or gift-card line: the amount off, positive. */
  unitDiscountAmount?: number;
  /** Basis points: 2500 = 25 %. A gift card carries none (`0`). */
  vat: number;
}

/** A discount on the whole order, spread over its VAT rates (LEDYER.md: one discount line per VAT rate). */
export interface OrderDiscount {
  /** Positive, VAT included, in minor units. */
  amount: number;
  reference: string;
  description: string;
}

export interface BuildOrderOptions {
  orderDiscount?: OrderDiscount;
}

/** A line `buildOrder` computed: it always has its unit price and unit discount. */
export type BuiltOrderLine = OrderLine & { unitPrice: number; unitDiscountAmount: number };

/** Lines and totals, ready to spread into `createSession` or `editOrder`. */
export interface BuiltOrder extends OrderTotals {
  orderLines: BuiltOrderLine[];
}

const buildOrderLineSchema = z.strictObject({
  type: orderLineTypeSchema.default('physical'),
  reference: z.string('reference must be a string'),
  description: z.string('description must be a string'),
  quantity: z.number('quantity must be a number'),
  unitPrice: z.number('unitPrice must be a number'),
  unitDiscountAmount: z.number('unitDiscountAmount must be a number').default(0),
  vat: z.number('vat must be a number'),
});

const orderDiscountSchema = z.strictObject({
  amount: z.int('amount must be an integer in minor units').positive('amount must be positive'),
  reference: z.string('reference must be a string'),
  description: z.string('description must be a string'),
});

const buildOrderInputSchema = z.object({
  lines: z.array(buildOrderLineSchema, 'lines must be an array').min(1, 'an order needs at least one line'),
  options: z.object({ orderDiscount: orderDiscountSchema.optional() }).optional(),
});

/** Lines of these types carry a price; discounts and gift cards take money off them. */
const isPriced = (line: { type: OrderLineType }): boolean => line.type !== 'discount' && line.type !== 'giftCard';

/**
 * Computes every line's `totalAmount` and `totalVatAmount` and the order totals.
 * Throws `LedyerValidationError` (paths such as `lines.2.quantity`) when a line breaks one
 * of Ledyer's rules; what it returns always passes `createSessionRequestSchema`'s line and
 * totals checks and `editOrderRequestSchema`.
 */
export function buildOrder(lines: readonly BuildOrderLine[], options: BuildOrderOptions = {}): BuiltOrder {
  const input = buildOrderInputSchema.safeParse({ lines, options });
  if (!input.success) throw LedyerValidationError.fromZod('buildOrder input', input.error);

  const issues: LedyerValidationIssue[] = [];
  const orderLines: BuiltOrderLine[] = [];
  input.data.lines.forEach((line, index) => {
    const totalAmount = lineTotalAmount(line.quantity, line.unitPrice, line.unitDiscountAmount);
    const candidate = { ...line, totalAmount, totalVatAmount: lineVatAmount(totalAmount, line.vat) };
    const parsed = orderLineSchema.safeParse(candidate);
    if (parsed.success) orderLines.push(parsed.data as BuiltOrderLine);
    else issues.push(...LedyerValidationError.fromZod('line', parsed.error, ['lines', index]).issues);
  });
  if (issues.length > 0) throw new LedyerValidationError('buildOrder input', issues);

  const discount = input.data.options?.orderDiscount;
  if (discount) {
    const split = splitDiscountByVat(orderLines, discount);
    if (!split) {
      throw new LedyerValidationError('buildOrder input', [
        {
          path: ['options', 'orderDiscount', 'amount'],
          message: `the discount (${discount.amount}) exceeds what the priced lines total`,
          code: 'custom',
        },
      ]);
    }
    for (const line of split) {
      const parsed = orderLineSchema.safeParse(line);
      // Only the merchant's reference or description can break a generated line (e.g. too long).
      if (!parsed.success) throw LedyerValidationError.fromZod('buildOrder input', parsed.error, ['options', 'orderDiscount']);
      orderLines.push(parsed.data as BuiltOrderLine);
    }
  }

  const totals = orderTotals(orderLines);
  if (totals.totalOrderAmount < 0) {
    throw new LedyerValidationError('buildOrder input', [
      {
        path: ['totalOrderAmount'],
        message: `discounts and gift cards (${totals.totalOrderAmount}) take more off than the order is worth; an order total cannot be negative`,
        code: 'custom',
      },
    ]);
  }
  const order = { orderLines, ...totals };
  // The guarantee: whatever we computed is what Ledyer's rules accept.
  const checked = editOrderRequestSchema.safeParse(order);
  if (!checked.success) throw LedyerValidationError.fromZod('buildOrder result', checked.error);
  return order;
}

/**
 * One discount line per VAT rate, each rate's share proportional to what the priced lines
 * at that rate total, so the VAT taken off matches the VAT charged. Shares are whole minor
 * units by largest remainder, so they add up to exactly `amount`. Null when the priced
 * lines total less than the discount.
 */
function splitDiscountByVat(lines: readonly BuiltOrderLine[], discount: OrderDiscount): BuiltOrderLine[] | null {
  const byRate = new Map<number, number>();
  for (const line of lines) {
    if (isPriced(line) && line.totalAmount > 0) byRate.set(line.vat, (byRate.get(line.vat) ?? 0) + line.totalAmount);
  }
  const base = [...byRate.values()].reduce((sum, value) => sum + value, 0);
  if (base < discount.amount) return null;
  const rates = [...byRate.entries()].sort(([a], [b]) => b - a);
  const shares = rates.map(([vat, gross]) => {
    const exact = (discount.amount * gross) / base;
    return { vat, amount: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = discount.amount - shares.reduce((sum, share) => sum + share.amount, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (left === 0) break;
    share.amount += 1;
    left -= 1;
  }
  const several = shares.filter((share) => share.amount > 0).length > 1;
  return shares
    .filter((share) => share.amount > 0)
    .map((share) => {
      const totalAmount = lineTotalAmount(1, 0, share.amount);
      return {
        type: 'discount' as const,
        // Distinct references per rate, so each line can be told apart when the order is edited.
        reference: several ? `${discount.reference}-vat${share.vat}` : discount.reference,
        description: several ? `${discount.description} (${share.vat / 100} % VAT)` : discount.description,
        quantity: 1,
        unitPrice: 0,
        unitDiscountAmount: share.amount,
        vat: share.vat,
        totalAmount,
        totalVatAmount: lineVatAmount(totalAmount, share.vat),
      };
    });
}
