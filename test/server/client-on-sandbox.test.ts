/**
 * The server helper against the real sandbox over loopback: the calls a merchant makes,
 * end to end, with Ledyer's wire formats on both sides. Faults are injected through the
 * sandbox's control API, so retries and idempotency are seen from the outside.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { createLedyerClient, buildOrder, LedyerApiError, LedyerValidationError, type LedyerClient, type CreateSessionRequestInput } from '../../src/server/index.js';
import { seedCreateSessionRequest, seedEditOrderRequest, seedOrderResponse } from '../shared/seeds.js';

let sandbox: RunningSandbox;
let client: LedyerClient;
const requests: Array<{ url: string; method: string; idempotencyKey: string | null }> = [];

before(async () => {
  sandbox = await startSandbox({ port: 0 });
});
after(() => sandbox.close());

beforeEach(async () => {
  await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST' });
  requests.length = 0;
  client = createLedyerClient({
    ...sandbox.credentials,
    environment: 'sandbox',
    baseUrls: { api: sandbox.url, auth: sandbox.url },
    retryDelayMs: 5,
    timeoutMs: 2000,
    fetch: (input, init) => {
      const request = new Request(input, init);
      requests.push({ url: new URL(request.url).pathname, method: request.method, idempotencyKey: request.headers.get('idempotency-key') });
      return fetch(request);
    },
  });
});

async function armFault(fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  assert.equal(response.status < 300, true, `arming the fault failed: ${response.status}`);
}

async function completePurchase(orderId: string): Promise<void> {
  const response = await fetch(`${sandbox.url}/sandbox/sessions/${orderId}/complete`, { method: 'POST' });
  assert.equal(response.status, 200);
}

const seedSession = () => seedCreateSessionRequest() as unknown as CreateSessionRequestInput;

test('the seed round trip: create the seed session, buy it, edit it to the seed response', async () => {
  const session = await client.createSession(seedSession());
  assert.match(session.orderId, /^or_/);
  await completePurchase(session.orderId);
  const edit = { ...seedEditOrderRequest(), totalOrderAmount: 460000, totalOrderVatAmount: 92000, totalOrderAmountExclVat: 368000 };
  const order = await client.editOrder(session.orderId, edit as never, { idempotencyKey: 'da7ca8f9-915b-472b-b5f0-81945bff9e4a' });
  const seed = seedOrderResponse() as { orderAmount: unknown; uncaptured: { totalOrderAmount: unknown; totalOrderVatAmount: unknown; totalOrderAmountExclVat: unknown }; events: Array<{ type: string; amount: unknown }> };
  assert.deepEqual(order.orderAmount, seed.orderAmount);
  assert.deepEqual(order.uncaptured?.totalOrderAmount, seed.uncaptured.totalOrderAmount);
  assert.deepEqual(order.uncaptured?.totalOrderVatAmount, seed.uncaptured.totalOrderVatAmount);
  assert.deepEqual(order.uncaptured?.totalOrderAmountExclVat, seed.uncaptured.totalOrderAmountExclVat);
  assert.deepEqual(order.events.map((event) => [event.type, event.amount]), seed.events.map((event) => [event.type, event.amount]));
});

test('the verbatim seed edit request never leaves the server: its totals contradict its lines', async () => {
  const session = await client.createSession(seedSession());
  await completePurchase(session.orderId);
  const sentBefore = requests.length;
  await assert.rejects(client.editOrder(session.orderId, seedEditOrderRequest() as never), (error: unknown) => {
    assert.ok(error instanceof LedyerValidationError);
    assert.ok(error.issues.some((issue) => issue.path.join('.') === 'totalOrderAmount'), JSON.stringify(error.issues));
    return true;
  });
  assert.equal(requests.length, sentBefore, 'nothing was sent');
});

test('a 503 on create session is retried with the same Idempotency-Key and creates one session', async () => {
  await armFault({ path: '/v1/sessions', method: 'POST', count: 2, kind: 'status', status: 503 });
  const session = await client.createSession(seedSession());
  const creates = requests.filter((request) => request.url === '/v1/sessions' && request.method === 'POST');
  assert.equal(creates.length, 3);
  assert.equal(new Set(creates.map((request) => request.idempotencyKey)).size, 1);
  assert.match(creates[0]?.idempotencyKey ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const fetched = await client.getSession(session.orderId);
  assert.equal(fetched.orderId, session.orderId);
});

test('a dropped connection on edit is retried with the same key and edits once', async () => {
  const session = await client.createSession(seedSession());
  await completePurchase(session.orderId);
  await armFault({ path: `/v1/orders/${session.orderId}`, method: 'POST', count: 1, kind: 'drop' });
  const order = await client.editOrder(session.orderId, buildOrder([
    { reference: '111-222-333', description: 'Coffee Machine X200', quantity: 9, unitPrice: 50000, vat: 2500 },
    { type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500 },
  ]));
  assert.equal(order.orderAmount.minorUnits, 460000);
  assert.equal(order.events.filter((event) => event.type === 'edit').length, 1);
});

test('an edit that times out while the sandbox still does it is retried, and the order is edited once', async () => {
  const session = await client.createSession(seedSession());
  await completePurchase(session.orderId);
  const impatient = createLedyerClient({ ...sandbox.credentials, environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url }, retryDelayMs: 5, timeoutMs: 150 });
  // The first attempt is held past the client's timeout; the sandbox carries it out later.
  await armFault({ path: `/v1/orders/${session.orderId}`, method: 'POST', count: 1, kind: 'delay', ms: 400 });
  const order = await impatient.editOrder(session.orderId, buildOrder([
    { reference: '111-222-333', description: 'Coffee Machine X200', quantity: 8, unitPrice: 50000, vat: 2500 },
  ]));
  assert.equal(order.orderAmount.minorUnits, 400000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const settled = await client.getOrder(session.orderId);
  assert.equal(settled.events.filter((event) => event.type === 'edit').length, 1, 'the held attempt and the retry made one edit');
  assert.equal(settled.orderAmount.minorUnits, 400000);
});

test('a 400 from the sandbox is not retried and arrives as LedyerApiError with Ledyer\'s errors', async () => {
  const session = await client.createSession(seedSession());
  await completePurchase(session.orderId);
  await client.cancelOrder(session.orderId);
  const before = requests.length;
  await assert.rejects(client.editOrder(session.orderId, buildOrder([{ reference: 'a', description: 'A', quantity: 1, unitPrice: 100, vat: 2500 }])), (error: unknown) => {
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.retryable, false);
    assert.ok(error.status !== undefined && error.status >= 400 && error.status < 500, `status ${error.status}`);
    assert.ok(error.errors.length > 0 && error.errors.every((detail) => typeof detail.message === 'string'));
    return true;
  });
  assert.equal(requests.length - before, 1, 'one attempt only');
});

test('an unknown order is a 404 LedyerApiError that leaks no credentials', async () => {
  await assert.rejects(client.getOrder('or_doesNotExist00000000000000'), (error: unknown) => {
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.status, 404);
    const shown = JSON.stringify(error) + String(error) + (error.stack ?? '');
    assert.ok(!shown.includes(sandbox.credentials.clientSecret));
    return true;
  });
});

test('200 concurrent calls on a cold client ask the sandbox for one token', async () => {
  await Promise.all(Array.from({ length: 200 }, () => client.getPaymentStatus('or_doesNotExist00000000000000').catch(() => undefined)));
  assert.equal(requests.filter((request) => request.url === '/oauth/token').length, 1);
});

test('wrong credentials are refused by the sandbox without echoing the secret', async () => {
  const wrong = createLedyerClient({ clientId: sandbox.credentials.clientId, clientSecret: 'not-the-secret-42', environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url }, retryDelayMs: 5 });
  await assert.rejects(wrong.createSession(seedSession()), (error: unknown) => {
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.status, 401);
    assert.ok(!(JSON.stringify(error) + String(error)).includes('not-the-secret-42'));
    return true;
  });
});

test('after the purchase: acknowledge, set the reference, read the payment status, cancel (what the sandbox supports today)', async () => {
  const session = await client.createSession(seedSession());
  assert.equal((await client.getPaymentStatus(session.orderId)).status, 'orderInitiated');
  await completePurchase(session.orderId);
  assert.equal((await client.getPaymentStatus(session.orderId)).status, 'paymentConfirmed');
  assert.equal(await client.acknowledgeOrder(session.orderId), undefined);
  assert.equal(await client.setOrderReference(session.orderId, 'SHOP-100042'), undefined);
  const order = await client.getOrder(session.orderId);
  assert.equal(order.merchantReference, 'SHOP-100042');
  assert.deepEqual(order.events.slice(0, 2).map((event) => event.type), ['setReference', 'acknowledge']);
  const writes = requests.filter((request) => request.method === 'POST' && request.url.startsWith(`/v1/orders/${session.orderId}/`));
  assert.deepEqual(writes.map((request) => request.url.split('/').at(-1)), ['acknowledge', 'reference']);
  assert.ok(writes.every((request) => /^[0-9a-f-]{36}$/.test(request.idempotencyKey ?? '')));
  await client.cancelOrder(session.orderId);
  assert.equal((await client.getPaymentStatus(session.orderId)).status, 'orderCancelled');
});

test('a reference over 50 characters never reaches the sandbox, and the order keeps its reference', async () => {
  const session = await client.createSession(seedSession());
  await completePurchase(session.orderId);
  const before = (await client.getOrder(session.orderId)).merchantReference;
  const sent = requests.length;
  await assert.rejects(client.setOrderReference(session.orderId, 'R'.repeat(51)), (error: unknown) => {
    assert.ok(error instanceof LedyerValidationError);
    assert.deepEqual(error.issues[0]?.path, ['reference']);
    return true;
  });
  assert.equal(requests.length, sent);
  assert.equal((await client.getOrder(session.orderId)).merchantReference, before);
});

test('acknowledging an order the sandbox does not know is a 404 LedyerApiError, not retried', async () => {
  const sent = requests.length;
  await assert.rejects(client.acknowledgeOrder('or_doesNotExist00000000000000'), (error: unknown) => {
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.status, 404);
    assert.equal(error.retryable, false);
    return true;
  });
  assert.equal(requests.filter((request) => request.url.endsWith('/acknowledge')).length, 1);
  assert.ok(requests.length - sent <= 2, 'at most a token request and the one attempt');
});
