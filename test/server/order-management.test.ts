/**
 * The client's order-management calls (issue 10) at the wire level, against the fake
 * Ledyer: the path and verb of each, the body it sends, the Idempotency-Key, what it makes
 * of the answer, and every refusal before anything is sent.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { afterEach, describe, test } from 'node:test';
import {
  LedyerApiError,
  LedyerValidationError,
  NothingToCaptureError,
  type LedyerClientOptions,
  type Order,
} from '../../src/server/index.js';
import { seedOrderResponse } from '../shared/seeds.js';
import { clientOf, rejection, startFakeLedyer, type FakeLedyer, type FakeLedyerOptions, type Recorded } from './fake-ledyer.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let fake: FakeLedyer | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: FakeLedyerOptions = {}, client: Partial<LedyerClientOptions> = {}) {
  fake = await startFakeLedyer(options);
  return { fake, ledyer: clientOf(fake, { sleep: async () => undefined, ...client }) };
}

async function refusedBeforeSending(fake: FakeLedyer, promise: Promise<unknown>, path: string, message?: RegExp): Promise<void> {
  const error = await rejection(promise);
  assert.ok(error instanceof LedyerValidationError, `expected LedyerValidationError, got ${inspect(error)}`);
  assert.ok(
    error.issues.some((issue) => issue.path.join('.') === path && (!message || message.test(issue.message))),
    `no issue at ${path}: ${inspect(error.issues)}`,
  );
  assert.equal(fake.tokenRequests.length + fake.apiRequests.length, 0, 'nothing was sent');
}

const seedOrder = () => seedOrderResponse() as unknown as Order;
const line = (request: Recorded | undefined) => `${request?.method} ${request?.path}`;

/** The seed's remaining lines, as a capture body names them. */
const machine = { type: 'physical' as const, reference: '111-222-333', description: 'Coffee Machine X200', quantity: 9, unitPrice: 50000, vat: 2500, totalAmount: 450000, totalVatAmount: 90000 };
const shipping = { type: 'shippingFee' as const, reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500, totalAmount: 10000, totalVatAmount: 2000 };

function capturedOrder(): Order {
  const order = seedOrder();
  const uncaptured = order.uncaptured!;
  return { ...order, status: ['fullyCaptured'], captured: [{ ...uncaptured, ledgerId: 'in_captured1', status: [] }], uncaptured: null };
}

describe('acknowledgeOrder', () => {
  test('POSTs .../acknowledge with an Idempotency-Key and no body; a 201 with no body is done', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 201 }) });
    assert.equal(await ledyer.acknowledgeOrder('or_1'), undefined);
    const [sent] = fake.apiRequests;
    assert.equal(line(sent), 'POST /v1/orders/or_1/acknowledge');
    assert.match(String(sent?.headers['idempotency-key']), UUID_V4);
    assert.equal(sent?.body, '');
    assert.equal(sent?.headers['content-type'], undefined);
  });

  test('a 200 with the order entity, or any other body, is done too', async () => {
    const { ledyer } = await setup({ api: (_, n) => (n === 0 ? { status: 200, json: seedOrderResponse() } : { status: 204, raw: '' }) });
    assert.equal(await ledyer.acknowledgeOrder('or_1'), undefined);
    assert.equal(await ledyer.acknowledgeOrder('or_1'), undefined);
  });

  test("Ledyer's refusal is a LedyerApiError with its message; a bad orderId is refused before sending", async () => {
    const { ledyer } = await setup({ api: () => ({ status: 404, json: { errors: [{ message: 'order not found' }] } }) });
    const error = await rejection(ledyer.acknowledgeOrder('or_gone'));
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.code, 'ledyer_rejected');
    assert.match(error.message, /POST \/v1\/orders\/or_gone\/acknowledge: Ledyer answered 404: order not found/);
    await fake!.close();
    const fresh = await setup();
    await refusedBeforeSending(fresh.fake, fresh.ledyer.acknowledgeOrder('..'), 'orderId');
  });
});

