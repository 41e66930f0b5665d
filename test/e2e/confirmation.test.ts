/**
 * Trust only Ledyer's API (issue 11.1). Ledyer's browser contract is page-global, so any
 * script on the shop's page can fire `ledyerCheckoutOrderComplete` and the element will
 * report a confirmation. The page therefore asks its server, which asks Ledyer, before it
 * shows success or empties the cart: a forged event changes nothing, a real purchase (and a
 * real pending one, by the buyer or through the testing kit's control client) is confirmed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { SANDBOX_TEST_COMPANIES, type LedyerCheckoutPage } from '../../src/testing/index.js';
import { COFFEE_MACHINE, addToCart, adminCall, checkoutOrderId, goToCheckout, loggedEvents, orderIdOnPage, useShopSuite } from './harness.js';

const suite = useShopSuite({ assertPagesClean: true });

async function checkoutWithTwoMachines(): Promise<{ page: Page; checkout: LedyerCheckoutPage }> {
  const shop = await suite.shop();
  await addToCart(shop.page, COFFEE_MACHINE, 2);
  await goToCheckout(shop);
  return shop;
}

const forge = (page: Page, name: string): Promise<void> => page.evaluate((event) => void document.dispatchEvent(new CustomEvent(event)), name);

describe('the confirmation event is no proof', () => {
  for (const name of ['ledyerCheckoutOrderComplete', 'ledyerCheckoutOrderPending']) {
    test(`a forged ${name} shows no success and keeps the cart and the checkout`, async () => {
      const { page } = await checkoutWithTwoMachines();
      await forge(page, name);
      // The element reports what it heard; the page asks Ledyer and says it is not confirmed.
      await page.locator('#event-log [data-event="ledyer-confirmation"]').waitFor();
      await page.locator('#checkout-status[data-tone="error"]', { hasText: 'Ledyer has not confirmed a purchase' }).waitFor();
      assert.match((await page.locator('#checkout-status').textContent()) ?? '', /"open" at Ledyer/);
      assert.equal(await page.locator('#confirmation-view').isHidden(), true, 'no success shown');
      assert.equal(await page.locator('#cart-count').textContent(), '2', 'the cart is kept');
      assert.equal(await page.locator('ledyer-checkout iframe').count(), 1, 'the checkout stays');
    });
  }

  test('twin: after a forged event the real purchase is confirmed, and the cart emptied', async () => {
    const { page, checkout } = await checkoutWithTwoMachines();
    await forge(page, 'ledyerCheckoutOrderComplete');
    await page.locator('#checkout-status', { hasText: 'Ledyer has not confirmed a purchase' }).waitFor();
    // The kit's waitForConfirmation would answer the forged event too (it reports what the element
    // heard, as the page does): success is what the shop shows once Ledyer's API says so.
    await checkout.fillBuyer();
    await checkout.buy();
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    assert.match((await page.locator('#confirmation-text').textContent()) ?? '', /Ledyer confirmed your purchase/);
    assert.equal(await page.locator('#cart-count').textContent(), '0');
    assert.match(await orderIdOnPage(page), /^or_/);
    assert.equal((await loggedEvents(page)).filter((event) => event === 'ledyer-confirmation').length, 2, 'the forged one and the real one');
  });
});

describe('a purchase that ends pending (awaiting a signatory) is shown as pending, because Ledyer says so', () => {
  /** What the shop shows for a pending purchase, and the order once the signatory signs through the kit. */
  async function expectPendingThenSigned(page: Page, checkout: LedyerCheckoutPage): Promise<void> {
    assert.equal(await checkout.waitForConfirmation(), 'pending');
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    assert.match((await page.locator('#confirmation-text').textContent()) ?? '', /pending \(for example, awaiting a signatory\)/);
    assert.equal(await page.locator('#cart-count').textContent(), '0');
    const sessionId = await checkout.sessionId();
    const orderId = await checkoutOrderId(page);
    // Ledyer tells the shop about the session, not an order: there is none yet.
    const awaiting = await suite.sandbox.waitForNotification({ sessionId, eventType: 'com.ledyer.checkout.session.awaiting_signatory' });
    assert.equal(awaiting.status, 200, 'the shop took the awaiting_signatory notification');
    assert.deepEqual(await suite.sandbox.notifications({ orderId }), [], 'no order notification before the signature');
    // No order exists until the signatory signs; the admin says so, then shows it.
    await page.locator('#order-admin [role="status"]', { hasText: 'once the signatory has signed' }).waitFor();
    assert.equal(await page.locator('[data-field="order-id"]').count(), 0);

    const signed = await suite.sandbox.sign(sessionId);
    assert.equal(signed.orderId, orderId);
    assert.equal(await orderIdOnPage(page), orderId);
    assert.equal((await suite.sandbox.waitForNotification({ orderId, eventType: 'com.ledyer.order.create' })).status, 200);
  }

  test('the buyer is the test company that needs a signatory: pending, then the order once it is signed', async () => {
    const { page, checkout } = await checkoutWithTwoMachines();
    await checkout.fillBuyer({ companyId: SANDBOX_TEST_COMPANIES.awaitsSignatory.companyId });
    await checkout.buy();
    await expectPendingThenSigned(page, checkout);
  });

  test('kit.pending while the checkout is open: the page buys as that company, the same pending path', async () => {
    const { page, checkout } = await checkoutWithTwoMachines();
    const outcome = await suite.sandbox.pending(await checkout.sessionId());
    assert.equal(outcome.kind, 'pending');
    assert.equal(outcome.drivenBy, 'page', 'driven exactly as a buyer’s purchase would be');
    await expectPendingThenSigned(page, checkout);
  });

  test('twin: sign before anything is pending is refused, and no order appears', async () => {
    const { page, checkout } = await checkoutWithTwoMachines();
    const sessionId = await checkout.sessionId();
    await assert.rejects(suite.sandbox.sign(sessionId), { name: 'SandboxControlError', status: 409, sandboxMessage: 'This session is not awaiting a signatory.' });
    assert.equal(await page.locator('#confirmation-view').isHidden(), true, 'no success shown');
    assert.ok(!(await loggedEvents(page)).includes('ledyer-confirmation'));
    const orderId = await checkoutOrderId(page);
    assert.deepEqual(await suite.sandbox.notifications({ orderId }), []);
    assert.equal((await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`)).status, 404);
  });
});
