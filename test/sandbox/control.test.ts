/** Fault injection, session expiry and the control API's guard rails. */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { sleep, startClient, type SandboxClient } from './helpers.js';

let client: SandboxClient;
before(async () => {
  client = await startClient();
});
after(() => client.close());
afterEach(() => client.control('DELETE', '/faults'));

describe('faults', () => {
  test('status: the next N calls of a path fail with it, then the path works again', async () => {
    const armed = await client.control('POST', '/faults', { path: '/v1/sessions', method: 'post', count: 2, kind: 'status', status: 503 });
    assert.equal(armed.status, 201);
    const first = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const second = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const third = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    assert.deepEqual([first.status, second.status, third.status], [503, 503, 200]);
    assert.ok(first.body.errors[0].message);
    assert.deepEqual((await client.control('GET', '/faults')).body.faults, []);
  });

  test('a fault for another method or path leaves this call alone', async () => {
    await client.control('POST', '/faults', { path: '/v1/sessions', method: 'GET', count: 1, kind: 'status', status: 500 });
    await client.control('POST', '/faults', { path: '/v1/orders/*', count: 1, kind: 'status', status: 502 });
    assert.equal((await client.api('POST', '/v1/sessions', seedCreateSessionRequest())).status, 200);
    assert.equal((await client.api('GET', '/v1/orders/or_any')).status, 502, 'the prefix pattern matched');
  });

  test('delay holds the answer for the given time', async () => {
    await client.control('POST', '/faults', { path: '/v1/sessions', count: 1, kind: 'delay', ms: 200 });
    const started = Date.now();
    assert.equal((await client.api('POST', '/v1/sessions', seedCreateSessionRequest())).status, 200);
    assert.ok(Date.now() - started >= 190);
    const quick = Date.now();
    await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    assert.ok(Date.now() - quick < 150, 'only the first call was delayed');
  });

  test('drop destroys the connection, then the path works again', async () => {
    await client.control('POST', '/faults', { path: '/v1/sessions', count: 1, kind: 'drop' });
    await assert.rejects(client.api('POST', '/v1/sessions', seedCreateSessionRequest()), TypeError);
    assert.equal((await client.api('POST', '/v1/sessions', seedCreateSessionRequest())).status, 200);
  });

  test('lose-answer runs the call, then drops the connection before any byte of the answer', async () => {
    await client.control('POST', '/faults', { path: '/v1/sessions', method: 'POST', count: 1, kind: 'lose-answer' });
    const before = (await client.control('GET', '/usage')).body.sessions;
    await assert.rejects(client.api('POST', '/v1/sessions', seedCreateSessionRequest()), TypeError);
    assert.equal((await client.control('GET', '/usage')).body.sessions, before + 1, 'the session was made');
    assert.equal((await client.api('POST', '/v1/sessions', seedCreateSessionRequest())).status, 200, 'only the next call was faulted');
    const unknownKind = await client.control('POST', '/faults', { path: '/v1/sessions', count: 1, kind: 'lose' });
    assert.equal(unknownKind.status, 400);
    assert.match(unknownKind.body.errors[0].message, /"lose-answer"/);
  });

  test('an invalid fault is 400 naming the field; control routes are never faulted', async () => {
    const invalid = await client.control('POST', '/faults', { path: '/v1/sessions', count: 1, kind: 'status' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.errors[0].path, 'status');
    await client.control('POST', '/faults', { path: '/sandbox/faults', count: 1, kind: 'status', status: 500 });
    assert.equal((await client.control('GET', '/faults')).status, 200);
  });
});

describe('session expiry', () => {
  test('the control API expires a session: update refused, purchase refused, status expired', async () => {
    const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    const expired = await client.control('POST', `/sessions/${created.body.sessionId}/expire`);
    assert.equal(expired.status, 200);
    const session = await client.api('GET', `/v1/sessions/${created.body.orderId}`);
    assert.equal(session.body.status, 'expired');
    const update = await client.api('POST', `/v1/sessions/${created.body.orderId}`, seedCreateSessionRequest());
    assert.equal(update.status, 409);
    assert.match(update.body.errors[0].message, /expired/);
    const purchase = await client.control('POST', `/sessions/${created.body.orderId}/complete`);
    assert.equal(purchase.status, 409);
    assert.equal((await client.api('GET', `/v1/orders/${created.body.orderId}`)).status, 404);
  });

  test('a session expires on its own after sessionTtlMs, not before', async () => {
    const shortLived = await startClient({ sessionTtlMs: 150 });
    try {
      const created = await shortLived.api('POST', '/v1/sessions', seedCreateSessionRequest());
      assert.equal((await shortLived.api('GET', `/v1/sessions/${created.body.orderId}`)).body.status, 'open');
      await sleep(200);
      assert.equal((await shortLived.api('GET', `/v1/sessions/${created.body.orderId}`)).body.status, 'expired');
      assert.equal((await shortLived.control('POST', `/sessions/${created.body.sessionId}/complete`)).status, 409);
    } finally {
      await shortLived.close();
    }
  });
});

describe('control API', () => {
  test('unknown sessions and routes are 404', async () => {
    assert.equal((await client.control('POST', '/sessions/cs_nope/complete')).status, 404);
    assert.equal((await client.control('GET', '/nothing')).status, 404);
    assert.equal((await client.control('GET', '/sessions/cs_nope/complete')).status, 405);
  });

  test('reset forgets sessions and orders', async () => {
    const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    assert.equal((await client.control('POST', '/reset')).status, 200);
    assert.equal((await client.api('GET', `/v1/sessions/${created.body.orderId}`)).status, 404);
  });
});