describe('setOrderReference', () => {
  test('POSTs { reference } to .../reference with an Idempotency-Key; the answer body is ignored', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: seedOrderResponse() }) });
    assert.equal(await ledyer.setOrderReference('or_1', 'SHOP-100042', { idempotencyKey: 'ref-or_1' }), undefined);
    const [sent] = fake.apiRequests;
    assert.equal(line(sent), 'POST /v1/orders/or_1/reference');
    assert.equal(sent?.headers['idempotency-key'], 'ref-or_1');
    assert.equal(sent?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(sent!.body), { reference: 'SHOP-100042' });
  });

  test('a reference of 50 characters passes; 51, empty or not a string is refused naming `reference`', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: {} }) });
    await ledyer.setOrderReference('or_1', 'x'.repeat(50));
    assert.equal(fake.apiRequests.length, 1);
    await fake.close();
    for (const [reference, message] of [['x'.repeat(51), /at most 50 characters/], ['', /must not be empty/], [42, /must be a string/]] as const) {
      const fresh = await setup();
      await refusedBeforeSending(fresh.fake, fresh.ledyer.setOrderReference('or_1', reference as string), 'reference', message);
      await fresh.fake.close();
    }
  });
});

describe('captureOrder', () => {
  test('without a body: reads the order, sends its remaining uncaptured lines (ids kept) and their total, answers the order', async () => {
    const answer = capturedOrder();
    const { fake, ledyer } = await setup({ api: (request) => ({ status: 200, json: request.method === 'GET' ? seedOrderResponse() : answer }) });
    const order = await ledyer.captureOrder('or_1', undefined, { idempotencyKey: 'capture-or_1' });
    assert.equal(order.captured[0]?.ledgerId, 'in_captured1');
    assert.deepEqual(fake.apiRequests.map(line), ['GET /v1/orders/or_1', 'POST /v1/orders/or_1/capture']);
    const [get, post] = fake.apiRequests;
    assert.equal(get?.headers['idempotency-key'], undefined);
    assert.equal(post?.headers['idempotency-key'], 'capture-or_1');
    assert.deepEqual(JSON.parse(post!.body), {
      orderLines: [
        { id: 'ol_274BCHVWsZhUyROkVCzMJf7iz5V', ...machine },
        { id: 'ol_274BCKxRHZHzzRPADiBH9txmmO2', ...shipping },
      ],
      totalCaptureAmount: 460000,
    });
  });

  test('a remaining line with a unit discount is sent with its unitDiscountAmount', async () => {
    const order = seedOrder();
    const discounted = { ...order.uncaptured!.orderLines[0]!, unitDiscountAmount: 5000, totalAmount: 405000, totalVatAmount: 81000 };
    order.uncaptured = { ...order.uncaptured!, orderLines: [discounted] };
    const { fake, ledyer } = await setup({ api: (request) => ({ status: 200, json: request.method === 'GET' ? order : capturedOrder() }) });
    await ledyer.captureOrder('or_1');
    const sent = JSON.parse(fake.apiRequests[1]!.body) as { orderLines: Array<Record<string, unknown>>; totalCaptureAmount: number };
    assert.equal(sent.orderLines[0]?.['unitDiscountAmount'], 5000);
    assert.equal(sent.totalCaptureAmount, 405000);
  });

  test('nothing left to capture is a NothingToCaptureError naming the status, and no capture is sent', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: capturedOrder() }) });
    const error = await rejection(ledyer.captureOrder('or_1'));
    assert.ok(error instanceof NothingToCaptureError, inspect(error));
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.code, 'nothing_to_capture');
    assert.equal(error.retryable, false);
    assert.deepEqual(error.orderStatus, ['fullyCaptured']);
    assert.match(error.message, /order or_1 has nothing left to capture \(status: fullyCaptured\)/);
    assert.deepEqual(fake.apiRequests.map(line), ['GET /v1/orders/or_1']);
  });

  test('an uncaptured chunk with no lines left is nothing to capture too', async () => {
    const order = seedOrder();
    order.status = ['cancelled'];
    order.uncaptured = { ...order.uncaptured!, orderLines: [] };
    const { ledyer } = await setup({ api: () => ({ status: 200, json: order }) });
    const error = await rejection(ledyer.captureOrder('or_1'));
    assert.ok(error instanceof NothingToCaptureError);
    assert.match(error.message, /status: cancelled/);
  });

  test("with a body: sends it as it is (no read first); a capture's 503 is retried with the same key", async () => {
    const { fake, ledyer } = await setup({ api: (_, n) => (n === 0 ? { status: 503 } : { status: 200, json: capturedOrder() }) });
    const body = { orderLines: [{ id: 'ol_1', ...machine }], totalCaptureAmount: 450000 };
    await ledyer.captureOrder('or_1', body);
    assert.deepEqual(fake.apiRequests.map(line), ['POST /v1/orders/or_1/capture', 'POST /v1/orders/or_1/capture']);
    assert.deepEqual(JSON.parse(fake.apiRequests[1]!.body), body);
    const [first, second] = fake.apiRequests.map((request) => request.headers['idempotency-key']);
    assert.match(String(first), UUID_V4);
    assert.equal(second, first);
  });

  test('a body whose total disagrees with its lines, or a bad key, is refused before anything is sent (no read either)', async () => {
    const { fake, ledyer } = await setup();
    await refusedBeforeSending(fake, ledyer.captureOrder('or_1', { orderLines: [machine], totalCaptureAmount: 460000 }), 'totalCaptureAmount', /= 450000, got 460000/);
    await refusedBeforeSending(fake, ledyer.captureOrder('or_1', undefined, { idempotencyKey: 'bad key' }), 'idempotencyKey');
    await refusedBeforeSending(fake, ledyer.captureOrder('', undefined), 'orderId');
  });

  test('an answer that is not the order entity is invalid_response, warning that the capture may have been applied', async () => {
    const { ledyer } = await setup({ api: () => ({ status: 200, json: { ledgerId: 'in_1', totalCaptureAmount: 450000 } }) });
    const error = await rejection(ledyer.captureOrder('or_1', { orderLines: [machine], totalCaptureAmount: 450000 }));
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /same idempotencyKey/);
  });
});

