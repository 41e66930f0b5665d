/** The `CheckoutService` the browser side calls: lookup, updateCustomer, purchase. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSandboxApp, type SandboxApp } from '../../src/sandbox/server.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
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
  assert.deepEqual(await app.core.purchase(sessionId), { kind: 'complete', orderId });
  const afterPurchase = app.core.lookup(sessionId);
  assert.equal(afterPurchase.ok && afterPurchase.view.status, 'complete');
  const refused = app.core.updateCustomer(sessionId, { firstName: 'Late' });
  assert.equal(refused.ok, false);
});

test('purchase of an unknown session is an error outcome, not a throw', async () => {
  const outcome = await app.core.purchase('cs_unknown');
  assert.equal(outcome.kind, 'error');
});
