/**
 * After the purchase: the order admin panel edits, captures and cancels the order through
 * the shop's server (seed edit-order.txt: 10 → 9 Coffee Machines is SEK 4,600.00).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { COFFEE_MACHINE, addToCart, adminCall, adminToken, goToCheckout, orderIdOnPage, placeOrder, screenshot, useShopSuite, type PageProblems } from './harness.js';

const suite = useShopSuite({ assertPagesClean: true });

/** A bought order of 10 Coffee Machines + shipping (SEK 5,100.00), with the admin panel loaded. */
async function boughtSeedOrder(): Promise<{ page: Page; problems: PageProblems; orderId: string }> {
  const opened = await suite.shop();
  const { page } = opened;
  await addToCart(page, COFFEE_MACHINE, 10);
  await placeOrder(await goToCheckout(page));
  await page.locator('[data-field="order-amount"]', { hasText: 'SEK 5,100.00' }).waitFor();
  return { page, problems: opened.problems, orderId: await orderIdOnPage(page) };
}

const amount = (page: Page, field: string) => page.locator(`[data-field="${field}"]`).textContent();

describe('order admin', () => {
  test('edit: 9 Coffee Machines instead of 10 gives the seed amounts and an edit event', async () => {
    const { page, orderId } = await boughtSeedOrder();
    await page.locator('#order-admin').getByLabel('Quantity of Coffee Machine X200').fill('9');
    await page.getByRole('button', { name: 'Save quantities' }).click();
    await page.locator('[data-field="order-amount"]', { hasText: 'SEK 4,600.00' }).waitFor();
    assert.equal(await amount(page, 'uncaptured-amount'), 'SEK 4,600.00');
    assert.equal(await page.locator('[data-total="uncaptured"]').textContent(), 'SEK 4,600.00');
    const edit = page.locator('[data-table="events"] tr[data-event-type="edit"]');
    assert.match((await edit.textContent()) ?? '', /-SEK 500\.00/);
    await screenshot(page, '7-order-edited', { fullPage: true });

    // The order Ledyer holds says the same, line by line (seed edit-order.txt response).
    const { body } = await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`);
    const order = body['order'] as { uncaptured: { orderLines: Array<{ reference: string; quantity: number; totalAmount: number; totalVatAmount: number }>; totalOrderVatAmount: { formatted: string }; totalOrderAmountExclVat: { formatted: string } } };
    const lines = order.uncaptured.orderLines.map(({ reference, quantity, totalAmount, totalVatAmount }) => ({ reference, quantity, totalAmount, totalVatAmount }));
    assert.deepEqual(lines, [
      { reference: '111-222-333', quantity: 9, totalAmount: 450000, totalVatAmount: 90000 },
      { reference: '444-555-666', quantity: 1, totalAmount: 10000, totalVatAmount: 2000 },
    ]);
    assert.equal(order.uncaptured.totalOrderVatAmount.formatted, '920.00');
    assert.equal(order.uncaptured.totalOrderAmountExclVat.formatted, '3,680.00');
  });

  test('an edit that removes every line is refused with a message and changes nothing', async () => {
    const { page, problems } = await boughtSeedOrder();
    problems.expected.push(/status of 400/);
    await page.locator('#order-admin').getByLabel('Quantity of Coffee Machine X200').fill('0');
    await page.locator('#order-admin').getByLabel('Quantity of Shipping fee').fill('0');
    await page.getByRole('button', { name: 'Save quantities' }).click();
    await page.getByRole('alert').filter({ hasText: 'cancel the order instead' }).waitFor();
    assert.equal(await amount(page, 'order-amount'), 'SEK 5,100.00');
  });

  test('the same edit sent twice with one Idempotency-Key is applied once', async () => {
    const { orderId } = await boughtSeedOrder();
    const token = await adminToken(suite.demo);
    const edit = (key: string) =>
      fetch(new URL(`/api/orders/${orderId}/edit`, suite.demo.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-shop-admin-token': token },
        body: JSON.stringify({ lines: [{ reference: COFFEE_MACHINE, quantity: 9 }] }),
      }).then((response) => response.json() as Promise<{ order: { events: Array<{ type: string }> } }>);
    const key = crypto.randomUUID();
    await edit(key);
    const replay = await edit(key);
    assert.equal(replay.order.events.filter((event) => event.type === 'edit').length, 1);
    // Twin: a new key is a new edit (same quantities: Ledyer records it again, by 0.00).
    const fresh = await edit(crypto.randomUUID());
    assert.equal(fresh.order.events.filter((event) => event.type === 'edit').length, 2);
  });

  test('capture: the order is fully captured and can no longer be edited or cancelled', async () => {
    const { page } = await boughtSeedOrder();
    await page.getByRole('button', { name: 'Capture the rest' }).click();
    await page.locator('[data-field="order-status"]', { hasText: 'fullyCaptured' }).waitFor();
    assert.equal(await amount(page, 'captured-amount'), 'SEK 5,100.00');
    assert.equal(await page.getByRole('button', { name: 'Cancel order' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Save quantities' }).count(), 0, 'no uncaptured lines left to edit');
  });

  test('cancel: the order is cancelled and capture is no longer offered', async () => {
    const { page } = await boughtSeedOrder();
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.locator('[data-field="order-status"]', { hasText: 'cancelled' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Capture the rest' }).count(), 0, 'nothing left to capture');
  });

  test('the admin endpoints answer only for orders this shop sold', async () => {
    const { status, body } = await adminCall(suite.demo, 'GET', '/api/orders/or_notFromThisShop');
    assert.equal(status, 404);
    assert.match(JSON.stringify(body), /sold no order/);
  });
});
