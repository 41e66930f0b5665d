/**
 * A buyer's whole purchase on the demo shop, in real Chromium: catalogue → cart → checkout
 * inside Ledyer's iframe → confirmation → order admin. Every test also asserts the page
 * logged no console error, threw nothing and violated its Content-Security-Policy nowhere.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BEANS,
  COFFEE_MACHINE,
  addToCart,
  adminCall,
  goToCheckout,
  loggedEvents,
  orderIdOnPage,
  placeOrder,
  screenshot,
  shopCall,
  useShopSuite,
} from './harness.js';

const suite = useShopSuite({ assertPagesClean: true });

describe('a purchase, end to end', () => {
  test('cart → checkout → buy: the confirmation, the order admin and the events in order', async () => {
    const { page } = await suite.shop();
    await screenshot(page, '1-catalogue');
    await addToCart(page, COFFEE_MACHINE, 10);
    await assert.doesNotReject(page.locator('#cart-total', { hasText: 'SEK 5,100.00' }).waitFor());
    await screenshot(page, '2-cart');

    const frame = await goToCheckout(page);
    assert.equal(await frame.locator('#total').textContent(), 'SEK 5,100.00', 'the checkout shows the seed order: 10 × 500.00 + 100.00 shipping');
    await screenshot(page, '3-checkout', { fullPage: true });

    await placeOrder(frame);
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    await page.locator('[data-field="order-amount"]', { hasText: 'SEK 5,100.00' }).waitFor();
    assert.match(await orderIdOnPage(page), /^or_/);
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
  });

  test('without the required company details the checkout places no order', async () => {
    const { page } = await suite.shop();
    await addToCart(page, COFFEE_MACHINE, 1);
    const frame = await goToCheckout(page);
    await placeOrder(frame, { fill: false });
    // The hosted form refuses to submit: no validation round, no confirmation, still in the checkout.
    await page.waitForTimeout(500);
    const events = await loggedEvents(page);
    assert.ok(!events.includes('ledyer-validate') && !events.includes('ledyer-confirmation'), `no purchase events: ${events.join(', ')}`);
    assert.equal(await page.locator('ledyer-checkout').getAttribute('state'), 'ready');
    assert.equal(await page.locator('#confirmation-view').isHidden(), true);
  });

  test('keyboard only: add to cart and reach the checkout', async () => {
    const { page } = await suite.shop();
    const quantity = page.locator(`li.product[data-sku="${BEANS}"] input`);
    await quantity.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await page.locator('#cart-count', { hasText: '3' }).waitFor();
    await page.locator('#checkout-button').focus();
    await page.keyboard.press('Enter');
    await page.locator('ledyer-checkout[state="ready"]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'checkout-heading', 'focus moved to the checkout step');
  });

  test('at phone width the shop fits without sideways scrolling', async () => {
    const { page } = await suite.shop({ width: 390, height: 844 });
    await addToCart(page, COFFEE_MACHINE, 2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0);
    await screenshot(page, '6-phone', { fullPage: false });
    await goToCheckout(page);
    const checkoutOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(checkoutOverflow, 0);
  });
});

describe('client validation: "require purchase order number"', () => {
  test('policy on and no number: denied with the message inside the checkout, and no order', async () => {
    const { page } = await suite.shop();
    await addToCart(page, COFFEE_MACHINE, 1);
    const frame = await goToCheckout(page);
    await page.getByLabel('Require a purchase order number').check();
    await page.locator('#po-optional', { hasText: '(required)' }).waitFor();
    await placeOrder(frame);

    await frame.getByRole('alert').filter({ hasText: 'Purchase order number required' }).waitFor();
    assert.match((await frame.locator('#alert-body').textContent()) ?? '', /Enter your purchase order number/);
    await screenshot(page, '5-validation-denied', { fullPage: true });
    assert.ok(!(await loggedEvents(page)).includes('ledyer-confirmation'));
    assert.equal(await page.locator('#confirmation-view').isHidden(), true);
    assert.equal(await page.getByLabel(/Purchase order number/).getAttribute('aria-invalid'), 'true');
    const orderId = await page.locator('#checkout-host').getAttribute('data-order-id');
    assert.match(orderId ?? '', /^or_/);
    // Denied in the browser: Ledyer never asked the shop's validate URL, and no order exists.
    const deliveries = await fetch(new URL('/sandbox/callbacks', suite.demo.sandboxUrl ?? '')).then(
      (response) => response.json() as Promise<{ deliveries: Array<{ body: { orderId?: string } }> }>,
    );
    assert.equal(deliveries.deliveries.filter((delivery) => delivery.body.orderId === orderId).length, 0);
    assert.equal((await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`)).status, 404);
  });

  test('policy on with a number: the purchase goes through and the number is the order reference', async () => {
    const { page } = await suite.shop();
    await addToCart(page, COFFEE_MACHINE, 1);
    const frame = await goToCheckout(page);
    await page.getByLabel('Require a purchase order number').check();
    await page.locator('#po-optional', { hasText: '(required)' }).waitFor();
    await page.getByLabel(/Purchase order number/).fill('PO-4711');
    await placeOrder(frame);
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    await page.locator('[data-field="order-reference"]', { hasText: 'PO-4711' }).waitFor();
  });
});
