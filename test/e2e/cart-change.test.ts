/**
 * A cart change while the checkout is open, as Ledyer's plugins make it (issue 9.1, 9.3):
 * suspend, update the session on the shop's server, resume, and Ledyer's checkout shows the
 * new session by itself: no reload, no second script. When Ledyer says the session is gone,
 * the shop's server answers a new one and the element mounts it; the purchase completes on it.
 * Inside the checkout and at the sandbox, every step is the testing kit's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SANDBOX_CHECKOUT_LABELS } from '../../src/testing/index.js';
import { COFFEE_MACHINE, addToCart, adminCall, checkoutOrderId, goToCheckout, loggedEvents, orderIdOnPage, useShopSuite } from './harness.js';

const suite = useShopSuite({ assertPagesClean: true });

/** The uncaptured lines of the order Ledyer holds, as `reference × quantity`. */
async function linesAtLedyer(orderId: string): Promise<string[]> {
  const { body } = await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`);
  const order = body['order'] as { uncaptured: { orderLines: Array<{ reference: string; quantity: number }> } };
  return order.uncaptured.orderLines.map((line) => `${line.reference} × ${line.quantity}`);
}

describe('changing the cart while the checkout is open', () => {
  test('suspended around the update, the same iframe shows the new total, and the order holds the new lines', async () => {
    const shop = await suite.shop();
    const { page, checkout } = shop;
    await addToCart(page, COFFEE_MACHINE, 10);
    await goToCheckout(shop);
    await checkout.expectTotal('SEK 5,100.00');
    const iframe = await checkout.element.locator('iframe').elementHandle();
    const orderId = await checkoutOrderId(page);
    const sessionId = await checkout.sessionId();

    await page.getByRole('button', { name: 'One fewer Coffee Machine X200' }).click();
    await checkout.expectTotal('SEK 4,600.00');
    await page.locator('#checkout-status', { hasText: 'Your order was updated.' }).waitFor();
    const states = await page
      .locator('#event-log [data-event="ledyer-state-change"] .log-payload')
      .evaluateAll((entries) => entries.map((entry) => (JSON.parse(entry.textContent ?? '{}') as { state: string }).state));
    assert.ok(states.includes('suspended'), `suspended during the update: ${states.join(' → ')}`);
    // No reload: the iframe that showed the old cart shows the new one, and Ledyer's script loaded once.
    assert.equal(await iframe?.evaluate((element) => element.isConnected), true, 'the same iframe');
    assert.equal((await loggedEvents(page)).filter((name) => name === 'ledyer-load').length, 1);
    assert.equal(await page.locator('script[src*="bootstrap.js"]').count(), 1);
    assert.equal(await checkoutOrderId(page), orderId, 'the same order');
    assert.equal(await checkout.sessionId(), sessionId, 'the same session');

    // Resumed (the kit's waitForReady would also pass while suspended: buy() waits for the button).
    await checkout.element.and(page.locator('[state="ready"]')).waitFor();
    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    await page.locator('[data-field="order-amount"]', { hasText: 'SEK 4,600.00' }).waitFor();
    assert.equal(await orderIdOnPage(page), orderId);
    assert.deepEqual(await linesAtLedyer(orderId), ['111-222-333 × 9', '444-555-666 × 1']);
  });

  test('twin: an update Ledyer refuses (not as gone) says so, resumes the checkout and keeps the old total and session', async () => {
    const shop = await suite.shop();
    const { page, problems, checkout } = shop;
    // The browser itself logs the failed request; that one error is the point of this test.
    problems.expected.push(/status of 502/);
    await addToCart(page, COFFEE_MACHINE, 10);
    await goToCheckout(shop);
    const orderId = await checkoutOrderId(page);
    // Ledyer refuses the next session update with a 400: about the request, so neither retried nor "gone".
    await suite.sandbox.fault({ path: '/v1/sessions/*', method: 'POST', count: 1, kind: 'status', status: 400 });
    await page.getByRole('button', { name: 'One fewer Coffee Machine X200' }).click();
    await page.locator('#checkout-status[data-tone="error"]').waitFor();
    assert.deepEqual(await suite.sandbox.faults(), [], 'the update reached Ledyer and was refused');
    await checkout.element.and(page.locator('[state="ready"]')).waitFor();
    await checkout.expectTotal('SEK 5,100.00');
    assert.equal(await checkoutOrderId(page), orderId, 'no new session');
  });
});

describe('a session Ledyer says is gone is replaced', () => {
  test('expired, then the cart changes: the element mounts the new session and the purchase completes on it', async () => {
    const shop = await suite.shop();
    const { page, checkout } = shop;
    await addToCart(page, COFFEE_MACHINE, 2);
    await goToCheckout(shop);
    const expiredOrderId = await checkoutOrderId(page);
    const expiredSessionId = await checkout.sessionId();
    const expired = await suite.sandbox.expire(expiredSessionId);
    assert.deepEqual([expired.sessionId, expired.orderId], [expiredSessionId, expiredOrderId]);
    await checkout.expectDenied('expired');

    await page.getByRole('button', { name: 'One more Coffee Machine X200' }).click();
    await page.locator('#checkout-status', { hasText: 'opened a new one with the same cart' }).waitFor();
    const renewedOrderId = await checkoutOrderId(page);
    assert.notEqual(renewedOrderId, expiredOrderId);
    await checkout.waitForReady();
    assert.notEqual(await checkout.sessionId(), expiredSessionId, 'the element holds the new session');
    await checkout.expectTotal('SEK 1,600.00');

    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    assert.equal(await orderIdOnPage(page), renewedOrderId, 'the order admin follows the new session');
    assert.equal(await page.locator('[data-field="order-amount"]').textContent(), 'SEK 1,600.00');
    assert.deepEqual(await linesAtLedyer(renewedOrderId), ['111-222-333 × 3', '444-555-666 × 1']);
    assert.equal((await adminCall(suite.demo, 'GET', `/api/orders/${expiredOrderId}`)).status, 404, 'the expired session never became an order');
  });

  test('twin: the expired session cannot be bought, by the buyer or through the control API', async () => {
    const shop = await suite.shop();
    const { page, checkout } = shop;
    await addToCart(page, COFFEE_MACHINE, 2);
    await goToCheckout(shop);
    const sessionId = await checkout.sessionId();
    await suite.sandbox.expire(sessionId);
    await checkout.expectDenied('expired');
    // The buyer cannot press buy, and the control API cannot buy it either.
    assert.equal(await checkout.frame.getByRole('button', { name: SANDBOX_CHECKOUT_LABELS.buy, exact: true }).isDisabled(), true);
    await assert.rejects(suite.sandbox.complete(sessionId), {
      name: 'SandboxControlError',
      status: 409,
      sandboxCode: 'purchase_failed',
      sandboxMessage: /^This checkout session has expired\./,
    });
    assert.ok(!(await loggedEvents(page)).includes('ledyer-confirmation'), 'nothing was bought');
    assert.equal((await adminCall(suite.demo, 'GET', `/api/orders/${await checkoutOrderId(page)}`)).status, 404);
  });

  test('gone while the purchase-order number is saved: the buyer is told, sees the new session and buys it', async () => {
    const shop = await suite.shop();
    const { page, checkout } = shop;
    await addToCart(page, COFFEE_MACHINE, 1);
    await goToCheckout(shop);
    const firstOrderId = await checkoutOrderId(page);
    await page.getByLabel(/Purchase order number/).fill('PO-55');
    // Ledyer refuses the next session update as it refuses one for a session that is gone.
    await suite.sandbox.fault({ path: '/v1/sessions/*', method: 'POST', count: 1, kind: 'status', status: 409 });
    await checkout.fillBuyer();
    await checkout.buy();
    // Said on the page: the iframe that could have shown it is replaced by the new session's.
    await page.locator('#checkout-status', { hasText: 'opened a new one with the same cart' }).waitFor();
    await checkout.waitForReady();
    const renewedOrderId = await checkoutOrderId(page);
    assert.notEqual(renewedOrderId, firstOrderId);
    assert.ok(!(await loggedEvents(page)).includes('ledyer-confirmation'), 'nothing was bought on the gone session');

    await checkout.fillBuyer();
    await checkout.buy();
    assert.equal(await checkout.waitForConfirmation(), 'complete');
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    assert.equal(await orderIdOnPage(page), renewedOrderId);
    await page.locator('[data-field="order-reference"]', { hasText: 'PO-55' }).waitFor();
  });
});
