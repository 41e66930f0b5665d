/**
 * After the purchase: the order admin panel edits, captures (in parts, as goods ship),
 * refunds per captured ledger and cancels the order through the shop's server (seed
 * edit-order.txt: 10 → 9 Coffee Machines is SEK 4,600.00), and shows Ledyer's ledgers,
 * events and payment status and the notifications the shop received as they change.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { COFFEE_MACHINE, addToCart, adminCall, adminToken, goToCheckout, orderIdOnPage, sandboxUsage, screenshot, useShopSuite, type OpenShop, type PageProblems } from './harness.js';

const suite = useShopSuite({ assertPagesClean: true });

/** Ten Coffee Machines bought by a buyer through the kit, with the admin panel loaded. */
async function buySeedOrder(shop: OpenShop): Promise<string> {
  const { page, checkout } = shop;
  await addToCart(page, COFFEE_MACHINE, 10);
  await goToCheckout(shop);
  await checkout.expectTotal('SEK 5,100.00');
  await checkout.fillBuyer();
  await checkout.buy();
  assert.equal(await checkout.waitForConfirmation(), 'complete');
  await page.locator('[data-field="order-amount"]', { hasText: 'SEK 5,100.00' }).waitFor();
  return orderIdOnPage(page);
}

/** A bought order of 10 Coffee Machines + shipping (SEK 5,100.00), with the admin panel loaded. */
async function boughtSeedOrder(): Promise<{ page: Page; problems: PageProblems; orderId: string }> {
  const shop = await suite.shop();
  const orderId = await buySeedOrder(shop);
  return { page: shop.page, problems: shop.problems, orderId };
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

const field = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);
const ledger = (page: Page, index: number) => page.locator('#order-admin [data-ledger]').nth(index);

