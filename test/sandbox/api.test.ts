/** The sandbox's v1 API and OAuth against a real server on 127.0.0.1. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { orderSchema, sessionSchema } from '../../src/server/schemas.js';
import { seedCreateSessionRequest, seedEditOrderRequest, seedOrderResponse } from '../shared/seeds.js';
import { basicAuth, read, requestToken, sleep, startClient, type SandboxClient } from './helpers.js';

const idPattern = (prefix: string): RegExp => new RegExp(`^${prefix}_[0-9A-Za-z]{27}$`);

/** The seed edit's lines with the totals its own response reports (the request's are inconsistent). */
function consistentSeedEdit(): Record<string, unknown> {
  return { ...seedEditOrderRequest(), totalOrderAmount: 460000, totalOrderVatAmount: 92000, totalOrderAmountExclVat: 368000 };
}

/** A seed-shaped edit with the coffee machines at `quantity`. */
function editWithQuantity(quantity: number): Record<string, unknown> {
  const machines = quantity * 50000;
  const vat = machines / 5;
  return {
    orderLines: [
      { ...(seedEditOrderRequest()['orderLines'] as Array<Record<string, unknown>>)[0], quantity, totalAmount: machines, totalVatAmount: vat },
      (seedEditOrderRequest()['orderLines'] as Array<Record<string, unknown>>)[1],
    ],
    totalOrderAmount: machines + 10000,
    totalOrderVatAmount: vat + 2000,
    totalOrderAmountExclVat: machines + 10000 - vat - 2000,
  };
}

let client: SandboxClient;
before(async () => {
  client = await startClient();
});
after(() => client.close());

async function boughtOrder(): Promise<string> {
  const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
  assert.equal(created.status, 200);
  const completed = await client.control('POST', `/sessions/${created.body.sessionId}/complete`);
  assert.equal(completed.status, 200, JSON.stringify(completed.body));
  return created.body.orderId as string;
}

