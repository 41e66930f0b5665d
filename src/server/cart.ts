/**
 * The cart a browser posts to the checkout handler: `{ items: [{ sku, quantity }] }`, and
 * nothing else trusted. Lines for the same sku are merged before any limit applies, so
 * repeating a sku cannot get past `maxQuantity` (issue 11.3), and the number of raw lines
 * is capped too. Pure: parsing and merging only.
 */
import { z } from 'zod';

export interface CartItem {
  sku: string;
  quantity: number;
}

export interface CartLimits {
  /** Most lines in the posted cart, before merging. */
  maxItems: number;
  /** Largest quantity of one sku, after merging. */
  maxQuantity: number;
}

export function cartSchema(limits: CartLimits) {
  // Not strict: extra fields (a price the page should not have sent) are dropped, not trusted.
  return z.object(
    {
      items: z
        .array(
          z.object(
            {
              sku: z.string('sku must be a string').trim().min(1, 'sku must not be empty').max(200, 'sku must be at most 200 characters'),
              quantity: z
                .int('quantity must be a whole number')
                .positive('quantity must be at least 1')
                .max(limits.maxQuantity, `quantity must be at most ${limits.maxQuantity} (the handler's maxQuantity)`),
            },
            'each item must be an object { sku, quantity }',
          ),
          'items must be an array of { sku, quantity }',
        )
        .min(1, 'the cart is empty')
        .max(limits.maxItems, `a cart may have at most ${limits.maxItems} lines (the handler's maxItems)`),
    },
    'the body must be an object { items: [...] }',
  );
}

export type MergedCart =
  | { ok: true; items: CartItem[]; firstIndex: ReadonlyMap<string, number> }
  | { ok: false; path: Array<string | number>; message: string };

/**
 * One line per sku, in the order each sku first appears, with the quantities added up;
 * `maxQuantity` then applies to each sum. `firstIndex` maps a sku back to its first line in
 * the posted cart, so an error about it points where the buyer can see it.
 */
export function mergeCart(items: readonly CartItem[], maxQuantity: number): MergedCart {
  const totals = new Map<string, { quantity: number; lines: number }>();
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const seen = totals.get(item.sku);
    if (seen) {
      seen.quantity += item.quantity;
      seen.lines += 1;
    } else {
      totals.set(item.sku, { quantity: item.quantity, lines: 1 });
      firstIndex.set(item.sku, index);
    }
  });
  for (const [sku, total] of totals) {
    if (total.quantity > maxQuantity) {
      return {
        ok: false,
        path: ['items', firstIndex.get(sku) ?? 0, 'quantity'],
        message: `quantity must be at most ${maxQuantity} (the handler's maxQuantity) per sku: the ${total.lines} lines for sku ${JSON.stringify(sku)} add up to ${total.quantity}`,
      };
    }
  }
  return { ok: true, items: [...totals].map(([sku, total]) => ({ sku, quantity: total.quantity })), firstIndex };
}
