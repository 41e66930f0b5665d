/** The cart panel: lines with quantity controls and display totals (the server prices the real order). */
import type { CatalogueResponse, ProductView } from '../api-types.js';
import type { Cart } from './cart.js';
import { h, replaceChildren } from './dom.js';
import { formatMoney } from './money.js';
import { lineTotalAmount, lineVatAmount, orderTotals } from '../../src/shared/order-math.js';

export interface CartTotals {
  totalOrderAmount: number;
  totalOrderVatAmount: number;
  totalOrderAmountExclVat: number;
}

/** Display totals with the same rules the server applies (src/shared/order-math.ts). */
export function cartTotals(cart: Cart, catalogue: CatalogueResponse): CartTotals {
  const products = new Map(catalogue.products.map((product) => [product.sku, product]));
  const lines: Array<{ totalAmount: number; totalVatAmount: number }> = [];
  const addLine = (product: ProductView, quantity: number): void => {
    const totalAmount = lineTotalAmount(quantity, product.unitPrice);
    lines.push({ totalAmount, totalVatAmount: lineVatAmount(totalAmount, product.vat) });
  };
  for (const item of cart.items) {
    const product = products.get(item.sku);
    if (product) addLine(product, item.quantity);
  }
  if (lines.length > 0) addLine(catalogue.shippingFee, 1);
  return orderTotals(lines);
}

export function renderCart(container: HTMLElement, cart: Cart, catalogue: CatalogueResponse, options: { locked: boolean }): void {
  const products = new Map(catalogue.products.map((product) => [product.sku, product]));
  const items = cart.items.filter((item) => products.has(item.sku));
  if (items.length === 0) {
    replaceChildren(container, h('p', { class: 'cart-empty' }, 'Your cart is empty. Add something from the catalogue.'));
    return;
  }
  const totals = cartTotals(cart, catalogue);
  const currency = catalogue.currency;
  replaceChildren(
    container,
    h(
      'ul',
      { class: 'cart-lines' },
      items.map((item) => {
        const product = products.get(item.sku) as ProductView;
        return cartLine(product, item.quantity, cart, catalogue, options.locked);
      }),
      h(
        'li',
        { class: 'cart-line cart-line-fee' },
        h('span', { class: 'cart-line-name' }, catalogue.shippingFee.name),
        h('span', { class: 'cart-line-total' }, formatMoney(catalogue.shippingFee.unitPrice, currency)),
      ),
    ),
    h(
      'dl',
      { class: 'cart-totals' },
      h('div', {}, h('dt', {}, 'Excl. VAT'), h('dd', {}, formatMoney(totals.totalOrderAmountExclVat, currency))),
      h('div', {}, h('dt', {}, 'VAT'), h('dd', {}, formatMoney(totals.totalOrderVatAmount, currency))),
      h(
        'div',
        { class: 'cart-grand-total' },
        h('dt', {}, 'Total'),
        h('dd', { id: 'cart-total', 'data-minor-units': totals.totalOrderAmount }, formatMoney(totals.totalOrderAmount, currency)),
      ),
    ),
  );
}

function cartLine(product: ProductView, quantity: number, cart: Cart, catalogue: CatalogueResponse, locked: boolean): HTMLElement {
  const inputId = `cart-qty-${product.sku}`;
  const input = h('input', {
    id: inputId,
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max: catalogue.maxQuantity,
    value: quantity,
    class: 'quantity-input',
    disabled: locked,
  });
  // `change`, not `input`: one update per decision, not one per keystroke while typing "12".
  input.addEventListener('change', () => cart.set(product.sku, Number.isNaN(input.valueAsNumber) ? quantity : input.valueAsNumber));
  const step = (delta: number, label: string, text: string): HTMLButtonElement => {
    const button = h('button', { type: 'button', class: 'button button-icon', 'aria-label': label, disabled: locked }, text);
    button.addEventListener('click', () => cart.set(product.sku, quantity + delta));
    return button;
  };
  const remove = h('button', { type: 'button', class: 'button button-link', disabled: locked }, 'Remove');
  remove.setAttribute('aria-label', `Remove ${product.name}`);
  remove.addEventListener('click', () => cart.set(product.sku, 0));
  return h(
    'li',
    { class: 'cart-line', 'data-sku': product.sku },
    h('span', { class: 'cart-line-name' }, product.name),
    h(
      'span',
      { class: 'cart-line-controls' },
      step(-1, `One fewer ${product.name}`, '−'),
      h('label', { for: inputId, class: 'visually-hidden' }, `Quantity of ${product.name}`),
      input,
      step(1, `One more ${product.name}`, '+'),
      remove,
    ),
    h('span', { class: 'cart-line-total' }, formatMoney(lineTotalAmount(quantity, product.unitPrice), catalogue.currency)),
  );
}
