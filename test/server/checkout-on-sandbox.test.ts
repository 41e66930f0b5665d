/**
 * The checkout handler's three routes against the real sandbox over loopback: what a page
 * sees when it creates a checkout, changes the cart, and asks for the real state before it
 * shows success. The sandbox's control API plays the buyer.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { buildOrder, createCheckoutHandler, createLedyerClient, type CartItem, type FetchHandler, type LedyerClient } from '../../src/server/index.js';

let sandbox: RunningSandbox;
let client: LedyerClient;
let handler: FetchHandler;
const BASE = 'https://shop.example/api/checkout/session';

const prices: Record<string, number> = { 'coffee-x200': 50000, 'filter-pack': 9900 };

before(async () => {
  sandbox = await startSandbox({ port: 0 });
});
after(() => sandbox.close());

beforeEach(async () => {
  await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST' });
  client = createLedyerClient({ ...sandbox.credentials, environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url }, retryDelayMs: 5 });
  handler = createCheckoutHandler({
    client,
    resolveOrder: (items: CartItem[]) => ({
      country: 'SE',
      currency: 'SEK',
      locale: 'sv-SE',
      settings: { urls: { terms: 'https://shop.example/terms' } },
      ...buildOrder(items.map((item) => ({ reference: item.sku, description: item.sku, quantity: item.quantity, unitPrice: prices[item.sku] ?? 100, vat: 2500 }))),
    }),
  });
});

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await handler(new Request(`${BASE}${path}`, init));
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function control(orderId: string, action: 'complete' | 'pending'): Promise<void> {
  const response = await fetch(`${sandbox.url}/sandbox/sessions/${orderId}/${action}`, { method: 'POST' });
  assert.equal(response.status, 200, `control ${action}: ${await response.text()}`);
}

describe('the checkout handler on the sandbox', () => {
  test('create, change the cart (the session holds the new total), then the state follows the purchase', async () => {
    const created = await call('POST', '', { items: [{ sku: 'coffee-x200', quantity: 1 }] });
    assert.equal(created.status, 200);
    const orderId = created.json['orderId'] as string;
    assert.deepEqual((await call('GET', `/${orderId}`)).json, { orderId, state: 'open', paymentStatus: 'orderInitiated', paymentMethod: null });

    const updated = await call('POST', `/${orderId}`, { items: [{ sku: 'coffee-x200', quantity: 2 }, { sku: 'filter-pack', quantity: 1 }, { sku: 'filter-pack', quantity: 1 }] });
    assert.equal(updated.status, 200);
    assert.equal(updated.json['replaced'], false);
    assert.equal(updated.json['orderId'], orderId);
    assert.equal(updated.json['sessionId'], created.json['sessionId']);
    const session = await client.getSession(orderId);
    assert.equal((session['order'] as { totalOrderAmount: number }).totalOrderAmount, 2 * 50000 + 2 * 9900);

    await control(orderId, 'complete');
    const status = await call('GET', `/${orderId}`);
    assert.equal(status.json['state'], 'complete');
    assert.equal(status.json['paymentStatus'], 'paymentConfirmed');
    assert.deepEqual(status.json['paymentMethod'], { provider: 'ledyer', type: 'invoice' });

    await client.cancelOrder(orderId);
    assert.equal((await call('GET', `/${orderId}`)).json['state'], 'cancelled');
  });

  test('a session awaiting a signatory is pending, not complete', async () => {
    const created = await call('POST', '', { items: [{ sku: 'filter-pack', quantity: 3 }] });
    const orderId = created.json['orderId'] as string;
    await control(orderId, 'pending');
    const status = await call('GET', `/${orderId}`);
    assert.equal(status.json['state'], 'pending');
    assert.equal(status.json['paymentStatus'], 'orderPending');
  });

  test('a cart change after the purchase replaces the bought session with a new one holding the new cart', async () => {
    const created = await call('POST', '', { items: [{ sku: 'coffee-x200', quantity: 1 }] });
    const orderId = created.json['orderId'] as string;
    await control(orderId, 'complete');
    const updated = await call('POST', `/${orderId}`, { items: [{ sku: 'filter-pack', quantity: 4 }] });
    assert.equal(updated.status, 200);
    assert.equal(updated.json['replaced'], true);
    assert.notEqual(updated.json['orderId'], orderId);
    assert.match(String(updated.json['expiresAt']), /^\d{4}-\d\d-\d\dT/);
    const fresh = await client.getSession(updated.json['orderId'] as string);
    assert.equal(fresh.id, updated.json['sessionId']);
    assert.equal((fresh['order'] as { totalOrderAmount: number }).totalOrderAmount, 4 * 9900);
    assert.equal((await client.getOrder(orderId)).orderAmount.minorUnits, 50000, 'the bought order is untouched');
  });

  test('an orderId the sandbox does not know reads as open; a malformed one never reaches it', async () => {
    assert.deepEqual((await call('GET', '/or_doesNotExist00000000000000')).json, { orderId: 'or_doesNotExist00000000000000', state: 'open', paymentStatus: null, paymentMethod: null });
    const malformed = await call('GET', '/%ZZ');
    assert.equal(malformed.status, 400);
  });
});
