/**
 * The demo storefront: catalogue → cart → checkout with `<ledyer-checkout>` → confirmation
 * and order admin, with a live log of every event the element fires. Plain TypeScript and
 * the element, no framework, so the integration is all there is to read.
 */
import '../../src/index.js';
import type { ValidationResult } from '../../src/element/types.js';
import type { CatalogueResponse, CheckoutSessionResponse, StoreSettings } from '../api-types.js';
import { ActiveCheckout } from './active-checkout.js';
import { shopApi } from './api.js';
import { Cart } from './cart.js';
import { renderCart } from './cart-view.js';
import { renderCatalogue } from './catalogue-view.js';
import { byId } from './dom.js';
import { EventLog } from './event-log.js';
import { OrderAdmin } from './order-admin.js';

type Step = 'shop' | 'checkout' | 'confirmation';

const meta = (name: string): string => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';

const ui = {
  main: byId('main'),
  shopView: byId('shop-view'),
  checkoutView: byId('checkout-view'),
  confirmationView: byId('confirmation-view'),
  catalogue: byId<HTMLUListElement>('catalogue'),
  cart: byId('cart'),
  cartLines: byId('cart-lines'),
  cartCount: byId('cart-count'),
  cartStatus: byId('cart-status'),
  checkoutButton: byId<HTMLButtonElement>('checkout-button'),
  checkoutHost: byId('checkout-host'),
  checkoutStatus: byId('checkout-status'),
  backToShop: byId<HTMLButtonElement>('back-to-shop'),
  poNumber: byId<HTMLInputElement>('po-number'),
  poOptional: byId('po-optional'),
  requirePo: byId<HTMLInputElement>('require-po'),
  poForm: byId<HTMLFormElement>('po-form'),
  confirmationText: byId('confirmation-text'),
  orderAdmin: byId('order-admin'),
  newOrder: byId<HTMLButtonElement>('new-order'),
  modeBadge: byId('mode-badge'),
  log: byId<HTMLOListElement>('event-log'),
  elementState: byId('element-state'),
  clearLog: byId<HTMLButtonElement>('clear-log'),
};

const log = new EventLog(ui.log, ui.elementState);
let step: Step = 'shop';
let active: ActiveCheckout | null = null;
let admin: OrderAdmin | null = null;
let settings: StoreSettings = { requirePurchaseOrderNumber: false };
let cart: Cart | null = null;

function setStatus(target: HTMLElement, message: string, tone: 'info' | 'error' = 'info'): void {
  target.textContent = message;
  target.dataset['tone'] = tone;
}

function show(next: Step, options: { focus: boolean } = { focus: true }): void {
  step = next;
  ui.main.dataset['step'] = next;
  ui.shopView.hidden = next !== 'shop';
  ui.checkoutView.hidden = next !== 'checkout';
  ui.confirmationView.hidden = next !== 'confirmation';
  for (const item of document.querySelectorAll<HTMLElement>('.steps [data-step]')) {
    if (item.dataset['step'] === next) item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
  }
  if (options.focus) {
    // Keyboard and screen-reader users land on the new step's heading, not at the top of the page.
    const heading = { shop: 'shop-heading', checkout: 'checkout-heading', confirmation: 'confirmation-heading' }[next];
    byId(heading).focus();
  }
}

function applySettings(next: StoreSettings): void {
  settings = next;
  ui.requirePo.checked = next.requirePurchaseOrderNumber;
  ui.poNumber.required = next.requirePurchaseOrderNumber;
  ui.poOptional.textContent = next.requirePurchaseOrderNumber ? '(required)' : '(optional)';
}

/** The page's half of the PO policy; the shop's validate URL enforces the same rule server-side. */
async function answerValidation(checkout: ActiveCheckout): Promise<ValidationResult> {
  const purchaseOrderNumber = ui.poNumber.value.trim();
  if (settings.requirePurchaseOrderNumber && purchaseOrderNumber === '') {
    ui.poNumber.setAttribute('aria-invalid', 'true');
    return {
      proceed: false,
      title: 'Purchase order number required',
      message: 'Enter your purchase order number above the checkout, then press buy again.',
    };
  }
  ui.poNumber.removeAttribute('aria-invalid');
  try {
    // Saved on the shop's server, which sends it as the session's reference: Ledyer gives it
    // to the validate URL and prints it on the invoice.
    return await checkout.savePurchaseOrder(purchaseOrderNumber);
  } catch (error) {
    return { proceed: false, title: 'Please try again', message: error instanceof Error ? error.message : 'The shop could not save your order.' };
  }
}

function showOrderId(session: CheckoutSessionResponse): void {
  // For whoever inspects the page (and the end-to-end tests): the order this checkout will become.
  ui.checkoutHost.dataset['orderId'] = session.orderId;
}

function mountCheckout(session: CheckoutSessionResponse): void {
  const checkout = new ActiveCheckout(
    session,
    { environment: meta('ledyer-environment'), bootstrapUrl: meta('ledyer-bootstrap-url'), buyButtonColor: '#1d5c4b' },
    log,
    {
      status: (message, tone) => setStatus(ui.checkoutStatus, message, tone),
      validate: answerValidation,
      confirmed: (bought, state) => void confirmed(bought, state),
      sessionChanged: (renewed) => showOrderId(renewed),
    },
  );
  active = checkout;
  showOrderId(session);
  ui.checkoutHost.replaceChildren(checkout.element);
}