describe('partialCaptureOrder', () => {
  test('POSTs { orderLines, totalCaptureAmount } to .../partialcapture and answers the order', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: seedOrderResponse() }) });
    const body = { orderLines: [{ ...machine, quantity: 4, totalAmount: 200000, totalVatAmount: 40000 }], totalCaptureAmount: 200000 };
    const order = await ledyer.partialCaptureOrder('or_1', body, { idempotencyKey: 'ship-1' });
    assert.equal(order.id, 'or_24w4p5pJogDfyMevIEddZLqyXMG');
    assert.equal(line(fake.apiRequests[0]), 'POST /v1/orders/or_1/partialcapture');
    assert.equal(fake.apiRequests[0]?.headers['idempotency-key'], 'ship-1');
    assert.deepEqual(JSON.parse(fake.apiRequests[0]!.body), body);
  });

  test('a line with quantity 0, an unknown field, or no lines at all is refused naming the field', async () => {
    const { fake, ledyer } = await setup();
    await refusedBeforeSending(fake, ledyer.partialCaptureOrder('or_1', { orderLines: [{ ...machine, quantity: 0 }], totalCaptureAmount: 450000 }), 'orderLines.0.quantity');
    await refusedBeforeSending(fake, ledyer.partialCaptureOrder('or_1', { orderLines: [{ ...machine, price: 1 } as never], totalCaptureAmount: 450000 }), 'orderLines.0');
    await refusedBeforeSending(fake, ledyer.partialCaptureOrder('or_1', { orderLines: [], totalCaptureAmount: 0 }), 'orderLines', /at least one line/);
  });
});