describe('ship in parts and refund per ledger', () => {
  test('ship half, capture the rest, refund one unit and an amount: amounts, status, ledgers, events and notifications', async () => {
    const { page } = await boughtSeedOrder();
    const admin = page.locator('#order-admin');
    // The new order was acknowledged and numbered from its create notification.
    await field(page, 'shop-order-number').filter({ hasText: /^FIKA-\d+$/ }).waitFor();
    // The shop numbers the order before it tells Ledyer: a refresh in between shows the number
    // and still the old reference, so wait for the reference to follow.
    await field(page, 'order-reference').filter({ hasText: /^FIKA-\d+$/ }).waitFor();
    assert.equal(await field(page, 'order-reference').textContent(), await field(page, 'shop-order-number').textContent());

    // Half the coffee machines shipped.
    await admin.getByLabel('Capture now: Coffee Machine X200').fill('5');
    await admin.getByRole('button', { name: 'Capture selected' }).click();
    await field(page, 'order-status').filter({ hasText: 'partiallyCaptured' }).waitFor();
    assert.equal(await field(page, 'captured-amount').textContent(), 'SEK 2,500.00');
    assert.equal(await field(page, 'uncaptured-amount').textContent(), 'SEK 2,600.00');
    assert.equal(await field(page, 'payment-status').textContent(), 'paymentConfirmed');
    assert.equal(await admin.locator('[data-ledger]').count(), 1);
    assert.match((await ledger(page, 0).locator('tbody').textContent()) ?? '', /5 × Coffee Machine X200/);
    assert.equal(await admin.locator('[data-total="uncaptured"]').textContent(), 'SEK 2,600.00');

    // The rest shipped.
    await admin.getByRole('button', { name: 'Capture the rest' }).click();
    await field(page, 'order-status').filter({ hasText: 'fullyCaptured' }).waitFor();
    assert.equal(await field(page, 'captured-amount').textContent(), 'SEK 5,100.00');
    assert.equal(await field(page, 'uncaptured-amount').textContent(), 'SEK 0.00');
    assert.equal(await field(page, 'payment-status').textContent(), 'orderCaptured');
    assert.equal(await admin.locator('[data-ledger]').count(), 2);
    assert.equal(await ledger(page, 1).locator('[data-total="left"]').textContent(), 'SEK 2,600.00');

    // One machine of the first shipment came back: refund one unit on that invoice.
    await ledger(page, 0).getByLabel('Refund units of Coffee Machine X200').fill('1');
    await ledger(page, 0).getByRole('button', { name: 'Refund selected' }).click();
    await field(page, 'refunded-amount').filter({ hasText: 'SEK 500.00' }).waitFor();
    assert.equal(await field(page, 'order-status').textContent(), 'fullyCaptured, partiallyRefunded');
    assert.equal(await ledger(page, 0).locator('[data-total="left"]').textContent(), 'SEK 2,000.00');
    assert.match((await ledger(page, 0).locator('[data-refund]').textContent()) ?? '', /1 × Coffee Machine X200 · SEK 500\.00/);
    assert.equal(await ledger(page, 1).locator('[data-total="left"]').textContent(), 'SEK 2,600.00', 'the other invoice is untouched');

    // And SEK 25.00 off the shipping fee on the second invoice, as an amount.
    await ledger(page, 1).getByLabel('Refund amount in SEK of Shipping fee').fill('25');
    await ledger(page, 1).getByRole('button', { name: 'Refund selected' }).click();
    await field(page, 'refunded-amount').filter({ hasText: 'SEK 525.00' }).waitFor();
    assert.equal(await ledger(page, 1).locator('[data-total="left"]').textContent(), 'SEK 2,575.00');
    assert.equal(await ledger(page, 1).locator('[data-left="444-555-666"]').textContent(), 'SEK 75.00');

    const events = await admin.locator('[data-table="events"] tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-type')));
    for (const type of ['partialCapture', 'fullCapture', 'partialRefund', 'acknowledge', 'setReference']) assert.ok(events.includes(type), `${type} in ${events.join(', ')}`);
    assert.equal(events[0], 'partialRefund', 'newest first');
    // Ledyer's notifications arrive on their own; the panel shows them as they come.
    for (const type of ['part_capture', 'full_capture', 'part_refund']) await admin.locator(`.admin-notifications [data-event-type="com.ledyer.order.${type}"]`).first().waitFor();
    await screenshot(page, '8-capture-refund', { fullPage: true });
  });

  test('twin: captures and refunds beyond what is left are refused with what is left, and nothing changes', async () => {
    const { page, orderId } = await boughtSeedOrder();
    const view = await adminCall(suite.demo, 'GET', `/api/orders/${orderId}`);
    const lineId = (view.body['order'] as { uncaptured: { orderLines: Array<{ id: string; reference: string }> } }).uncaptured.orderLines.find((line) => line.reference === COFFEE_MACHINE)?.id;
    const usage = () => sandboxUsage(suite.sandbox);
    const keysBefore = (await usage()).idempotencyKeys;

    const overCapture = await adminCall(suite.demo, 'POST', `/api/orders/${orderId}/partial-capture`, { lines: [{ lineId, quantity: 11 }] });
    assert.equal(overCapture.status, 400);
    assert.match(JSON.stringify(overCapture.body), /lines\.0\.quantity: at most 10 of Coffee Machine X200 remain uncaptured, got 11/);
    const captured = await adminCall(suite.demo, 'POST', `/api/orders/${orderId}/partial-capture`, { lines: [{ lineId, quantity: 2 }] });
    assert.equal(captured.status, 200);
    const ledgerId = (captured.body['order'] as { captured: Array<{ ledgerId: string }> }).captured[0]?.ledgerId;
    const keysAfterCapture = (await usage()).idempotencyKeys;
    const overRefund = await adminCall(suite.demo, 'POST', `/api/orders/${orderId}/ledgers/${ledgerId}/partial-refund`, { lines: [{ lineId, quantity: 3 }] });
    assert.equal(overRefund.status, 400);
    assert.match(JSON.stringify(overRefund.body), /at most 2 of Coffee Machine X200 are left to refund/);
    const overAmount = await adminCall(suite.demo, 'POST', `/api/orders/${orderId}/ledgers/${ledgerId}/partial-refund`, { lines: [{ lineId, amount: 100_001 }] });
    assert.equal(overAmount.status, 400);
    assert.match(JSON.stringify(overAmount.body), /at most 100000 \(minor units\)/);
    assert.equal((await usage()).idempotencyKeys, keysAfterCapture, 'no refused refund was sent to Ledyer');
    assert.equal(keysAfterCapture, keysBefore + 1, 'only the good capture was');

    // In the panel: capturing with nothing chosen says so and sends nothing.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await field(page, 'order-status').filter({ hasText: 'partiallyCaptured' }).waitFor();
    await page.locator('#order-admin').getByRole('button', { name: 'Capture selected' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose how many of at least one line shipped' }).waitFor();
    assert.equal(await field(page, 'captured-amount').textContent(), 'SEK 1,000.00');
    assert.equal((await usage()).idempotencyKeys, keysAfterCapture);
  });
});

describe('the order admin by keyboard and at phone width', () => {
  test('keyboard only: Enter in a "Capture now" field captures what it says', async () => {
    const { page } = await boughtSeedOrder();
    const field = page.locator('#order-admin').getByLabel('Capture now: Coffee Machine X200');
    await field.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await page.locator('[data-field="captured-amount"]', { hasText: 'SEK 1,500.00' }).waitFor();
    assert.equal(await page.locator('[data-field="order-status"]').textContent(), 'partiallyCaptured');
  });

  test('at phone width the admin fits without sideways scrolling (wide tables scroll in their box)', async () => {
    const shop = await suite.shop({ width: 390, height: 844 });
    const { page } = shop;
    await buySeedOrder(shop);
    await page.locator('#order-admin').getByLabel('Capture now: Coffee Machine X200').fill('5');
    await page.locator('#order-admin').getByRole('button', { name: 'Capture selected' }).click();
    await page.locator('#order-admin [data-ledger]').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0);
  });
});
