/** The product grid: each card adds a quantity of one sku to the cart. */
import type { CatalogueResponse, ProductView } from '../api-types.js';
import type { Cart } from './cart.js';
import { h, replaceChildren } from './dom.js';
import { formatMoney, formatVat } from './money.js';
import { lineVatAmount } from '../../src/shared/order-math.js';

export function renderCatalogue(list: HTMLElement, catalogue: CatalogueResponse, cart: Cart, announce: (message: string) => void): void {
  replaceChildren(list, catalogue.products.map((product) => productCard(product, catalogue, cart, announce)));
}

function productCard(product: ProductView, catalogue: CatalogueResponse, cart: Cart, announce: (message: string) => void): HTMLElement {
  const quantityId = `qty-${product.sku}`;
  const quantity = h('input', {
    id: quantityId,
    type: 'number',
    inputmode: 'numeric',
    min: 1,
    max: catalogue.maxQuantity,
    value: 1,
    class: 'quantity-input',
  });
  const exclVat = product.unitPrice - lineVatAmount(product.unitPrice, product.vat);
  const form = h(
    'form',
    { class: 'add-to-cart', 'aria-label': `Add ${product.name} to the cart` },
    h('label', { for: quantityId, class: 'visually-hidden' }, `Quantity of ${product.name}`),
    quantity,
    h('button', { type: 'submit', class: 'button button-primary', 'data-sku': product.sku }, 'Add to cart'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const count = Math.max(1, Math.trunc(quantity.valueAsNumber) || 1);
    cart.add(product.sku, count);
    announce(`Added ${count} × ${product.name}. Cart: ${cart.count} item${cart.count === 1 ? '' : 's'}.`);
    quantity.value = '1';
  });
  return h(
    'li',
    { class: 'product', 'data-sku': product.sku },
    h('img', { src: `/products/${product.image}`, alt: '', width: 160, height: 120, class: 'product-image' }),
    h(
      'div',
      { class: 'product-body' },
      h('h3', { class: 'product-name' }, product.name),
      h('p', { class: 'product-summary' }, product.summary),
      h('p', { class: 'product-sku' }, `Art. no. ${product.sku}`),
      h(
        'p',
        { class: 'product-price' },
        h('strong', {}, formatMoney(product.unitPrice, catalogue.currency)),
        h('span', { class: 'muted' }, ` incl. ${formatVat(product.vat)} VAT · ${formatMoney(exclVat, catalogue.currency)} excl. VAT`),
      ),
      form,
    ),
  );
}