describe('refundOrder and partialRefundOrder', () => {
  test('refundOrder POSTs .../refund/{ledgerId} with no body; whatever 2xx body comes back is ignored', async () => {
    const { fake, ledyer } = await setup({ api: (_, n) => (n === 0 ? { status: 200, json: { anything: true } } : { status: 201, raw: 'not json' }) });
    assert.equal(await ledyer.refundOrder('or_1', 'in_captured1', { idempotencyKey: 'refund-1' }), undefined);
    assert.equal(await ledyer.refundOrder('or_1', 'in_captured1'), undefined);
    const [sent] = fake.apiRequests;
    assert.equal(line(sent), 'POST /v1/orders/or_1/refund/in_captured1');
    assert.equal(sent?.headers['idempotency-key'], 'refund-1');
    assert.equal(sent?.body, '');
  });

  test('partialRefundOrder POSTs { orderLines, totalRefundAmount } (positive amounts) to .../partialrefund/{ledgerId}', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: {} }) });
    const body = { orderLines: [{ id: 'ol_1', ...machine, quantity: 1, totalAmount: 50000, totalVatAmount: 10000 }], totalRefundAmount: 50000 };
    await ledyer.partialRefundOrder('or_1', 'in_captured1', body);
    const [sent] = fake.apiRequests;
    assert.equal(line(sent), 'POST /v1/orders/or_1/partialrefund/in_captured1');
    assert.match(String(sent?.headers['idempotency-key']), UUID_V4);
    assert.deepEqual(JSON.parse(sent!.body), body);
  });

  test('a ledgerId with URL characters is escaped into one path segment', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200 }) });
    await ledyer.refundOrder('or_1', 'in/1?x');
    assert.equal(fake.apiRequests[0]?.path, '/v1/orders/or_1/refund/in%2F1%3Fx');
  });

  test('a bad ledgerId is refused naming `ledgerId`; a negative or mismatched refund names its field', async () => {
    const { fake, ledyer } = await setup();
    for (const ledgerId of ['', '..', 'x'.repeat(201)]) {
      await refusedBeforeSending(fake, ledyer.refundOrder('or_1', ledgerId), 'ledgerId');
      await refusedBeforeSending(fake, ledyer.partialRefundOrder('or_1', ledgerId, { orderLines: [machine], totalRefundAmount: 450000 }), 'ledgerId');
    }
    await refusedBeforeSending(
      fake,
      ledyer.partialRefundOrder('or_1', 'in_1', { orderLines: [{ ...machine, quantity: 1, totalAmount: -50000, totalVatAmount: -10000 }], totalRefundAmount: 50000 }),
      'orderLines.0.totalAmount',
      /positive/,
    );
    await refusedBeforeSending(fake, ledyer.partialRefundOrder('or_1', 'in_1', { orderLines: [machine], totalRefundAmount: 1 }), 'totalRefundAmount', /= 450000, got 1/);
  });

  test("Ledyer's over-refund refusal reaches the caller with its message, not retried", async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 400, json: { errors: [{ message: 'refund exceeds what remains of ledger in_1: 10000' }] } }) });
    const error = await rejection(ledyer.partialRefundOrder('or_1', 'in_1', { orderLines: [machine], totalRefundAmount: 450000 }));
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.retryable, false);
    assert.match(error.message, /exceeds what remains/);
    assert.equal(fake.apiRequests.length, 1);
  });
});

describe('cancelOrder and extendOrderExpiry', () => {
  test('cancel is DELETE v1/orders/{id}; extend expiry is POST .../extendexpiry; both with a key, no body, any 2xx done', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: seedOrderResponse() }) });
    assert.equal(await ledyer.cancelOrder('or_1'), undefined);
    assert.equal(await ledyer.extendOrderExpiry('or_1', { idempotencyKey: 'extend-1' }), undefined);
    assert.deepEqual(fake.apiRequests.map(line), ['DELETE /v1/orders/or_1', 'POST /v1/orders/or_1/extendexpiry']);
    assert.match(String(fake.apiRequests[0]?.headers['idempotency-key']), UUID_V4);
    assert.equal(fake.apiRequests[1]?.headers['idempotency-key'], 'extend-1');
    assert.ok(fake.apiRequests.every((request) => request.body === ''));
  });

  test('a 409 (already captured) is a non-retryable refusal; a bad orderId is refused before sending', async () => {
    const { ledyer } = await setup({ api: () => ({ status: 409, json: { errors: [{ message: 'the order is fully captured: cancel is not available' }] } }) });
    const error = await rejection(ledyer.cancelOrder('or_1'));
    assert.ok(error instanceof LedyerApiError);
    assert.equal(error.status, 409);
    assert.equal(error.retryable, false);
    await fake!.close();
    const fresh = await setup();
    await refusedBeforeSending(fresh.fake, fresh.ledyer.extendOrderExpiry('x'.repeat(201)), 'orderId', /at most 200/);
  });
});

describe('updateSession', () => {
  test('sends a totals-only update as it is (the update schema, not the create one)', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: { sessionId: 'cs_1', orderId: 'or_1' } }) });
    const totals = { totalOrderAmount: 510000, totalOrderVatAmount: 102000, totalOrderAmountExclVat: 408000 };
    assert.deepEqual(await ledyer.updateSession('or_1', totals), { sessionId: 'cs_1', orderId: 'or_1' });
    assert.equal(line(fake.apiRequests[0]), 'POST /v1/sessions/or_1');
    assert.deepEqual(JSON.parse(fake.apiRequests[0]!.body), totals);
  });

  test('an update without its totals is refused naming the missing total', async () => {
    const { fake, ledyer } = await setup();
    await refusedBeforeSending(fake, ledyer.updateSession('or_1', { totalOrderAmount: 1, totalOrderAmountExclVat: 1 } as never), 'totalOrderVatAmount');
  });
});
