/**
 * The shop's notification handling (issues 10 and 11.4): Ledyer's callbacks are unsigned, so
 * the shop serves only checkouts it started, re-reads each order from Ledyer before acting,
 * acknowledges each new order and numbers it (FIKA-1001 …), keeps a bounded number of
 * notifications per order, forgets old checkouts, and escapes request text in its logs.
 * Through node:http with a counting Ledyer client (bare-shop.ts), against the real sandbox.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { createCheckoutBook } from '../../demo/server/checkout-book.js';
import type { OrderAdminView } from '../../demo/api-types.js';
import { startBareShop, type BareShop } from './bare-shop.js';

const COFFEE_MACHINE = '111-222-333';

let shop: BareShop;
const json = { 'content-type': 'application/json' };

async function startCheckout(target: BareShop = shop): Promise<string> {
  const response = await fetch(`${target.url}/api/checkout/session`, { method: 'POST', headers: json, body: JSON.stringify({ items: [{ sku: COFFEE_MACHINE, quantity: 2 }] }) });
  assert.equal(response.status, 200);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** Bought server-side through the kit's control client; resolves once the shop answered both new-order notifications. */
async function buy(orderId: string, target: BareShop = shop): Promise<void> {
  const outcome = await target.sandbox.complete(orderId);
  assert.deepEqual([outcome.kind, outcome.drivenBy], ['complete', 'server']);
  for (const eventType of ['com.ledyer.order.create', 'com.ledyer.order.ready_for_capture']) {
    await target.sandbox.waitForNotification({ orderId, eventType, status: 200 });
  }
}

async function adminView(orderId: string, target: BareShop = shop): Promise<OrderAdminView> {
  const response = await fetch(`${target.url}/api/orders/${orderId}`, { headers: { 'x-shop-admin-token': target.adminToken } });
  assert.equal(response.status, 200);
  return (await response.json()) as OrderAdminView;
}

function notify(body: unknown, target: BareShop = shop): Promise<Response> {
  return fetch(`${target.url}/api/ledyer/notification`, { method: 'POST', headers: json, body: JSON.stringify(body) });
}

before(async () => {
  shop = await startBareShop();
});
after(() => shop.close());
afterEach(() => {
  shop.logs.length = 0;
});

describe('new orders: acknowledged and given the shop order number, as Ledyer plugins do', () => {
  test('a bought order is acknowledged and its reference set to the shop order number', async () => {
    const orderId = await startCheckout();
    await buy(orderId);
    const { order, shopOrderNumber, notifications } = await adminView(orderId);
    assert.match(shopOrderNumber ?? '', /^FIKA-\d{4}$/);
    assert.equal(order.merchantReference, shopOrderNumber);
    const events = order.events.map((event) => event.type);
    assert.ok(events.includes('acknowledge') && events.includes('setReference'), events.join(', '));
    assert.deepEqual(
      notifications.map((notification) => [notification.eventType, notification.paymentStatus]),
      [
        ['com.ledyer.order.create', 'paymentConfirmed'],
        ['com.ledyer.order.ready_for_capture', 'paymentConfirmed'],
      ],
    );
    // Both events are new-order events: acknowledged once, numbered once.
    assert.equal(events.filter((type) => type === 'acknowledge').length, 1);
  });

  test("with the buyer's purchase order number as the reference, the number stays (Magento: set only when empty)", async () => {
    const orderId = await startCheckout();
    const saved = await fetch(`${shop.url}/api/checkout/session/${orderId}/purchase-order`, { method: 'POST', headers: json, body: '{"purchaseOrderNumber":"PO-77"}' });
    assert.equal(saved.status, 200);
    await buy(orderId);
    const { order, shopOrderNumber } = await adminView(orderId);
    assert.equal(order.merchantReference, 'PO-77');
    assert.match(shopOrderNumber ?? '', /^FIKA-/);
    assert.ok(order.events.some((event) => event.type === 'acknowledge'));
    assert.ok(!order.events.some((event) => event.type === 'setReference'));
  });

  test('twin: a forged "create" for a checkout not bought yet is refused by Ledyer\'s answer and changes nothing', async () => {
    const orderId = await startCheckout();
    const before = shop.upstream.length;
    const answer = await notify({ eventType: 'com.ledyer.order.create', merchantId: 'm', orderId });
    assert.equal(answer.status, 404);
    // Only reads: Ledyer was asked about the order, and nothing was written.
    assert.ok(shop.upstream.slice(before).every((call) => call.startsWith('GET ')), shop.upstream.slice(before).join(', '));
    assert.equal(shop.backend.checkouts.get(orderId)?.notifications.length, 0);
    assert.equal(shop.backend.checkouts.get(orderId)?.acknowledged, false);
  });
});

