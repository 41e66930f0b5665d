/** `createLedyerClient` against a fake Ledyer on 127.0.0.1: auth, retries, timeouts, parsing, secrets. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { afterEach, describe, test } from 'node:test';
import { createLedyerClient, LedyerApiError, LedyerValidationError, type LedyerClientOptions } from '../../src/server/index.js';
import { seedCreateSessionRequest, seedOrderResponse } from '../shared/seeds.js';
import { BASIC, CLIENT_ID, CLIENT_SECRET, bearerOf, sessionCreated, clientOf, rejection, startFakeLedyer, type FakeLedyer, type FakeLedyerOptions } from './fake-ledyer.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let fake: FakeLedyer | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: FakeLedyerOptions = {}, client: Partial<LedyerClientOptions> = {}) {
  fake = await startFakeLedyer(options);
  return { fake, ledyer: clientOf(fake, { timeoutMs: 2000, ...client }) };
}

async function apiError(promise: Promise<unknown>): Promise<LedyerApiError> {
  const error = await rejection(promise);
  assert.ok(error instanceof LedyerApiError, `expected LedyerApiError, got ${inspect(error)}`);
  return error;
}

const orderReply = () => ({ status: 200, json: seedOrderResponse() });

describe('createSession', () => {
  test('sends the parsed body with a bearer token and a UUID v4 Idempotency-Key, returns the parsed answer', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: sessionCreated }) });
    const answer = await ledyer.createSession(seedCreateSessionRequest() as never);
    assert.deepEqual(answer, sessionCreated);
    const [sent] = fake.apiRequests;
    assert.equal(sent?.method, 'POST');
    assert.equal(sent?.path, '/v1/sessions');
    assert.equal(sent?.headers['content-type'], 'application/json');
    assert.match(String(sent?.headers['idempotency-key']), UUID_V4);
    assert.equal(bearerOf(sent!), fake.issued[0]);
    assert.deepEqual(JSON.parse(sent!.body), seedCreateSessionRequest());
  });

  test('an invalid body rejects with LedyerValidationError naming the path, and nothing is sent', async () => {
    const { fake, ledyer } = await setup();
    const body = { ...seedCreateSessionRequest(), totalOrderAmount: 1 };
    const error = await rejection(ledyer.createSession(body as never));
    assert.ok(error instanceof LedyerValidationError);
    assert.equal(error.code, 'invalid_input');
    assert.ok(error.issues.some((issue) => issue.path.join('.') === 'totalOrderAmount'), inspect(error.issues));
    assert.match(error.message, /totalOrderAmount: totalOrderAmount must be the sum/);
    assert.equal(fake.tokenRequests.length + fake.apiRequests.length, 0);
  });

  test('two calls get two different Idempotency-Keys; a caller key is sent as it is', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 200, json: sessionCreated }) });
    await ledyer.createSession(seedCreateSessionRequest() as never);
    await ledyer.createSession(seedCreateSessionRequest() as never, { idempotencyKey: 'cart-42-v1' });
    const [first, second] = fake.apiRequests.map((request) => request.headers['idempotency-key']);
    assert.notEqual(first, second);
    assert.equal(second, 'cart-42-v1');
  });

  test('an idempotencyKey that cannot be a header value is refused before sending', async () => {
    const { fake, ledyer } = await setup();
    const error = await rejection(ledyer.createSession(seedCreateSessionRequest() as never, { idempotencyKey: 'a b\r\nx: y' }));
    assert.ok(error instanceof LedyerValidationError);
    assert.deepEqual(error.issues[0]?.path, ['idempotencyKey']);
    assert.equal(fake.tokenRequests.length + fake.apiRequests.length, 0);
  });
});

describe('OAuth token', () => {
  test('the token request uses Basic credentials and the client_credentials form', async () => {
    const { fake, ledyer } = await setup({ api: orderReply });
    await ledyer.getOrder('or_1');
    const [tokenRequest] = fake.tokenRequests;
    assert.equal(tokenRequest?.method, 'POST');
    assert.equal(tokenRequest?.headers.authorization, `Basic ${BASIC}`);
    assert.equal(tokenRequest?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(tokenRequest?.body, 'grant_type=client_credentials');
  });

  test('refused credentials reject with code unauthorized and no API call is made', async () => {
    const { fake, ledyer } = await setup({ api: orderReply }, { clientSecret: 'wrong-secret' });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.equal(fake.apiRequests.length, 0);
  });

  test('200 concurrent calls on a cold client make exactly one token request', async () => {
    // A generous timeout: on a loaded machine a 2 s attempt may time out and be retried, which is not what this counts.
    const { fake, ledyer } = await setup({ api: orderReply, tokenDelayMs: 50 }, { timeoutMs: 30_000 });
    const orders = await Promise.all(Array.from({ length: 200 }, () => ledyer.getOrder('or_1')));
    assert.equal(orders.length, 200);
    assert.equal(fake.tokenRequests.length, 1);
    assert.equal(fake.apiRequests.length, 200);
    assert.ok(fake.apiRequests.every((request) => bearerOf(request) === fake.issued[0]));
  });

  test('a failed token request fails every waiter once, and the next call asks again', async () => {
    const { fake, ledyer } = await setup(
      { api: orderReply, token: (request, n) => (n === 0 ? { status: 503, json: { errors: [{ message: 'down' }] } } : { status: 200, json: { access_token: `tok_${n}`, expires_in: 3600 } }) },
      { retries: 0 },
    );
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => ledyer.getOrder('or_1')));
    assert.ok(results.every((result) => result.status === 'rejected' && (result.reason as LedyerApiError).code === 'ledyer_unavailable'));
    assert.equal(fake.tokenRequests.length, 1);
    await ledyer.getOrder('or_1');
    assert.equal(fake.tokenRequests.length, 2);
  });

  test('the token is reused until shortly before it expires, then refreshed', async () => {
    let clock = 1_000_000;
    const { fake, ledyer } = await setup({ api: orderReply, expiresIn: 3600 }, { now: () => clock });
    await ledyer.getOrder('or_1');
    clock += 3_000_000; // 50 minutes: still well inside the hour
    await ledyer.getOrder('or_1');
    assert.equal(fake.tokenRequests.length, 1);
    clock += 570_000; // 59.5 minutes: inside the refresh margin
    await ledyer.getOrder('or_1');
    assert.equal(fake.tokenRequests.length, 2);
    assert.equal(bearerOf(fake.apiRequests[2]!), fake.issued[1]);
  });

  test('a 401 refreshes the token once and retries with the new one', async () => {
    const { fake, ledyer } = await setup({ api: (request) => (bearerOf(request) === fake!.issued[0] ? { status: 401, json: { errors: [{ message: 'token revoked' }] } } : orderReply()) });
    const order = await ledyer.getOrder('or_1');
    assert.equal(order.id, 'or_24w4p5pJogDfyMevIEddZLqyXMG');
    assert.equal(fake.tokenRequests.length, 2);
    assert.deepEqual(fake.apiRequests.map(bearerOf), fake.issued);
  });

  test('a second 401 in a row is an unauthorized error, not a loop', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 401, json: { errors: [{ message: 'no access' }] } }) });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.status, 401);
    assert.equal(fake.tokenRequests.length, 2);
    assert.equal(fake.apiRequests.length, 2);
  });

  test('concurrent 401s on the same token cause one refresh, not one each', async () => {
    const { fake, ledyer } = await setup({ api: (request) => (bearerOf(request) === fake!.issued[0] ? { status: 401 } : orderReply()), tokenDelayMs: 20 });
    await Promise.all(Array.from({ length: 50 }, () => ledyer.getOrder('or_1')));
    assert.equal(fake.tokenRequests.length, 2);
  });
});

describe('retries', () => {
  test('a write is retried on 503 with the same Idempotency-Key until it succeeds', async () => {
    const { fake, ledyer } = await setup({ api: (_, n) => (n < 2 ? { status: 503, json: { errors: [{ message: 'busy' }] } } : orderReply()) });
    await ledyer.editOrder('or_1', editBody(), { idempotencyKey: 'edit-or_1-1' });
    assert.equal(fake.apiRequests.length, 3);
    assert.deepEqual(
      fake.apiRequests.map((request) => request.headers['idempotency-key']),
      ['edit-or_1-1', 'edit-or_1-1', 'edit-or_1-1'],
    );
  });

  test('a generated Idempotency-Key also stays the same across retries', async () => {
    const { fake, ledyer } = await setup({ api: (_, n) => (n < 1 ? { status: 500 } : { status: 200, json: sessionCreated }) });
    await ledyer.createSession(seedCreateSessionRequest() as never);
    const [first, second] = fake.apiRequests.map((request) => request.headers['idempotency-key']);
    assert.match(String(first), UUID_V4);
    assert.equal(second, first);
  });

  test('5xx on every attempt rejects with ledyer_unavailable after retries + 1 attempts, with Ledyer errors[]', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 503, json: { errors: [{ message: 'maintenance', code: 'x' }] } }) }, { retries: 2 });
    const error = await apiError(ledyer.editOrder('or_1', editBody()));
    assert.equal(error.code, 'ledyer_unavailable');
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    assert.deepEqual(error.errors, [{ message: 'maintenance', code: 'x' }]);
    assert.equal(fake.apiRequests.length, 3);
  });

  test('the waits between attempts are a jittered backoff that doubles from retryDelayMs', async () => {
    const waits: number[] = [];
    const { fake, ledyer } = await setup({ api: () => ({ status: 503 }) }, { retries: 3, retryDelayMs: 40, random: () => 0.5, sleep: async (ms) => void waits.push(ms) });
    await rejection(ledyer.getOrder('or_1'));
    assert.deepEqual(waits, [20, 40, 80]);
    assert.equal(fake.apiRequests.length, 4);
  });

  test('a 429 is retried with the same Idempotency-Key, after the wait its Retry-After asks for', async () => {
    const waits: number[] = [];
    const { fake, ledyer } = await setup(
      { api: (_, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '2' }, json: { errors: [{ message: 'slow down' }] } } : orderReply()) },
      { sleep: async (ms) => void waits.push(ms) },
    );
    const order = await ledyer.editOrder('or_1', editBody(), { idempotencyKey: 'edit-429' });
    assert.equal(order.id, 'or_24w4p5pJogDfyMevIEddZLqyXMG');
    assert.deepEqual(waits, [2000]);
    assert.deepEqual(fake.apiRequests.map((request) => request.headers['idempotency-key']), ['edit-429', 'edit-429']);
  });

  test('a Retry-After HTTP date is waited out until that moment, by the injected clock', async () => {
    const waits: number[] = [];
    const now = Date.parse('2026-11-24T10:00:00Z');
    const { ledyer } = await setup(
      { api: (_, n) => (n === 0 ? { status: 503, headers: { 'retry-after': 'Tue, 24 Nov 2026 10:00:05 GMT' } } : orderReply()) },
      { now: () => now, sleep: async (ms) => void waits.push(ms) },
    );
    await ledyer.getOrder('or_1');
    assert.deepEqual(waits, [5000]);
  });

  test('a Retry-After over maxRetryAfterMs fails at once, retryable, and says how long Ledyer asked for', async () => {
    const waits: number[] = [];
    const { fake, ledyer } = await setup(
      { api: () => ({ status: 429, headers: { 'retry-after': '120' }, json: { errors: [{ message: 'rate limited' }] } }) },
      { sleep: async (ms) => void waits.push(ms) },
    );
    const error = await apiError(ledyer.createSession(seedCreateSessionRequest() as never));
    assert.equal(error.status, 429);
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 120_000);
    assert.match(error.message, /wait 120 s \(Retry-After\), longer than maxRetryAfterMs/);
    assert.deepEqual(waits, []);
    assert.equal(fake.apiRequests.length, 1);
  });

  test('429 on every attempt ends as a retryable ledyer_rejected after retries + 1 attempts', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 429 }) }, { retries: 2, sleep: async () => undefined });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'ledyer_rejected');
    assert.equal(error.retryable, true);
    assert.match(error.message, /429 \(3 attempts\)/);
    assert.equal(fake.apiRequests.length, 3);
  });

  test('a 429 on the token request is retried too, and is not mistaken for refused credentials', async () => {
    const { fake, ledyer } = await setup(
      { api: orderReply, token: (_, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200, json: { access_token: 'tok_after_429', expires_in: 3600 } }) },
      { sleep: async () => undefined },
    );
    await ledyer.getOrder('or_1');
    assert.equal(fake.tokenRequests.length, 2);
  });

  test('a 429 on every token request is a retryable error, not "credentials refused"', async () => {
    const { ledyer } = await setup({ api: orderReply, token: () => ({ status: 429 }) }, { retries: 0 });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.notEqual(error.code, 'unauthorized');
    assert.equal(error.status, 429);
    assert.equal(error.retryable, true);
  });

  test('a dropped connection is retried with the same Idempotency-Key', async () => {
    const { fake, ledyer } = await setup({ api: (_, n) => (n === 0 ? 'drop' : orderReply()) });
    await ledyer.editOrder('or_1', editBody(), { idempotencyKey: 'k-drop' });
    assert.equal(fake.apiRequests.length, 2);
    assert.deepEqual(fake.apiRequests.map((request) => request.headers['idempotency-key']), ['k-drop', 'k-drop']);
  });

  test('a connection dropped on every attempt rejects with network_error', async () => {
    const { fake, ledyer } = await setup({ api: () => 'drop' }, { retries: 2 });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'network_error');
    assert.equal(error.status, undefined);
    assert.equal(error.retryable, true);
    assert.equal(fake.apiRequests.length, 3);
  });

  test('a 400 is not retried: ledyer_rejected with status and errors[]', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 400, json: { errors: [{ message: 'orderLines[0].vat is invalid' }] } }) });
    const error = await apiError(ledyer.editOrder('or_1', editBody()));
    assert.equal(error.code, 'ledyer_rejected');
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
    assert.deepEqual(error.errors, [{ message: 'orderLines[0].vat is invalid' }]);
    assert.match(error.message, /POST \/v1\/orders\/or_1: Ledyer answered 400: orderLines\[0\]\.vat is invalid/);
    assert.equal(fake.apiRequests.length, 1);
  });

  test('a 409 is not retried either, and a 4xx body that is not Ledyer-shaped gives empty errors[]', async () => {
    const { fake, ledyer } = await setup({ api: () => ({ status: 409, raw: '<html>conflict</html>' }) });
    const error = await apiError(ledyer.cancelOrder('or_1'));
    assert.equal(error.status, 409);
    assert.deepEqual(error.errors, []);
    assert.equal(fake.apiRequests.length, 1);
  });
});

describe('timeouts and aborts', () => {
  test('a server that never answers times out per attempt, retried, then rejects with timeout', async () => {
    const { fake, ledyer } = await setup({ api: () => 'hang' }, { timeoutMs: 1000, retries: 1 });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /no answer from Ledyer within 1000 ms \(2 attempts\)/);
    assert.equal(fake.apiRequests.length, 2);
  });

  test('a slow answer inside the timeout succeeds', async () => {
    const { ledyer } = await setup({ api: () => ({ ...orderReply(), delayMs: 30 }) }, { timeoutMs: 1000, retries: 0 });
    const order = await ledyer.getOrder('or_1');
    assert.equal(order.status[0], 'uncaptured');
  });

  test("the caller's signal aborts a request in flight, without retrying", async () => {
    // A long per-attempt timeout: only the caller's abort can end this call as `aborted`.
    const { fake, ledyer } = await setup({ api: () => 'hang' }, { timeoutMs: 20_000 });
    const controller = new AbortController();
    const pending = apiError(ledyer.getOrder('or_1', { signal: controller.signal }));
    for (let turn = 0; turn < 400 && fake.apiRequests.length === 0; turn += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await pending;
    assert.equal(error.code, 'aborted');
    assert.equal(fake.apiRequests.length, 1);
  });

  test('an already aborted signal sends nothing', async () => {
    const { fake, ledyer } = await setup({ api: orderReply });
    const error = await apiError(ledyer.getOrder('or_1', { signal: AbortSignal.abort() }));
    assert.equal(error.code, 'aborted');
    assert.equal(fake.apiRequests.length, 0);
  });

  test('aborting during the backoff stops the retries', async () => {
    const controller = new AbortController();
    // The caller gives up while the client waits to retry: the wait ends, and nothing more is sent.
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        controller.abort();
      });
    const { fake, ledyer } = await setup({ api: () => ({ status: 503 }) }, { retries: 4, sleep });
    const error = await apiError(ledyer.getOrder('or_1', { signal: controller.signal }));
    assert.equal(error.code, 'aborted');
    assert.equal(fake.apiRequests.length, 1);
  });

  test('the real wait is cancelled by the abort too (no timer left behind)', async () => {
    const controller = new AbortController();
    const { fake, ledyer } = await setup({ api: () => ({ status: 503 }) }, { retries: 1, retryDelayMs: 60_000, random: () => 0.9999 });
    const pending = apiError(ledyer.getOrder('or_1', { signal: controller.signal }));
    for (let turn = 0; turn < 400 && fake.apiRequests.length === 0; turn += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    assert.equal((await pending).code, 'aborted');
    assert.equal(fake.apiRequests.length, 1);
  });

  test('one caller aborting while waiting for the token does not fail the others', async () => {
    const { fake, ledyer } = await setup({ api: orderReply, tokenDelayMs: 100 });
    const controller = new AbortController();
    const aborted = ledyer.getOrder('or_1', { signal: controller.signal });
    const other = ledyer.getOrder('or_1');
    setTimeout(() => controller.abort(), 20);
    assert.equal((await apiError(aborted)).code, 'aborted');
    assert.equal((await other).id, 'or_24w4p5pJogDfyMevIEddZLqyXMG');
    assert.equal(fake.tokenRequests.length, 1);
  });
});

describe('responses', () => {
  test('a 200 that is not JSON is invalid_response, not a crash', async () => {
    const { ledyer } = await setup({ api: () => ({ status: 200, raw: 'Gateway says hi' }) });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'invalid_response');
    assert.equal(error.retryable, false);
    assert.match(error.message, /not JSON/);
  });

  test('a 200 missing documented fields is invalid_response naming the paths', async () => {
    const order = seedOrderResponse();
    delete order['events'];
    const { ledyer } = await setup({ api: () => ({ status: 200, json: order }) });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /at events/);
  });

  test('a malformed answer to a write warns that the write may have been applied', async () => {
    const { ledyer } = await setup({ api: () => ({ status: 200, json: { sessionId: 'cs_1' } }) });
    const error = await apiError(ledyer.createSession(seedCreateSessionRequest() as never));
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /orderId/);
    assert.match(error.message, /same idempotencyKey/);
  });

  test('extra fields in an answer are kept (Ledyer may add fields)', async () => {
    const { ledyer } = await setup({ api: () => ({ status: 200, json: { ...sessionCreated, newField: 1 } }) });
    const answer = await ledyer.createSession(seedCreateSessionRequest() as never);
    assert.equal((answer as Record<string, unknown>)['newField'], 1);
  });

  test('a token answer without expires_in is invalid_response', async () => {
    const { fake, ledyer } = await setup({ api: orderReply, token: () => ({ status: 200, json: { access_token: 'tok_incomplete' } }) });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.equal(error.code, 'invalid_response');
    assert.equal(fake.apiRequests.length, 0);
  });
});

describe('endpoints', () => {
  test('each method uses the path and verb of LEDYER.md, writes with an Idempotency-Key and reads without', async () => {
    const replies: Record<string, unknown> = {
      'GET /v1/sessions/or_1': { id: 'cs_1', orderId: 'or_1', customer: null, order: { orderLines: [] } },
      'POST /v1/sessions/or_1': { sessionId: 'cs_1', orderId: 'or_1' },
      'GET /v1/orders/or_1': seedOrderResponse(),
      'GET /v1/orders/or_1/paymentstatus': { status: 'paymentPending', note: '', paymentMethod: { provider: 'ledyer', type: 'invoice' } },
      'POST /v1/orders/or_1/capture': seedOrderResponse(),
      'DELETE /v1/orders/or_1': {},
    };
    const { fake, ledyer } = await setup({ api: (request) => ({ status: 200, json: replies[`${request.method} ${request.path}`] ?? { unexpected: true } }) });
    assert.equal((await ledyer.getSession('or_1')).id, 'cs_1');
    assert.equal((await ledyer.updateSession('or_1', seedCreateSessionRequest() as never)).sessionId, 'cs_1');
    assert.equal((await ledyer.getOrder('or_1')).orderReference, 'DXXX5HYZ');
    assert.equal((await ledyer.getPaymentStatus('or_1')).status, 'paymentPending');
    assert.equal((await ledyer.captureOrder('or_1')).id, 'or_24w4p5pJogDfyMevIEddZLqyXMG');
    assert.equal(await ledyer.cancelOrder('or_1'), undefined);
    const seen = fake.apiRequests.map((request) => `${request.method} ${request.path} ${request.headers['idempotency-key'] ? 'key' : 'no-key'}`);
    assert.deepEqual(seen, [
      'GET /v1/sessions/or_1 no-key',
      'POST /v1/sessions/or_1 key',
      'GET /v1/orders/or_1 no-key',
      'GET /v1/orders/or_1/paymentstatus no-key',
      'GET /v1/orders/or_1 no-key',
      'POST /v1/orders/or_1/capture key',
      'DELETE /v1/orders/or_1 key',
    ]);
  });

  test('an orderId that is empty or a path segment is refused before sending', async () => {
    const { fake, ledyer } = await setup();
    for (const orderId of ['', '..', 42]) {
      const error = await rejection(ledyer.getOrder(orderId as string));
      assert.ok(error instanceof LedyerValidationError);
      assert.deepEqual(error.issues[0]?.path, ['orderId']);
    }
    assert.equal(fake.apiRequests.length + fake.tokenRequests.length, 0);
  });

  test('an orderId with URL characters is escaped into one path segment', async () => {
    const { fake, ledyer } = await setup({ api: orderReply });
    await ledyer.getOrder('or/1?x=y');
    assert.equal(fake.apiRequests[0]?.path, '/v1/orders/or%2F1%3Fx%3Dy');
  });

  test('production and sandbox use the documented hosts', async () => {
    const urls: string[] = [];
    const fetchStub = async (url: string): Promise<Response> => {
      urls.push(url);
      return url.endsWith('/oauth/token')
        ? Response.json({ access_token: 'tok_stub', expires_in: 3600 })
        : Response.json(seedOrderResponse());
    };
    for (const environment of ['production', 'sandbox'] as const) {
      await createLedyerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment, fetch: fetchStub }).getOrder('or_1');
    }
    assert.deepEqual(urls, [
      'https://auth.live.ledyer.com/oauth/token',
      'https://api.live.ledyer.com/v1/orders/or_1',
      'https://auth.sandbox.ledyer.com/oauth/token',
      'https://api.sandbox.ledyer.com/v1/orders/or_1',
    ]);
  });

  test('a misconfigured client throws at once, naming the option but not its value', () => {
    assert.throws(
      () => createLedyerClient({ clientId: CLIENT_ID, clientSecret: '', environment: 'sandbox' }),
      (error: unknown) => error instanceof LedyerValidationError && error.issues[0]?.path[0] === 'clientSecret',
    );
    assert.throws(
      () => createLedyerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'live' as never }),
      (error: unknown) => error instanceof LedyerValidationError && !error.message.includes(CLIENT_SECRET) && !error.message.includes(CLIENT_ID),
    );
  });
});

describe('secrets never leak', () => {
  /** Everything a merchant's tooling could print of an error. */
  function renderings(error: unknown): string {
    const cause = (error as { cause?: unknown }).cause;
    return [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      (error as Error).stack ?? '',
      inspect(cause, { depth: 10, showHidden: true }),
      JSON.stringify(Object.entries(error as object)),
    ].join('\n');
  }

  test('no failure mode puts the client id, secret, Basic credentials or a token in an error', async () => {
    const errors: unknown[] = [];
    let tokenSeen = '';
    const echo = (request: { headers: Record<string, unknown> }) => ({
      status: 400,
      // A hostile or buggy upstream echoing credentials back must not get them into our errors.
      json: { errors: [{ message: `bad auth ${String(request.headers['authorization'])} for ${CLIENT_ID}`, detail: CLIENT_SECRET }] },
    });
    const cases: Array<[FakeLedyerOptions, Partial<LedyerClientOptions>]> = [
      [{ api: (request) => ((tokenSeen = bearerOf(request) ?? ''), echo(request)) }, {}],
      [{ token: (request) => echo(request) }, {}],
      [{ token: (request) => ({ status: 500, json: echo(request).json }) }, { retries: 0 }],
      [{ token: () => ({ status: 200, json: { access_token: 'tok_leaky_1234', expires_in: 'soon' } }) }, {}],
      [{ api: () => 'drop' }, { retries: 0 }],
      [{ api: () => 'hang' }, { retries: 0, timeoutMs: 50 }],
      [{ api: () => ({ status: 401, json: { errors: [{ message: 'revoked' }] } }) }, {}],
      [{ api: () => ({ status: 200, raw: `{"token": "${CLIENT_SECRET}"` }) }, {}],
    ];
    for (const [fakeOptions, clientOptions] of cases) {
      const { ledyer, fake: server } = await setup(fakeOptions, clientOptions);
      errors.push(await rejection(ledyer.editOrder('or_1', editBody())));
      for (const token of server.issued) assert.ok(token.length > 0);
      const issued = [...server.issued, tokenSeen, 'tok_leaky_1234'].filter(Boolean);
      const text = renderings(errors.at(-1));
      for (const secret of [CLIENT_ID, CLIENT_SECRET, BASIC, ...issued]) {
        assert.ok(!text.includes(secret), `secret ${secret} found in:\n${text}`);
      }
      await server.close();
      fake = undefined;
    }
    assert.equal(errors.length, cases.length);
  });

  test('the redacted errors still carry what a merchant needs: code, status, endpoint, Ledyer message', async () => {
    const { ledyer } = await setup({ api: (request) => ({ status: 400, json: { errors: [{ message: `token ${bearerOf(request)} lacks scope orders:write` }] } }) });
    const error = await apiError(ledyer.editOrder('or_1', editBody()));
    assert.equal(error.status, 400);
    assert.equal(error.endpoint, 'POST /v1/orders/or_1');
    assert.equal(error.errors[0]?.message, 'token [redacted] lacks scope orders:write');
    assert.match(error.message, /lacks scope orders:write/);
  });

  test('a network error keeps a redacted cause chain for debugging', async () => {
    const { ledyer } = await setup({ api: () => 'drop' }, { retries: 0 });
    const error = await apiError(ledyer.getOrder('or_1'));
    assert.ok(error.cause instanceof Error);
    assert.match(inspect(error.cause), /fetch failed|socket|closed|ECONNRESET/i);
  });
});

function editBody() {
  return {
    orderLines: [
      { type: 'physical' as const, reference: '111-222-333', description: 'Coffee Machine X200', quantity: 9, unitPrice: 50000, unitDiscountAmount: 0, vat: 2500, totalAmount: 450000, totalVatAmount: 90000 },
      { type: 'shippingFee' as const, reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, unitDiscountAmount: 0, vat: 2500, totalAmount: 10000, totalVatAmount: 2000 },
    ],
    totalOrderAmount: 460000,
    totalOrderVatAmount: 92000,
    totalOrderAmountExclVat: 368000,
  };
}
