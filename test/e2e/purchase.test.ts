/**
 * A buyer's whole purchase on the demo shop, in real Chromium: catalogue → cart → checkout
 * inside Ledyer's iframe → confirmation → order admin. The shop's own steps are the harness's;
 * everything inside Ledyer's checkout and every control call is the testing kit's. Every test
 * also asserts the page logged no console error, threw nothing and violated its
 * Content-Security-Policy nowhere.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SANDBOX_CHECKOUT_LABELS } from '../../src/testing/index.js';
import {
  BEANS,
  COFFEE_MACHINE,
  addToCart,
  adminCall,
  checkoutOrderId,
  goToCheckout,
  loggedEvents,
  orderIdOnPage,
  screenshot,
  useShopSuite,
} from './harness.js';

const suite = useShopSuite({ assertPagesClean: true });

/** What the shop's page says on its own step to the order number field and the buyer. */
const PAGE_DENIAL = { title: 'Purchase order number required', body: 'Enter your purchase order number above the checkout, then press buy again.' };

describe('a purchase, end to end', () => {
  test('cart → checkout → buy: the confirmation, the order admin and the events in order', async () => {
    const shop = await suite.shop();
    const { page, checkout } = shop;
    await screenshot(page, '1-catalogue');
    await addToCart(page, COFFEE_MACHINE, 10);
    await assert.doesNotReject(page.locator('#cart-total', { hasText: 'SEK 5,100.00' }).waitFor());
    await screenshot(page, '2-cart');

    await goToCheckout(shop);
    // The seed order: 10 × 500.00 + 100.00 shipping.
    await checkout.expectTotal('SEK 5,100.00');
    await screenshot(page, '3-checkout', { fullPage: true });

    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    await page.locator('[data-field="order-amount"]', { hasText: 'SEK 5,100.00' }).waitFor();
    const orderId = await orderIdOnPage(page);
    assert.match(orderId, /^or_/);
    assert.equal(await page.locator('[data-field="order-status"]').textContent(), 'uncaptured');
    assert.equal(await page.locator('ledyer-checkout').getAttribute('state'), 'complete');
    assert.equal(await page.locator('#element-state').textContent(), 'complete');

    const events = (await loggedEvents(page)).filter((name) => name !== 'ledyer-state-change');
    assert.deepEqual(
      events.filter((name) => !name.endsWith('-change')),
      ['ledyer-load', 'ledyer-ready', 'ledyer-validate', 'ledyer-confirmation'],
      'lifecycle events in order',
    );
    const payload = await page.locator('#event-log [data-event="ledyer-confirmation"] .log-payload').textContent();
    assert.match(payload ?? '', /"status":"complete"/);
    await screenshot(page, '4-confirmation', { fullPage: true });

    // Ledyer asked the shop's validate URL once and the shop approved; it took the new order's notification.
    assert.deepEqual(
      (await suite.sandbox.validations({ orderId })).map((delivery) => delivery.status),
      [200],
    );
    assert.equal((await suite.sandbox.waitForNotification({ orderId, eventType: 'com.ledyer.order.create' })).status, 200);
  });

  test('without the required company details the checkout places no order; with them, exactly one', async () => {
    const shop = await suite.shop();
    const { page, checkout } = shop;
    await addToCart(page, COFFEE_MACHINE, 1);
    await goToCheckout(shop);
    await checkout.buy();
    // The hosted form refuses to submit and takes the buyer to the first empty required field.
    const companyId = checkout.frame.getByRole('textbox', { name: SANDBOX_CHECKOUT_LABELS.companyId, exact: true });
    assert.deepEqual(await companyId.evaluate((input: HTMLInputElement) => [input.validity.valueMissing, input === document.activeElement]), [true, true]);
    assert.equal(await page.locator('ledyer-checkout').getAttribute('state'), 'ready');
    assert.equal(await page.locator('#confirmation-view').isHidden(), true);
    assert.deepEqual(await suite.sandbox.validations({ orderId: await checkoutOrderId(page) }), [], 'Ledyer asked the shop nothing');

    // Twin: filled in, the same button buys, and the refused press left nothing behind.
    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    const events = await loggedEvents(page);
    assert.deepEqual(
      events.filter((name) => name === 'ledyer-validate' || name === 'ledyer-confirmation'),
      ['ledyer-validate', 'ledyer-confirmation'],
      'one validation round and one confirmation: the first press started no purchase',
    );
  });

  test('the control API buys through the open checkout, as a buyer would: client validation, confirmation, the order', async () => {
    const shop = await suite.shop();
    const { page, checkout } = shop;
    await addToCart(page, COFFEE_MACHINE, 2);
    await goToCheckout(shop);
    const outcome = await suite.sandbox.complete(await checkout.sessionId());
    assert.equal(outcome.kind, 'complete');
    assert.equal(outcome.drivenBy, 'page', 'the open page ran its own buy flow');
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    assert.equal(await orderIdOnPage(page), outcome.kind === 'complete' ? outcome.orderId : '');
    assert.equal(await page.locator('[data-field="order-amount"]').textContent(), 'SEK 1,100.00');
    assert.ok((await loggedEvents(page)).includes('ledyer-validate'), 'the shop page was asked, as for a buyer');
  });

  test('keyboard only: add to cart and reach the checkout', async () => {
    const { page, checkout } = await suite.shop();
    const quantity = page.locator(`li.product[data-sku="${BEANS}"] input`);
    await quantity.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await page.locator('#cart-count', { hasText: '3' }).waitFor();
    await page.locator('#checkout-button').focus();
    await page.keyboard.press('Enter');
    await checkout.waitForReady();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'checkout-heading', 'focus moved to the checkout step');
  });

  test('at phone width the shop fits without sideways scrolling', async () => {
    const shop = await suite.shop({ width: 390, height: 844 });
    const { page } = shop;
    await addToCart(page, COFFEE_MACHINE, 2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0);
    await screenshot(page, '6-phone', { fullPage: false });
    await goToCheckout(shop);
    const checkoutOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(checkoutOverflow, 0);
  });
});

