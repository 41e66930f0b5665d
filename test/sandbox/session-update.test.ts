/**
 * `POST v1/sessions/{orderId}` applied field by field (Ledyer's docs: the three totals are
 * the only required fields), with raw bodies shaped like what Ledyer's plugins send.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSessionRequestSchema, updateSessionRequestSchema } from '../../src/server/schemas.js';
import { applySessionUpdate } from '../../src/sandbox/sessions-api.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { startClient, type SandboxClient } from './helpers.js';

let client: SandboxClient;
before(async () => {
  client = await startClient();
});
after(() => client.close());

const seedTotals = { totalOrderAmount: 510000, totalOrderVatAmount: 102000, totalOrderAmountExclVat: 408000 };

/** Lines as Ledyer's WooCommerce plugin builds them from a cart: totals only, no unitPrice. */
const wooLines = [
  { reference: '111-222-333', description: 'Coffee Machine X200', quantity: 2, vat: 2500, totalAmount: 100000, totalVatAmount: 20000, type: 'physical' },
  { reference: 'flat_rate:1', description: 'Shipping', quantity: 1, vat: 2500, totalAmount: 5000, totalVatAmount: 1000, type: 'shippingFee' },
];
const wooTotals = { totalOrderAmount: 105000, totalOrderVatAmount: 21000, totalOrderAmountExclVat: 84000 };

async function newSession(): Promise<{ sessionId: string; orderId: string }> {
  const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
  assert.equal(created.status, 200);
  return created.body;
}

const read = async (orderId: string): Promise<any> => (await client.api('GET', `/v1/sessions/${orderId}`)).body;

describe('update session', () => {
  test('the three totals alone keep everything else', async () => {
    const { orderId } = await newSession();
    const before = await read(orderId);
    const answer = await client.api('POST', `/v1/sessions/${orderId}`, seedTotals);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const after = await read(orderId);
    assert.deepEqual({ ...after, updatedAt: null }, { ...before, updatedAt: null });
  });

  test("WooCommerce's update: country, currency, locale, lines without unitPrice, settings.security, totals", async () => {
    const { orderId } = await newSession();
    const body = {
      country: 'SE',
      currency: 'SEK',
      locale: 'sv-SE',
      orderLines: wooLines,
      settings: { security: { level: 300, requireClientValidation: true } },
      ...wooTotals,
    };
    const answer = await client.api('POST', `/v1/sessions/${orderId}`, body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const session = await read(orderId);
    assert.deepEqual(session.order, { orderLines: wooLines, ...wooTotals });
    assert.deepEqual(session.settings.security, { level: 300, requireClientValidation: true });
    assert.equal(session.settings.urls.terms, 'https://www.example.com/terms.html', 'the URLs are kept');
    assert.deepEqual(session.settings.customer, (seedCreateSessionRequest() as { settings: { customer: unknown } }).settings.customer);
    assert.equal(session.customer.email, 'jane.doe@example.com', 'the customer is kept');
  });

  test("null, '' and lines without unitPrice, as the plugins send them", async () => {
    const { orderId } = await newSession();
    const body = {
      customer: null,
      metadata: null,
      reference: null,
      storeId: null,
      orderLines: wooLines,
      settings: { urls: { confirmation: '', notification: null, validate: '' } },
      ...wooTotals,
    };
    const answer = await client.api('POST', `/v1/sessions/${orderId}`, body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const session = await read(orderId);
    assert.equal(session.reference, null);
    assert.equal(session.storeId, null);
    assert.deepEqual(session.metadata, {});
    assert.equal(session.customer.email, 'jane.doe@example.com', 'customer: null keeps the buyer');
    assert.equal(session.settings.urls.terms, 'https://www.example.com/terms.html');
    assert.equal(session.settings.urls.confirmation, '');
    assert.equal(session.settings.urls.notification, null);
    assert.equal(session.order.totalOrderAmount, 105000);
  });

  test('totals alone that disagree with the kept lines are 400 naming them, and nothing changes', async () => {
    const { orderId } = await newSession();
    const before = await read(orderId);
    const answer = await client.api('POST', `/v1/sessions/${orderId}`, wooTotals);
    assert.equal(answer.status, 400);
    const byPath = new Map(answer.body.errors.map((error: { path: string; message: string }) => [error.path, error.message]));
    assert.match(String(byPath.get('totalOrderAmount')), /sum of the session's kept orderLines \(this update sends none\)\[\]\.totalAmount = 510000, got 105000/);
    assert.ok(byPath.has('totalOrderVatAmount'));
    assert.deepEqual(await read(orderId), before);
  });

  test('what must still be refused: a misspelt field, a removed terms URL, a missing total', async () => {
    const { orderId } = await newSession();
    const before = await read(orderId);
    const cases: Array<[unknown, string]> = [
      [{ ...seedTotals, totalOrderAmmount: 1 }, 'totalOrderAmmount'],
      [{ ...seedTotals, settings: { urls: { terms: '' } } }, 'settings.urls.terms'],
      [{ totalOrderAmount: 510000, totalOrderVatAmount: 102000 }, 'totalOrderAmountExclVat'],
      [{ ...wooTotals, orderLines: [{ ...wooLines[0], totalVatAmount: 1 }, wooLines[1]] }, 'orderLines[0].totalVatAmount'],
    ];
    for (const [body, path] of cases) {
      const answer = await client.api('POST', `/v1/sessions/${orderId}`, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.ok(answer.body.errors.some((error: { path: string }) => error.path === path), `${path}: ${JSON.stringify(answer.body)}`);
    }
    assert.deepEqual(await read(orderId), before);
  });

  for (const [state, control] of [
    ['completed', 'complete'],
    ['pending', 'pending'],
    ['expired', 'expire'],
  ] as const) {
    test(`an update of a ${state} session is 409 and the session is unchanged`, async () => {
      const { sessionId, orderId } = await newSession();
      assert.equal((await client.control('POST', `/sessions/${sessionId}/${control}`)).status, 200);
      const before = await read(orderId);
      const answer = await client.api('POST', `/v1/sessions/${orderId}`, { orderLines: wooLines, ...wooTotals });
      assert.equal(answer.status, 409);
      assert.match(answer.body.errors[0].message, state === 'expired' ? /expired: create a new session/ : new RegExp(`the session is ${state === 'completed' ? 'complete' : 'pending'}`));
      assert.deepEqual(await read(orderId), before);
    });
  }

  test('an unknown session is 404', async () => {
    assert.equal((await client.api('POST', '/v1/sessions/or_unknown', seedTotals)).status, 404);
  });
});

describe('applySessionUpdate', () => {
  const current = createSessionRequestSchema.parse(seedCreateSessionRequest());

  test('settings merge one level deep: one customer flag keeps the others', () => {
    const update = updateSessionRequestSchema.parse({ ...seedTotals, settings: { customer: { showNameFields: true } } });
    const next = applySessionUpdate(current, update);
    assert.deepEqual(next.settings.customer, { ...current.settings.customer, showNameFields: true });
    assert.deepEqual(next.settings.security, current.settings.security);
    assert.deepEqual(next.settings.urls, current.settings.urls);
  });

  test('the merged session must stand as a create body would: new lines with stale totals cannot pass', () => {
    const update = updateSessionRequestSchema.parse({ ...seedTotals });
    assert.deepEqual(applySessionUpdate(current, update).orderLines, current.orderLines);
    assert.throws(() => applySessionUpdate(current, updateSessionRequestSchema.parse({ ...wooTotals })), /totalOrderAmount/);
  });
});
