/**
 * The README's Hono lines, as a merchant pastes them: the checkout handler and the validate
 * handler mounted on a Hono app (`c.req.raw` in, the handler's Response out), served by the
 * app's own `fetch` against the real sandbox. Issue 13 names Hono among the stacks that must
 * work the first time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { buildOrder, createCheckoutHandler, createLedyerClient, createValidateHandler, type CartItem, type LedyerClient } from '../../src/server/index.js';

let sandbox: RunningSandbox;
let app: Hono;
let ledyerCalls = 0;
let ledyer: LedyerClient;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  const countingFetch: typeof fetch = (input, init) => {
    ledyerCalls += 1;
    return fetch(input, init);
  };
  ledyer = createLedyerClient({ ...sandbox.credentials, environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url }, fetch: countingFetch });
  const checkout = createCheckoutHandler({
    client: ledyer,
    resolveOrder: (items: CartItem[]) => ({
      country: 'SE',
      currency: 'SEK',
      locale: 'sv-SE',
      settings: { urls: { terms: 'https://shop.example/terms' } },
      ...buildOrder(items.map((item) => ({ reference: item.sku, description: item.sku, quantity: item.quantity, unitPrice: 50000, vat: 2500 }))),
    }),
  });
  const validate = createValidateHandler(({ reference }) => (reference ? { proceed: true } : { proceed: false, title: 'PO number required', body: 'Enter your purchase order number.' }));

  // As in the README's "Mount the handlers".
  app = new Hono();
  app.all('/api/checkout/session/*', (c) => checkout(c.req.raw));
  app.all('/api/checkout/session', (c) => checkout(c.req.raw));
  app.post('/ledyer/validate', (c) => validate(c.req.raw));
});
after(() => sandbox.close());

const post = (path: string, body: string) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the handlers on Hono', () => {
  test('create a checkout, change its cart, read its state: the same answers as on any Fetch runtime', async () => {
    const created = await post('/api/checkout/session', JSON.stringify({ items: [{ sku: 'coffee-x200', quantity: 1 }] }));
    assert.equal(created.status, 200);
    const { sessionId, orderId } = (await created.json()) as { sessionId: string; orderId: string };
    assert.match(sessionId, /\S/);

    const updated = await post(`/api/checkout/session/${orderId}`, JSON.stringify({ items: [{ sku: 'coffee-x200', quantity: 3 }] }));
    assert.equal(updated.status, 200);
    assert.equal(((await updated.json()) as { replaced: boolean }).replaced, false);
    const session = await ledyer.getSession(orderId);
    assert.equal((session.order as { totalOrderAmount?: unknown } | undefined)?.totalOrderAmount, 150000, 'Ledyer holds the new cart');

    const state = await app.request(`/api/checkout/session/${orderId}`);
    assert.equal(state.status, 200);
    assert.equal(((await state.json()) as { state: string }).state, 'open');
  });

  test('twin: a malformed cart through Hono is a JSON 400 naming the field, and nothing reaches Ledyer', async () => {
    const before = ledyerCalls;
    const refused = await post('/api/checkout/session', JSON.stringify({ items: [{ sku: 'coffee-x200', quantity: 0 }] }));
    assert.equal(refused.status, 400);
    assert.match(refused.headers.get('content-type') ?? '', /application\/json/);
    assert.match(JSON.stringify(await refused.json()), /items\.0\.quantity|items\[0\]\.quantity/);
    const broken = await post('/api/checkout/session', '{"items": [');
    assert.equal(broken.status, 400);
    assert.equal(ledyerCalls, before);
  });

  test('the validate handler on Hono: a reference proceeds (200), none is declined (422) with its title', async () => {
    const ok = await post('/ledyer/validate', JSON.stringify({ merchantId: 'ac_1', orderId: 'or_1', reference: 'PO-7', storeId: null }));
    assert.equal(ok.status, 200);
    const declined = await post('/ledyer/validate', JSON.stringify({ merchantId: 'ac_1', orderId: 'or_1', reference: null, storeId: null }));
    assert.equal(declined.status, 422);
    assert.match(JSON.stringify(await declined.json()), /PO number required/);
  });
});
