/**
 * Issue 11.6, from the merchant's side: the sandbox applies a write and then loses its
 * answer (`lose-answer` fault), the client sees a dropped connection and retries with the
 * same Idempotency-Key. Ledyer's state must show the write exactly once: one session, one
 * edit, one capture, one refund. The twin: the same fault without a key to replay (a
 * caller that starts a fresh call) does the write twice, so these tests can fail.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { createLedyerClient, type CreateSessionRequestInput, type LedyerClient } from '../../src/server/index.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';

let sandbox: RunningSandbox;
let client: LedyerClient;
const attempts: Array<{ method: string; path: string; key: string | null }> = [];

before(async () => {
  sandbox = await startSandbox({ port: 0 });
});
after(() => sandbox.close());

beforeEach(async () => {
  await control('POST', '/sandbox/reset');
  attempts.length = 0;
  client = createLedyerClient({
    ...sandbox.credentials,
    environment: 'sandbox',
    baseUrls: { api: sandbox.url, auth: sandbox.url },
    timeoutMs: 2000,
    sleep: async () => undefined,
    fetch: (input, init) => {
      const request = new Request(input, init);
      attempts.push({ method: request.method, path: new URL(request.url).pathname, key: request.headers.get('idempotency-key') });
      return fetch(request);
    },
  });
});

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.status < 300, `${method} ${path} answered ${response.status}`);
  return response.json();
}

const loseNextAnswer = (path: string, method = 'POST') => control('POST', '/sandbox/faults', { path, method, count: 1, kind: 'lose-answer' });
const sessionCount = async (): Promise<number> => (await control('GET', '/sandbox/usage')).sessions as number;
const seedSession = () => seedCreateSessionRequest() as unknown as CreateSessionRequestInput;

async function boughtOrder(): Promise<string> {
  const { orderId } = await client.createSession(seedSession());
  await control('POST', `/sandbox/sessions/${orderId}/complete`);
  return orderId;
}

/** Both POSTs of the write carried the same key, and there were exactly two. */
function assertRetriedWithSameKey(path: string): void {
  const writes = attempts.filter((attempt) => attempt.method === 'POST' && attempt.path === path);
  assert.equal(writes.length, 2, `expected the write and one retry of ${path}, saw ${writes.length}`);
  assert.ok(writes[0]?.key, 'the write carried an Idempotency-Key');
  assert.equal(writes[1]?.key, writes[0]?.key, 'the retry carried the same key');
}

test('create session: the answer is lost, the retry replays it: one session, and the caller gets its ids', async () => {
  await loseNextAnswer('/v1/sessions');
  const created = await client.createSession(seedSession());
  assertRetriedWithSameKey('/v1/sessions');
  assert.equal(await sessionCount(), 1);
  const session = await client.getSession(created.orderId);
  assert.equal(session.id, created.sessionId);
});

test('twin: a caller who starts a new call after the lost answer (a new key) makes a second session', async () => {
  await loseNextAnswer('/v1/sessions');
  const noRetry = createLedyerClient({ ...sandbox.credentials, environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url }, retries: 0 });
  await assert.rejects(noRetry.createSession(seedSession()), { code: 'network_error' });
  await noRetry.createSession(seedSession());
  assert.equal(await sessionCount(), 2);
});

test('edit order: one edit event after a lost answer and the retry', async () => {
  const orderId = await boughtOrder();
  const order = await client.getOrder(orderId);
  const lines = order.uncaptured!.orderLines.map(({ id: _id, ...line }) => line);
  const machines = { ...lines[0]!, quantity: 9, totalAmount: 450000, totalVatAmount: 90000 };
  await loseNextAnswer(`/v1/orders/${orderId}`);
  const edited = await client.editOrder(orderId, {
    orderLines: [machines, lines[1]!] as never,
    totalOrderAmount: 460000,
    totalOrderVatAmount: 92000,
    totalOrderAmountExclVat: 368000,
  });
  assertRetriedWithSameKey(`/v1/orders/${orderId}`);
  assert.equal(edited.events.filter((event) => event.type === 'edit').length, 1);
  assert.equal(edited.orderAmount.minorUnits, 460000);
});

test('capture: one captured ledger after a lost answer and the retry', async () => {
  const orderId = await boughtOrder();
  await loseNextAnswer(`/v1/orders/${orderId}/capture`);
  const captured = await client.captureOrder(orderId);
  assertRetriedWithSameKey(`/v1/orders/${orderId}/capture`);
  assert.equal(captured.captured.length, 1);
  assert.equal(captured.capturedAmount.minorUnits, 510000);
  assert.equal((await client.getOrder(orderId)).captured.length, 1);
});

test('partial refund: refunded once after a lost answer and the retry', async () => {
  const orderId = await boughtOrder();
  const captured = await client.captureOrder(orderId);
  const ledger = captured.captured[0]!;
  const shipping = ledger.orderLines.find((line) => line.type === 'shippingFee')!;
  const path = `/v1/orders/${orderId}/partialrefund/${ledger.ledgerId}`;
  await loseNextAnswer(path);
  await client.partialRefundOrder(orderId, ledger.ledgerId, {
    orderLines: [{ type: 'shippingFee', reference: shipping.reference, description: shipping.description, quantity: 1, vat: 2500, totalAmount: 10000, totalVatAmount: 2000 }],
    totalRefundAmount: 10000,
  });
  assertRetriedWithSameKey(path);
  const after = await client.getOrder(orderId);
  assert.equal(after.refundedAmount.minorUnits, 10000, 'refunded once, not twice');
  assert.equal(after.refunded.length, 1);
});
