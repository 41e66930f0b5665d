/**
 * Trust only Ledyer's API (issue 11.1). Ledyer's browser contract is page-global, so any
 * script on the shop's page can fire `ledyerCheckoutOrderComplete` and the element will
 * report a confirmation. The page therefore asks its server, which asks Ledyer, before it
 * shows success or empties the cart: a forged event changes nothing, a real purchase (and a
 * real pending one) is confirmed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { COFFEE_MACHINE, addToCart, checkoutFrame, goToCheckout, loggedEvents, orderIdOnPage, placeOrder, sandboxControl, useShopSuite } from './harness.js';

const suite = useShopSuite({ assertPagesClean: true });

async function checkoutWithTwoMachines(): Promise<Page> {
  const { page } = await suite.shop();
  await addToCart(page, COFFEE_MACHINE, 2);
  await goToCheckout(page);
  return page;
}

const forge = (page: Page, name: string): Promise<void> => page.evaluate((event) => void document.dispatchEvent(new CustomEvent(event)), name);

describe('the confirmation event is no proof', () => {
  for (const name of ['ledyerCheckoutOrderComplete', 'ledyerCheckoutOrderPending']) {
    test(`a forged ${name} shows no success and keeps the cart and the checkout`, async () => {
      const page = await checkoutWithTwoMachines();
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
    const page = await checkoutWithTwoMachines();
    await forge(page, 'ledyerCheckoutOrderComplete');
    await page.locator('#checkout-status', { hasText: 'Ledyer has not confirmed a purchase' }).waitFor();
    await placeOrder(checkoutFrame(page));
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    assert.match((await page.locator('#confirmation-text').textContent()) ?? '', /Ledyer confirmed your purchase/);
    assert.equal(await page.locator('#cart-count').textContent(), '0');
    assert.match(await orderIdOnPage(page), /^or_/);
    assert.equal((await loggedEvents(page)).filter((event) => event === 'ledyer-confirmation').length, 2, 'the forged one and the real one');
  });

  test('a purchase that ends pending (awaiting a signatory) is shown as pending, because Ledyer says so', async () => {
    const page = await checkoutWithTwoMachines();
    const orderId = (await page.locator('#checkout-host').getAttribute('data-order-id')) ?? '';
    // Drives the open page exactly as a buyer's purchase would, ending pending.
    const outcome = await sandboxControl(suite.demo, `/sandbox/sessions/${orderId}/pending`);
    assert.equal(outcome.status, 200);
    await page.getByRole('heading', { name: 'Thank you for your order' }).waitFor();
    assert.match((await page.locator('#confirmation-text').textContent()) ?? '', /pending \(for example, awaiting a signatory\)/);
    assert.equal(await page.locator('#cart-count').textContent(), '0');
    // No order exists until the signatory signs; the admin says so, then shows it.
    await page.locator('#order-admin [role="status"]', { hasText: 'once the signatory has signed' }).waitFor();
    assert.equal(await page.locator('[data-field="order-id"]').count(), 0);
    assert.equal((await sandboxControl(suite.demo, `/sandbox/sessions/${orderId}/sign`)).status, 200);
    assert.equal(await orderIdOnPage(page), orderId);
  });
});
