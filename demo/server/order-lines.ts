/**
 * Turning what the browser may say (skus and quantities) into priced orders, and an admin's
 * new quantities into an edit of an existing order. All money comes from the catalogue or
 * from the order Ledyer holds; `buildOrder` does the arithmetic.
 */
import { buildOrder, type BuildOrderLine, type BuiltOrder } from '../../src/server/build-order.js';
import type { CreateSessionRequestInput, OrderLineEntity } from '../../src/server/schemas.js';
import type { CartItem } from '../api-types.js';
import { COUNTRY, CURRENCY, LOCALE, findProduct, shippingFee } from './catalogue.js';
import { ShopInputError } from './shop-http.js';

/** The cart priced from the catalogue, plus the shipping fee line. */
export function priceCart(items: readonly CartItem[]): BuiltOrder {
  const lines: BuildOrderLine[] = items.map((item) => {
    const product = findProduct(item.sku);
    if (!product) throw new ShopInputError(`${item.sku} is not in the catalogue`);
    return { type: product.type, reference: product.sku, description: product.name, quantity: item.quantity, unitPrice: product.unitPrice, vat: product.vat };
  });
  lines.push({
    type: shippingFee.type,
    reference: shippingFee.sku,
    description: shippingFee.name,
    quantity: 1,
    unitPrice: shippingFee.unitPrice,
    vat: shippingFee.vat,
  });
  return buildOrder(lines);
}

export interface SessionBodyOptions {
  /** The purchase order number; Ledyer prints the session's `reference` on the invoice. */
  reference: string | null;
  termsUrl: string;
  /** Null when Ledyer cannot reach this server (real Ledyer and a laptop without a tunnel). */
  validateUrl: string | null;
  notificationUrl: string | null;
}

/** The create/update session body (seed: create-order-session.txt). */
export function sessionBody(items: readonly CartItem[], options: SessionBodyOptions): CreateSessionRequestInput {
  return {
    country: COUNTRY,
    currency: CURRENCY,
    locale: LOCALE,
    reference: options.reference,
    settings: {
      customer: { allowShippingAddress: false, showNameFields: true, showShippingAddressContact: false },
      // Always on: the page answers at once when the PO policy is off, and the event log shows
      // `ledyer-validate` on every purchase, which is what a developer copying this wants to see.
      security: { level: 300, requireClientValidation: true },
      urls: {
        terms: options.termsUrl,
        privacy: null,
        confirmation: null,
        validate: options.validateUrl,
        notification: options.notificationUrl,
      },
    },
    ...priceCart(items),
  };
}

/**
 * An order edit from new quantities (by line `reference`) of the order's own uncaptured
 * lines: prices, VAT and descriptions stay what the buyer agreed to. 0 removes a line;
 * lines not mentioned keep their quantity.
 */
export function editedOrder(uncaptured: readonly OrderLineEntity[], input: unknown): BuiltOrder {
  if (typeof input !== 'object' || input === null || !Array.isArray((input as { lines?: unknown }).lines)) {
    throw new ShopInputError('the body must be { lines: [{ reference, quantity }] }');
  }
  const wanted = new Map<string, number>();
  (input as { lines: unknown[] }).lines.forEach((line: unknown, index) => {
    const { reference, quantity } = (typeof line === 'object' && line !== null ? line : {}) as { reference?: unknown; quantity?: unknown };
    if (typeof reference !== 'string' || !uncaptured.some((existing) => existing.reference === reference)) {
      throw new ShopInputError(`lines[${index}].reference ${JSON.stringify(reference)} is not an uncaptured line of this order`);
    }
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > 999) {
      throw new ShopInputError(`lines[${index}].quantity must be a whole number from 0 to 999`);
    }
    wanted.set(reference, quantity);
  });
  const lines: BuildOrderLine[] = [];
  for (const line of uncaptured) {
    const quantity = wanted.get(line.reference) ?? line.quantity;
    if (quantity === 0) continue;
    // An order line without a unit price was sold by total: its unit price is the total per unit.
    const unitPrice = line.unitPrice ?? line.totalAmount / line.quantity;
    lines.push({
      type: line.type,
      reference: line.reference,
      description: line.description,
      quantity,
      unitPrice,
      unitDiscountAmount: line.unitDiscountAmount ?? 0,
      vat: line.vat,
    });
  }
  if (lines.length === 0) throw new ShopInputError('an order keeps at least one line: cancel the order instead of removing every line');
  return buildOrder(lines);
}