function unmountCheckout(): void {
  if (!active) return;
  active.dispose();
  active = null;
  delete ui.checkoutHost.dataset['orderId'];
  log.showState('idle');
}

async function startCheckout(shopCart: Cart): Promise<void> {
  if (shopCart.items.length === 0) return;
  if (active && !active.completed) {
    show('checkout');
    return;
  }
  unmountCheckout();
  ui.checkoutButton.disabled = true;
  setStatus(ui.cartStatus, 'Starting the checkout…');
  try {
    // Skus and quantities only: the shop's server prices the order from its catalogue.
    const session = await shopApi.createSession(shopCart.items);
    setStatus(ui.cartStatus, '');
    setStatus(ui.checkoutStatus, 'Loading the checkout…');
    mountCheckout(session);
    show('checkout');
  } catch (error) {
    setStatus(ui.cartStatus, error instanceof Error ? error.message : String(error), 'error');
  } finally {
    ui.checkoutButton.disabled = shopCart.items.length === 0;
  }
}

/**
 * A cart change while the checkout is open: suspend it (the buyer cannot press buy on an old
 * total), update the session on the server, resume; Ledyer's checkout shows the new session
 * by itself. Changes that arrive meanwhile are coalesced into one more update, so the session
 * always ends at the latest cart.
 */
function createSessionSync(shopCart: Cart): () => void {
  let running = false;
  let again = false;
  const sync = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const current = active;
        if (!current || current.completed) return;
        const items = shopCart.items;
        if (items.length === 0) {
          unmountCheckout();
          show('shop');
          setStatus(ui.cartStatus, 'Your cart is empty, so the checkout was closed.');
          return;
        }
        setStatus(ui.checkoutStatus, 'Updating your order…');
        try {
          const outcome = await current.updateCart(items);
          // A replaced session says so itself once the new checkout is ready.
          if (active === current && outcome === 'updated') setStatus(ui.checkoutStatus, 'Your order was updated.');
        } catch (error) {
          setStatus(ui.checkoutStatus, error instanceof Error ? error.message : String(error), 'error');
        }
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => void sync();
}

/** Only after the shop's server heard `complete` or `pending` from Ledyer's API. */
async function confirmed(session: CheckoutSessionResponse, state: 'complete' | 'pending'): Promise<void> {
  cart?.clear();
  ui.confirmationText.textContent =
    state === 'pending'
      ? `Ledyer has your order ${session.orderId}; it is pending (for example, awaiting a signatory).`
      : `Ledyer confirmed your purchase. Order ${session.orderId} is placed and will be invoiced.`;
  show('confirmation');
  admin?.dispose();
  admin = new OrderAdmin(ui.orderAdmin, session.orderId);
  await admin.load({ pending: state === 'pending' });
}

async function main(): Promise<void> {
  const mode = meta('ledyer-demo-mode');
  ui.modeBadge.textContent = mode;
  ui.modeBadge.dataset['mode'] = mode.toLowerCase().replaceAll(' ', '-');
  ui.clearLog.addEventListener('click', () => log.clear());

  let catalogue: CatalogueResponse;
  try {
    [catalogue, settings] = await Promise.all([shopApi.catalogue(), shopApi.settings()]);
  } catch (error) {
    setStatus(ui.cartStatus, error instanceof Error ? error.message : String(error), 'error');
    return;
  }
  applySettings(settings);
  const shopCart = new Cart(catalogue.maxQuantity, new Set(catalogue.products.map((product) => product.sku)));
  cart = shopCart;
  const syncSession = createSessionSync(shopCart);
  const renderCartPanel = (): void => {
    renderCart(ui.cartLines, shopCart, catalogue, { locked: step === 'confirmation' });
    ui.cartCount.textContent = String(shopCart.count);
    ui.checkoutButton.disabled = shopCart.count === 0;
    ui.checkoutButton.textContent = active && !active.completed ? 'Back to checkout' : 'Go to checkout';
    ui.checkoutButton.hidden = step === 'checkout';
  };
  renderCatalogue(ui.catalogue, catalogue, shopCart, (message) => setStatus(ui.cartStatus, message));
  shopCart.addEventListener('change', () => {
    renderCartPanel();
    // Also while the buyer looks at the catalogue: the open session must follow the cart.
    if (active && !active.completed) syncSession();
  });

  ui.checkoutButton.addEventListener('click', () => void startCheckout(shopCart).then(renderCartPanel));
  ui.backToShop.addEventListener('click', () => {
    // The checkout stays mounted (hidden), so the buyer comes back to the same session.
    show('shop');
    renderCartPanel();
  });
  ui.newOrder.addEventListener('click', () => {
    unmountCheckout();
    admin?.dispose();
    admin = null;
    ui.orderAdmin.replaceChildren();
    ui.poNumber.value = '';
    show('shop');
    renderCartPanel();
  });
  ui.poForm.addEventListener('submit', (event) => event.preventDefault());
  ui.requirePo.addEventListener('change', () => {
    const wanted = ui.requirePo.checked;
    shopApi.saveSettings({ requirePurchaseOrderNumber: wanted }).then(applySettings, (error: unknown) => {
      ui.requirePo.checked = !wanted;
      setStatus(ui.checkoutStatus, error instanceof Error ? error.message : String(error), 'error');
    });
  });

  show('shop', { focus: false });
  renderCartPanel();
  document.documentElement.dataset['ready'] = 'true';
}

void main();
