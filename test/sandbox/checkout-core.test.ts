/** The `CheckoutService` the browser side calls (lookup, updateCustomer, purchase) and the control API's way into it. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSandboxApp, type SandboxApp } from '../../src/sandbox/server.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { seedQuantityUpdate } from './browser-fixtures.js';
import { read, requestToken } from './helpers.js';

const credentials = { clientId: 'core-test', clientSecret: 'core-test-secret' };
let app: SandboxApp;
let server: Server;
let url: string;
let token: string;

before(async () => {
  app = createSandboxApp(
    {
      credentials,
      merchant: { merchantId: 'ac_test', storeId: null },
      sessionTtlMs: 60_000,
      tokenTtlSeconds: 60,
      notificationRetryDelaysMs: [],
      validateTimeoutMs: 100,
      notificationTimeoutMs: 100,
    },
    async () => null,
  );
  server = createServer(app.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = (await requestToken(url, credentials.clientId, credentials.clientSecret)).body.access_token;
});
after(async () => {
  app.shutdown();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function newSession(): Promise<{ sessionId: string; orderId: string }> {
  const answer = await read(
    await fetch(`${url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(seedCreateSessionRequest()),
    }),
  );
  return answer.body;
}

test('lookup gives the hosted page a formatted view; unknown and expired sessions say why', async () => {
  const { sessionId, orderId } = await newSession();
  const found = app.core.lookup(sessionId);
  assert.ok(found.ok);
  assert.equal(found.view.orderId, orderId);
  assert.equal(found.view.totalOrderAmount, 'SEK 5,100.00');
  assert.equal(found.view.orderLines[0]?.unitPrice, 'SEK 500.00');
  assert.equal(found.view.customer.companyName, 'Ledyer AB');
  assert.equal(found.view.termsUrl, 'https://www.example.com/terms.html');
  assert.equal(found.view.status, 'open');
  assert.deepEqual(app.core.lookup('cs_unknown'), { ok: false, reason: 'unknown-session', message: 'This checkout session does not exist.' });
  await fetch(`${url}/sandbox/sessions/${sessionId}/expire`, { method: 'POST' });
  const expired = app.core.lookup(sessionId);
  assert.equal(expired.ok, false);
  assert.equal(!expired.ok && expired.reason, 'expired-session');
});

test('updateCustomer reports what changed and is refused after the purchase', async () => {
  const { sessionId, orderId } = await newSession();
  assert.deepEqual(app.core.updateCustomer(sessionId, { email: 'jane.doe@example.com' }), { ok: true, changed: [] });
  const changed = app.core.updateCustomer(sessionId, { firstName: 'Janet', companyId: '556000-0000' });
  assert.deepEqual(changed, { ok: true, changed: ['customer', 'billing'] });
  const session = await read(await fetch(`${url}/v1/sessions/${orderId}`, { headers: { authorization: `Bearer ${token}` } }));
  assert.equal(session.body.customer.firstName, 'Janet');
  assert.equal(session.body.customer.billingAddress.companyName, 'Sandbox Testbolag AB');
  const invalid = app.core.updateCustomer(sessionId, { email: 42 as unknown as string });
  assert.equal(invalid.ok, false);
  assert.deepEqual(await app.core.purchase(sessionId, { version: versionOf(sessionId), paymentMethod: 'invoice' }), { kind: 'complete', orderId });
  const afterPurchase = app.core.lookup(sessionId);
  assert.equal(afterPurchase.ok && afterPurchase.view.status, 'complete');
  const refused = app.core.updateCustomer(sessionId, { firstName: 'Late' });
  assert.equal(refused.ok, false);
});

test('purchase of an unknown session is an error outcome, not a throw', async () => {
  const outcome = await app.core.purchase('cs_unknown', { version: 'x', paymentMethod: 'invoice' });
  assert.equal(outcome.kind, 'error');
});

function versionOf(sessionId: string): string {
  const found = app.core.lookup(sessionId);
  assert.ok(found.ok, 'the session exists');
  return found.view.version;
}

const api = async (method: string, path: string, body?: unknown) =>
  read(
    await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

test('a purchase of the version the buyer saw buys the session; an update since is refused with the fresh view', async () => {
  const { sessionId, orderId } = await newSession();
  const seen = versionOf(sessionId);
  assert.equal((await api('POST', `/v1/sessions/${orderId}`, seedQuantityUpdate(3))).status, 200);
  const refused = await app.core.purchase(sessionId, { version: seen, paymentMethod: 'invoice' });
  assert.equal(refused.kind, 'session-changed');
  assert.equal(refused.kind === 'session-changed' && refused.view.totalOrderAmount, 'SEK 1,600.00');
  assert.equal((await api('GET', `/v1/orders/${orderId}`)).status, 404, 'nothing was bought');
  assert.equal((await api('GET', `/v1/sessions/${orderId}`)).body.status, 'open');

  const fresh = versionOf(sessionId);
  assert.notEqual(fresh, seen);
  assert.deepEqual(await app.core.purchase(sessionId, { version: fresh, paymentMethod: 'advanceInvoice' }), { kind: 'complete', orderId });
  const order = await api('GET', `/v1/orders/${orderId}`);
  assert.equal(order.body.uncaptured.orderLines[0].quantity, 3, 'the order holds the lines the buyer saw');
  assert.equal(order.body.paymentMethod.type, 'advanceInvoice');
});

test('the version changes with what the page shows, not with the buyer\'s details or the reference', async () => {
  const { sessionId, orderId } = await newSession();
  const before = versionOf(sessionId);
  app.core.updateCustomer(sessionId, { email: 'someone@example.com', companyId: '556677-8899' });
  assert.equal((await api('POST', `/v1/sessions/${orderId}`, { ...seedQuantityUpdate(10), reference: 'PO-7' })).status, 200);
  assert.equal(versionOf(sessionId), before, 'same lines and totals as created: same version');
  assert.equal((await api('POST', `/v1/sessions/${orderId}`, { ...seedQuantityUpdate(10), settings: { security: { requireClientValidation: true } } })).status, 200);
  assert.notEqual(versionOf(sessionId), before, 'client validation decides how the page buys');
});

test('the signatory-required test company ends pending with no order; any other company completes', async () => {
  const pending = await newSession();
  app.core.updateCustomer(pending.sessionId, { companyId: '5560000006' });
  const found = app.core.lookup(pending.sessionId);
  assert.equal(found.ok && found.view.customer.companyName, 'Signatory Required AB', 'the register knows it without the dash too');
  assert.deepEqual(await app.core.purchase(pending.sessionId, { version: versionOf(pending.sessionId), paymentMethod: 'invoice' }), { kind: 'pending', orderId: pending.orderId });
  assert.equal((await api('GET', `/v1/orders/${pending.orderId}`)).status, 404);
  assert.equal((await api('GET', `/v1/orders/${pending.orderId}/paymentstatus`)).body.status, 'orderPending');

  const other = await newSession();
  app.core.updateCustomer(other.sessionId, { companyId: '556000-0007' });
  assert.deepEqual(await app.core.purchase(other.sessionId, { version: versionOf(other.sessionId), paymentMethod: 'invoice' }), { kind: 'complete', orderId: other.orderId });
});

test('driveCheckout with no open page buys server-side; expireSession ends the session for buyers', async () => {
  const { sessionId, orderId } = await newSession();
  assert.deepEqual(await app.core.driveCheckout(sessionId, { outcome: 'pending', paymentMethod: null }), { kind: 'pending', orderId, driven: 'server' });

  const doomed = await newSession();
  app.core.expireSession(doomed.sessionId);
  const outcome = await app.core.driveCheckout(doomed.sessionId, { outcome: 'complete', paymentMethod: null });
  assert.equal(outcome.kind, 'error');
  assert.equal(outcome.driven, 'server');
  assert.equal(app.core.lookup(doomed.sessionId).ok, false);
});