describe('OAuth', () => {
  test('the right credentials get a bearer token the API accepts', async () => {
    const answer = await requestToken(client.url, client.sandbox.credentials.clientId, client.sandbox.credentials.clientSecret);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.expires_in, 3600);
    const session = await fetch(`${client.url}/v1/sessions/or_unknown`, { headers: { authorization: `Bearer ${answer.body.access_token}` } });
    assert.equal(session.status, 404);
  });

  test('a wrong secret is 401 and the error does not echo it', async () => {
    const answer = await requestToken(client.url, client.sandbox.credentials.clientId, 'not-the-secret');
    assert.equal(answer.status, 401);
    assert.ok(answer.body.errors[0].message);
    assert.ok(!JSON.stringify(answer.body).includes('not-the-secret'));
  });

  test('grant_type in the query string with no body, as Ledyer\'s WooCommerce and OM plugins send it', async () => {
    const { clientId, clientSecret } = client.sandbox.credentials;
    const token = async (query: string, body?: string): Promise<{ status: number; body: any }> =>
      read(
        await fetch(`${client.url}/oauth/token${query}`, {
          method: 'POST',
          headers: { authorization: basicAuth(clientId, clientSecret), ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
          ...(body === undefined ? {} : { body }),
        }),
      );
    const query = await token('?grant_type=client_credentials');
    assert.equal(query.status, 200, JSON.stringify(query.body));
    const session = await fetch(`${client.url}/v1/sessions/or_unknown`, { headers: { authorization: `Bearer ${query.body.access_token}` } });
    assert.equal(session.status, 404, 'the token works');
    assert.equal((await token('?grant_type=client_credentials', 'grant_type=client_credentials')).status, 200, 'the same value in both places');
    const conflicting = await token('?grant_type=password', 'grant_type=client_credentials');
    assert.equal(conflicting.status, 400);
    assert.match(conflicting.body.errors[0].message, /conflicting grant_type/);
    const unknown = await token('?grant_type=password');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.errors[0].message, /unsupported grant_type "password"/);
    const missing = await token('');
    assert.equal(missing.status, 400);
    assert.match(missing.body.errors[0].message, /grant_type is missing/);
    const wrongSecret = await read(
      await fetch(`${client.url}/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { authorization: basicAuth(clientId, 'wrong') } }),
    );
    assert.equal(wrongSecret.status, 401);
  });

  test('an unknown grant type is 400; no token and an unknown token are 401', async () => {
    const grant = await requestToken(client.url, client.sandbox.credentials.clientId, client.sandbox.credentials.clientSecret, 'password');
    assert.equal(grant.status, 400);
    assert.equal((await fetch(`${client.url}/v1/orders/or_x`)).status, 401);
    const unknown = await fetch(`${client.url}/v1/orders/or_x`, { headers: { authorization: 'Bearer v4.public.forged' } });
    assert.equal(unknown.status, 401);
  });

  test('a token expires and is then refused with 401', async () => {
    const shortLived = await startClient({ tokenTtlSeconds: 0.1 });
    try {
      assert.equal((await shortLived.api('POST', '/v1/sessions', seedCreateSessionRequest())).status, 200);
      await sleep(150);
      const expired = await shortLived.api('POST', '/v1/sessions', seedCreateSessionRequest());
      assert.equal(expired.status, 401);
      assert.match(expired.body.errors[0].message, /expired/);
    } finally {
      await shortLived.close();
    }
  });
});

describe('sessions', () => {
  test('the seed create body verbatim → 200 with Ledyer-shaped ids and a 7-day expiry', async () => {
    const answer = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    assert.equal(answer.status, 200);
    assert.match(answer.body.orderId, idPattern('or'));
    assert.match(answer.body.sessionId, idPattern('cs'));
    const days = (Date.parse(answer.body.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 6.99 && days <= 7, `expires in ${days} days`);
  });

  test('a violation is 400 naming each field path', async () => {
    const body = seedCreateSessionRequest();
    (body['orderLines'] as Array<Record<string, unknown>>)[0]!['totalAmount'] = 1;
    body['currency'] = 'kronor';
    const answer = await client.api('POST', '/v1/sessions', body);
    assert.equal(answer.status, 400);
    const paths = answer.body.errors.map((error: { path: string }) => error.path);
    assert.ok(paths.includes('orderLines[0].totalAmount'), paths.join());
    assert.ok(paths.includes('currency'), paths.join());
    assert.ok(answer.body.errors.every((error: { message: string }) => typeof error.message === 'string'));
  });

  test('malformed JSON is 400; an unknown field is named', async () => {
    const malformed = await client.api('POST', '/v1/sessions', '{"country": "SE",');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.errors[0].message, /JSON/);
    const unknown = await client.api('POST', '/v1/sessions', { ...seedCreateSessionRequest(), colour: 'red' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors[0].path, 'colour');
  });

  test('get returns the session by orderId; an unknown id is 404', async () => {
    const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const answer = await client.api('GET', `/v1/sessions/${created.body.orderId}`);
    assert.equal(answer.status, 200);
    sessionSchema.parse(answer.body);
    assert.equal(answer.body.id, created.body.sessionId);
    assert.equal(answer.body.orderId, created.body.orderId);
    assert.equal(answer.body.customer.email, 'jane.doe@example.com');
    assert.equal(answer.body.order.orderLines.length, 2);
    assert.equal(answer.body.status, 'open');
    assert.equal(answer.body.settings.urls.terms, 'https://www.example.com/terms.html');
    const missing = await client.api('GET', '/v1/sessions/or_doesnotexist');
    assert.equal(missing.status, 404);
    assert.ok(missing.body.errors[0].message);
  });

  test('update replaces the cart while open and is refused once the purchase completed', async () => {
    const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const update = { ...seedCreateSessionRequest(), ...editWithQuantity(2) };
    const updated = await client.api('POST', `/v1/sessions/${created.body.orderId}`, update);
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body, { sessionId: created.body.sessionId, orderId: created.body.orderId });
    const read = await client.api('GET', `/v1/sessions/${created.body.orderId}`);
    assert.equal(read.body.order.totalOrderAmount, 110000);
    await client.control('POST', `/sessions/${created.body.orderId}/complete`);
    const refused = await client.api('POST', `/v1/sessions/${created.body.orderId}`, update);
    assert.equal(refused.status, 409);
    assert.match(refused.body.errors[0].message, /complete/);
    assert.equal((await client.api('POST', '/v1/sessions/or_doesnotexist', update)).status, 404);
  });

  test('an invalid update is 400 and leaves the session as it was', async () => {
    const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const refused = await client.api('POST', `/v1/sessions/${created.body.orderId}`, { ...seedCreateSessionRequest(), totalOrderAmount: 1 });
    assert.equal(refused.status, 400);
    assert.ok(refused.body.errors.some((error: { path: string }) => error.path === 'totalOrderAmount'));
    const read = await client.api('GET', `/v1/sessions/${created.body.orderId}`);
    assert.equal(read.body.order.totalOrderAmount, 510000);
  });
});

describe('the seed round trip', () => {
  test('create (seed) → complete → edit (seed lines) reproduces the seed response', async () => {
    const orderId = await boughtOrder();
    const answer = await client.api('POST', `/v1/orders/${orderId}`, consistentSeedEdit(), { 'Idempotency-Key': randomUUID() });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const seed = seedOrderResponse() as Record<string, any>;
    const order = answer.body;
    orderSchema.parse(order);
    assert.deepEqual(Object.keys(order).sort(), Object.keys(seed).sort(), 'the entity has the seed\'s fields');
    for (const field of ['orderAmount', 'uncapturedAmount', 'capturedAmount', 'refundedAmount']) {
      assert.deepEqual(order[field], seed[field], field);
    }
    for (const field of ['totalOrderAmount', 'totalOrderAmountExclVat', 'totalOrderVatAmount']) {
      assert.deepEqual(order.uncaptured[field], seed['uncaptured'][field], `uncaptured.${field}`);
    }
    assert.deepEqual(order.uncaptured.totalOrderAmount.formattedWithCurrency, 'SEK 4,600.00');
    assert.deepEqual(
      order.events.map((event: { type: string }) => event.type),
      seed['events'].map((event: { type: string }) => event.type),
    );
    assert.deepEqual(
      order.events.map((event: { amount: unknown }) => event.amount),
      seed['events'].map((event: { amount: unknown }) => event.amount),
    );
    assert.equal(order.events[0].amount.formattedWithCurrency, '-SEK 500.00');
    const strip = (line: Record<string, unknown>): Record<string, unknown> => ({ ...line, id: undefined });
    assert.deepEqual(order.uncaptured.orderLines.map(strip), seed['uncaptured'].orderLines.map(strip));
    assert.deepEqual(order.status, ['uncaptured']);
    assert.equal(order.authorizeStatus, 'authorized');
    assert.equal(order.id, orderId);
    assert.equal(order.merchantReference, orderId);
    for (const event of order.events) {
      assert.match(event.id, idPattern('oe'));
      assert.match(event.ledgerId, idPattern('in'));
      assert.equal(event.orderId, orderId);
    }
    for (const line of order.uncaptured.orderLines) assert.match(line.id, idPattern('ol'));
    assert.deepEqual(order.uncaptured.availableActions, seed['uncaptured'].availableActions, "the seed's actions for an order ready for capture");
    assert.deepEqual(order.uncaptured.status, seed['uncaptured'].status);
    assert.deepEqual(await client.api('GET', `/v1/orders/${orderId}`).then((read) => read.body), order);
  });

  test('the seed edit request verbatim is refused: its totals do not match its lines', async () => {
    const orderId = await boughtOrder();
    const answer = await client.api('POST', `/v1/orders/${orderId}`, seedEditOrderRequest());
    assert.equal(answer.status, 400);
    const paths = answer.body.errors.map((error: { path: string }) => error.path);
    assert.ok(paths.includes('totalOrderAmount'), paths.join());
    const unchanged = await client.api('GET', `/v1/orders/${orderId}`);
    assert.equal(unchanged.body.orderAmount.minorUnits, 510000);
    assert.equal(unchanged.body.events.length, 2);
  });
});

describe('orders', () => {
  test('an unknown order is 404, and so is a session that was never bought', async () => {
    assert.equal((await client.api('GET', '/v1/orders/or_doesnotexist')).status, 404);
    const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const notBought = await client.api('GET', `/v1/orders/${created.body.orderId}`);
    assert.equal(notBought.status, 404);
    assert.match(notBought.body.errors[0].message, /not been bought/);
    assert.equal((await client.api('POST', '/v1/orders/or_doesnotexist', consistentSeedEdit())).status, 404);
    assert.equal((await client.api('PUT', '/v1/orders/or_doesnotexist', consistentSeedEdit())).status, 405);
  });

  test('capture (with the remaining lines) makes the order fully captured and editing it is refused', async () => {
    const orderId = await boughtOrder();
    assert.equal((await client.api('GET', `/v1/orders/${orderId}/paymentstatus`)).body.status, 'paymentConfirmed');
    const lines = (await client.api('GET', `/v1/orders/${orderId}`)).body.uncaptured.orderLines;
    const capture = await client.api('POST', `/v1/orders/${orderId}/capture`, { orderLines: lines, totalCaptureAmount: 510000 });
    assert.equal(capture.status, 200, JSON.stringify(capture.body));
    orderSchema.parse(capture.body);
    assert.match(capture.body.captured[0].ledgerId, idPattern('in'));
    const order = (await client.api('GET', `/v1/orders/${orderId}`)).body;
    assert.deepEqual(order, capture.body, 'the answer is the order entity');
    assert.deepEqual(order.status, ['fullyCaptured']);
    assert.equal(order.uncaptured, null);
    assert.equal(order.capturedAmount.formattedWithCurrency, 'SEK 5,100.00');
    assert.equal(order.uncapturedAmount.minorUnits, 0);
    assert.deepEqual(order.captured[0].availableActions, [{ type: 'refund' }, { type: 'partialRefund' }]);
    assert.equal(order.events[0].type, 'fullCapture');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}/paymentstatus`)).body.status, 'orderCaptured');
    const edit = await client.api('POST', `/v1/orders/${orderId}`, consistentSeedEdit());
    assert.equal(edit.status, 409);
    assert.match(edit.body.errors[0].message, /only uncaptured order lines can be edited/);
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/capture`, { orderLines: lines, totalCaptureAmount: 510000 })).status, 409);
    assert.equal((await client.api('DELETE', `/v1/orders/${orderId}`)).status, 409);
  });

  test('cancel makes the order cancelled; edit and capture are then refused', async () => {
    const orderId = await boughtOrder();
    const cancel = await client.api('DELETE', `/v1/orders/${orderId}`);
    assert.equal(cancel.status, 200);
    assert.deepEqual(cancel.body.status, ['cancelled']);
    assert.equal(cancel.body.uncaptured, null);
    assert.equal(cancel.body.events[0].type, 'cancel');
    assert.equal((await client.api('GET', `/v1/orders/${orderId}/paymentstatus`)).body.status, 'orderCancelled');
    const edit = await client.api('POST', `/v1/orders/${orderId}`, consistentSeedEdit());
    assert.equal(edit.status, 409);
    assert.match(edit.body.errors[0].message, /cancelled/);
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/capture`)).status, 409);
    assert.equal((await client.api('DELETE', `/v1/orders/${orderId}`)).status, 409);
  });

  test('acknowledge, set reference, capture and refund are recorded as events', async () => {
    const orderId = await boughtOrder();
    assert.equal((await client.api('POST', `/v1/orders/${orderId}/acknowledge`)).status, 201);
    const reference = await client.api('POST', `/v1/orders/${orderId}/reference`, { reference: 'PO-123' });
    assert.equal(reference.body.merchantReference, 'PO-123');
    const lines = reference.body.uncaptured.orderLines;
    const capture = await client.api('POST', `/v1/orders/${orderId}/capture`, { orderLines: lines, totalCaptureAmount: 510000 });
    const ledgerId = capture.body.captured[0].ledgerId;
    const refund = await client.api('POST', `/v1/orders/${orderId}/refund/${ledgerId}`);
    assert.equal(refund.status, 200);
    assert.equal(refund.body.refundedAmount.minorUnits, 510000);
    assert.deepEqual(refund.body.status, ['fullyCaptured', 'fullyRefunded']);
    assert.deepEqual(
      refund.body.events.map((event: { type: string }) => event.type),
      ['fullRefund', 'fullCapture', 'setReference', 'acknowledge', 'readyForCapture', 'create'],
    );
  });

  test('30 parallel edits of one order: none lost, totals consistent, one event each', async () => {
    const orderId = await boughtOrder();
    const quantities = Array.from({ length: 30 }, (_, index) => index + 1);
    const answers = await Promise.all(quantities.map((quantity) => client.api('POST', `/v1/orders/${orderId}`, editWithQuantity(quantity))));
    assert.ok(answers.every((answer) => answer.status === 200));
    const order = (await client.api('GET', `/v1/orders/${orderId}`)).body;
    const edits = order.events.filter((event: { type: string }) => event.type === 'edit');
    assert.equal(edits.length, 30);
    const eventSum = order.events.reduce((sum: number, event: { amount: { minorUnits: number } }) => sum + event.amount.minorUnits, 0);
    assert.equal(eventSum, order.orderAmount.minorUnits, 'create + every edit delta = the order amount');
    const lines = order.uncaptured.orderLines as Array<{ totalAmount: number; totalVatAmount: number }>;
    const lineSum = lines.reduce((sum, line) => sum + line.totalAmount, 0);
    const vatSum = lines.reduce((sum, line) => sum + line.totalVatAmount, 0);
    assert.equal(order.uncaptured.totalOrderAmount.minorUnits, lineSum);
    assert.equal(order.uncaptured.totalOrderVatAmount.minorUnits, vatSum);
    assert.equal(order.uncaptured.totalOrderAmountExclVat.minorUnits, lineSum - vatSum);
    // Each answer saw the edits before it: their edit counts are exactly 1..30.
    const counts = answers.map((answer) => answer.body.events.filter((event: { type: string }) => event.type === 'edit').length).sort((a, b) => a - b);
    assert.deepEqual(counts, quantities);
  });
});