describe('client validation: "require purchase order number"', () => {
  /** A coffee machine in the cart, at the checkout, with the shop's purchase order policy switched on. */
  async function checkoutWithPurchaseOrderPolicy() {
    const shop = await suite.shop();
    await addToCart(shop.page, COFFEE_MACHINE, 1);
    await goToCheckout(shop);
    await shop.page.getByLabel('Require a purchase order number').check();
    await shop.page.locator('#po-optional', { hasText: '(required)' }).waitFor();
    return shop;
  }

  test('policy on and no number: denied with the message inside the checkout, and no order', async () => {
    const { page, checkout } = await checkoutWithPurchaseOrderPolicy();
    await checkout.fillBuyer();
    await checkout.buy();

    const alert = await checkout.expectDenied(PAGE_DENIAL.title);
    assert.match(alert, /Enter your purchase order number/);
    await screenshot(page, '5-validation-denied', { fullPage: true });
    assert.ok(!(await loggedEvents(page)).includes('ledyer-confirmation'));
    assert.equal(await page.locator('#confirmation-view').isHidden(), true);
    assert.equal(await page.getByLabel(/Purchase order number/).getAttribute('aria-invalid'), 'true');
    const orderId = await checkoutOrderId(page);
    assert.match(orderId, /^or_/);
    // Denied in the browser: Ledyer never asked the shop's validate URL, sent nothing, and no order exists.
    assert.deepEqual(await suite.sandbox.validations({ orderId }), []);
    assert.deepEqual(await suite.sandbox.notifications({ orderId }), []);
    assert.equal((await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`)).status, 404);
  });

  test('policy on and no number, bought through the control API: the open page denies it and the call answers the denial', async () => {
    const { page, checkout } = await checkoutWithPurchaseOrderPolicy();

    const outcome = await suite.sandbox.complete(await checkout.sessionId());
    assert.deepEqual(outcome, { kind: 'denied', ...PAGE_DENIAL, drivenBy: 'page' });
    await checkout.expectDenied(PAGE_DENIAL.title);
    const orderId = await checkoutOrderId(page);
    assert.deepEqual(await suite.sandbox.validations({ orderId }), []);
    assert.equal((await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`)).status, 404);
  });

  test('policy on with a number: the purchase goes through and the number is the order reference', async () => {
    const { page, checkout } = await checkoutWithPurchaseOrderPolicy();
    await page.getByLabel(/Purchase order number/).fill('PO-4711');
    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    await page.locator('[data-field="order-reference"]', { hasText: 'PO-4711' }).waitFor();
  });
});