describe('forged notifications and bounded memory (issue 11.4)', () => {
  test('300 forged notifications for orders this shop never sold: each 404, none stored, nothing asked of Ledyer', async () => {
    const before = shop.upstream.length;
    const size = shop.backend.checkouts.size;
    for (let index = 0; index < 300; index += 1) {
      const forged = index % 3 === 2 ? { eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'm', sessionId: `cs_forged${index}` } : { eventType: 'com.ledyer.order.create', merchantId: 'm', orderId: `or_forged${index}` };
      const answer = await notify(forged);
      assert.equal(answer.status, 404);
    }
    assert.deepEqual(shop.upstream.slice(before), []);
    assert.equal(shop.backend.checkouts.size, size);
  });

  test('twin: a real notification for a sold order is processed and kept', async () => {
    const orderId = await startCheckout();
    await buy(orderId);
    const answer = await notify({ eventType: 'com.ledyer.order.ready_for_capture', merchantId: 'm', orderId });
    assert.equal(answer.status, 200);
    assert.equal((await adminView(orderId)).notifications.length, 3);
  });

  test('notifications per order are capped: the newest are kept', async () => {
    const capped = await startBareShop({ limits: { maxNotificationsPerOrder: 4 } });
    try {
      const orderId = await startCheckout(capped);
      await buy(orderId, capped);
      for (let index = 0; index < 6; index += 1) {
        assert.equal((await notify({ eventType: `com.ledyer.order.future_${index}`, merchantId: 'm', orderId }, capped)).status, 200);
      }
      const { notifications } = await adminView(orderId, capped);
      assert.deepEqual(
        notifications.map((notification) => notification.eventType),
        ['com.ledyer.order.future_2', 'com.ledyer.order.future_3', 'com.ledyer.order.future_4', 'com.ledyer.order.future_5'],
      );
    } finally {
      await capped.close();
    }
  });

  test('checkouts are capped: the oldest is forgotten and answers 404, the newest still work', async () => {
    const capped = await startBareShop({ limits: { maxCheckouts: 3 } });
    try {
      const orderIds = [];
      for (let index = 0; index < 4; index += 1) orderIds.push(await startCheckout(capped));
      assert.equal(capped.backend.checkouts.size, 3);
      const before = capped.upstream.length;
      const forgotten = await fetch(`${capped.url}/api/checkout/session/${orderIds[0]}`);
      assert.equal(forgotten.status, 404);
      assert.deepEqual(capped.upstream.slice(before), [], 'a forgotten checkout costs no call to Ledyer');
      for (const orderId of orderIds.slice(1)) assert.equal((await fetch(`${capped.url}/api/checkout/session/${orderId}`)).status, 200);
    } finally {
      await capped.close();
    }
  });

  test('checkouts expire: after the TTL a checkout is forgotten, before it is kept', () => {
    let now = 1_000_000;
    const book = createCheckoutBook({ checkoutTtlMs: 60_000 }, () => now);
    book.add({ orderId: 'or_a', sessionId: 'cs_a', items: [], purchaseOrderNumber: null });
    now += 59_999;
    assert.equal(book.get('or_a')?.orderId, 'or_a');
    assert.equal(book.bySessionId('cs_a')?.orderId, 'or_a');
    now += 2;
    assert.equal(book.get('or_a'), undefined);
    assert.equal(book.bySessionId('cs_a'), undefined);
    assert.equal(book.size, 0);
    assert.throws(() => createCheckoutBook({ maxCheckouts: 0 }), /maxCheckouts must be a positive whole number/);
  });
});

describe('logs', () => {
  test('control characters and bidi overrides from a request are escaped in log lines', async () => {
    const orderId = await startCheckout();
    await buy(orderId);
    shop.logs.length = 0;
    assert.equal((await notify({ eventType: 'x\n[shop] order paid\u202e', merchantId: 'm', orderId })).status, 200);
    assert.equal((await notify({ eventType: 'y\r\nforged', merchantId: 'm', orderId: 'or_nope\u2066' })).status, 404);
    assert.ok(shop.logs.length >= 2, shop.logs.join(' | '));
    for (const line of shop.logs) assert.doesNotMatch(line, /[\n\r\u202e\u2066]/, JSON.stringify(line));
    assert.ok(shop.logs.some((line) => line.includes('x\\u000a[shop] order paid\\u202e')), shop.logs.join(' | '));
  });

  test('twin: ordinary text is logged as it is', async () => {
    const orderId = await startCheckout();
    assert.ok(shop.logs.some((line) => line === `session ${orderId} created`), shop.logs.join(' | '));
  });
});