describe('Idempotency-Key', () => {
  test('the same key and body replays the first answer without a second edit', async () => {
    const orderId = await boughtOrder();
    const key = randomUUID();
    const first = await client.api('POST', `/v1/orders/${orderId}`, consistentSeedEdit(), { 'Idempotency-Key': key });
    const second = await client.api('POST', `/v1/orders/${orderId}`, consistentSeedEdit(), { 'Idempotency-Key': key });
    assert.equal(second.status, first.status);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    const order = (await client.api('GET', `/v1/orders/${orderId}`)).body;
    assert.equal(order.events.filter((event: { type: string }) => event.type === 'edit').length, 1);
  });

  test('a concurrent retry with the same key also gets the one answer', async () => {
    const key = randomUUID();
    const [first, second] = await Promise.all([
      client.api('POST', '/v1/sessions', seedCreateSessionRequest(), { 'Idempotency-Key': key }),
      client.api('POST', '/v1/sessions', seedCreateSessionRequest(), { 'Idempotency-Key': key }),
    ]);
    assert.equal(first.status, 200);
    assert.deepEqual(second.body, first.body);
  });

  test('the same key with a different body is 422 and does nothing', async () => {
    const orderId = await boughtOrder();
    const key = randomUUID();
    await client.api('POST', `/v1/orders/${orderId}`, consistentSeedEdit(), { 'Idempotency-Key': key });
    const conflict = await client.api('POST', `/v1/orders/${orderId}`, editWithQuantity(3), { 'Idempotency-Key': key });
    assert.equal(conflict.status, 422);
    assert.match(conflict.body.errors[0].message, /Idempotency-Key/);
    const order = (await client.api('GET', `/v1/orders/${orderId}`)).body;
    assert.equal(order.orderAmount.minorUnits, 460000);
  });

  test('a refusal is replayed too, so a retry cannot turn it into a success', async () => {
    const key = randomUUID();
    const bad = { ...seedCreateSessionRequest(), totalOrderAmount: 1 };
    const first = await client.api('POST', '/v1/sessions', bad, { 'Idempotency-Key': key });
    const second = await client.api('POST', '/v1/sessions', bad, { 'Idempotency-Key': key });
    assert.equal(first.status, 400);
    assert.deepEqual(second.body, first.body);
  });
});

describe('transport', () => {
  test('the API sends no CORS headers', async () => {
    const answer = await fetch(`${client.url}/v1/sessions`, { method: 'OPTIONS', headers: { origin: 'https://shop.example' } });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });

  test('an unknown API path is 404 with an errors body', async () => {
    const answer = await client.api('GET', '/v1/nothing-here');
    assert.equal(answer.status, 404);
    assert.ok(answer.body.errors[0].message);
  });
});
