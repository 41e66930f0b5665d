/**
 * The demo shop's catalogue. It lives on the server on purpose: the browser only ever sends
 * skus and quantities, and every price, VAT rate and description in a session or an order
 * edit comes from here (or, after the purchase, from the order Ledyer already holds).
 * Amounts are integers in minor units (öre); `vat` is in basis points (2500 = 25 %).
 */
import type { OrderLineType } from '../../src/server/schemas.js';

export interface Product {
  /** Also the order line's `reference`, so Ledyer's order lines map back to the catalogue. */
  sku: string;
  name: string;
  summary: string;
  type: OrderLineType;
  /** Price incl. VAT, minor units. */
  unitPrice: number;
  vat: number;
  /** File name under `demo/public/products/`. */
  image: string;
}

export const CURRENCY = 'SEK';
export const COUNTRY = 'SE';
export const LOCALE = 'sv-SE';
/** The most of one product a cart may hold; also what the order admin accepts. */
export const MAX_QUANTITY = 99;

export const products: readonly Product[] = Object.freeze([
  {
    // The seed's line (create-order-session.txt): 500.00 SEK incl. 25 % VAT.
    sku: '111-222-333',
    name: 'Coffee Machine X200',
    summary: 'Bean-to-cup machine for offices of 10–30 people. Two grinders, steam wand.',
    type: 'physical',
    unitPrice: 50_000,
    vat: 2500,
    image: 'coffee-machine.svg',
  },
  {
    sku: '111-222-410',
    name: 'Espresso Beans, 1 kg',
    summary: 'Medium roast from a Stockholm roastery. Food: 12 % VAT.',
    type: 'physical',
    unitPrice: 24_900,
    vat: 1200,
    image: 'beans.svg',
  },
  {
    sku: '111-222-520',
    name: 'Milk Frother MF-5',
    summary: 'Induction frother, five textures, dishwasher-safe jug.',
    type: 'physical',
    unitPrice: 129_000,
    vat: 2500,
    image: 'frother.svg',
  },
  {
    sku: '111-222-630',
    name: 'Paper Cups, 1000 pcs',
    summary: 'Compostable 30 cl cups with lids, for the meeting rooms.',
    type: 'physical',
    unitPrice: 39_900,
    vat: 2500,
    image: 'cups.svg',
  },
  {
    sku: '111-222-740',
    name: 'Descaling Service',
    summary: 'A technician descales and calibrates one machine on site.',
    type: 'service',
    unitPrice: 89_000,
    vat: 2500,
    image: 'service.svg',
  },
]);

/** Added once to every non-empty order; the seed's second line. */
export const shippingFee: Product = Object.freeze({
  sku: '444-555-666',
  name: 'Shipping fee',
  summary: 'Delivery within Sweden, 1–3 working days.',
  type: 'shippingFee',
  unitPrice: 10_000,
  vat: 2500,
  image: '',
});

const bySku = new Map<string, Product>([...products, shippingFee].map((product) => [product.sku, product]));

export function findProduct(sku: string): Product | undefined {
  return bySku.get(sku);
}

/** What `GET /api/catalogue` shows the browser: display data, no secrets, nothing it may send back as a price. */
export function publicCatalogue(): { currency: string; products: Product[]; shippingFee: Product; maxQuantity: number } {
  return { currency: CURRENCY, products: [...products], shippingFee, maxQuantity: MAX_QUANTITY };
}
