/**
 * Malformed input on every HTTP surface of the sandbox (API, OAuth, control API, browser
 * paths): bad percent-escapes, non-JSON, JSON that is not an object, bodies over the 1 MiB
 * limit, wrong methods, bad tokens. Each gets a 4xx that says what is wrong; not one 5xx,
 * and nothing reaches stderr.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorResponse } from '../../src/sandbox/server.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';
import { basicAuth, buyOrder, rawRequest, startClient, type SandboxClient } from './helpers.js';

interface Probe {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The status expected; any 4xx when left out. */
  status?: number;
}

let client: SandboxClient;
let orderId: string;
let ledgerId: string;
let token: string;
before(async () => {
  client = await startClient();
  token = await client.token();
  ({ orderId } = await buyOrder(client));
  const lines = (await client.api('GET', `/v1/orders/${orderId}`)).body.uncaptured.orderLines;
  const captured = await client.api('POST', `/v1/orders/${orderId}/partialcapture`, { orderLines: [{ ...lines[1] }], totalCaptureAmount: 10000 });
  ledgerId = captured.body.captured[0].ledgerId;
});
after(() => client.close());

/** Every API route: method, path with `{order}` and `{ledger}`, and whether it reads a JSON body. */
const apiRoutes: Array<[string, string, boolean]> = [
  ['POST', '/v1/sessions', true],
  ['GET', '/v1/sessions/{order}', false],
  ['POST', '/v1/sessions/{order}', true],
  ['GET', '/v1/orders/{order}', false],
  ['POST', '/v1/orders/{order}', true],
  ['DELETE', '/v1/orders/{order}', false],
  ['GET', '/v1/orders/{order}/paymentstatus', false],
  ['POST', '/v1/orders/{order}/capture', true],
  ['POST', '/v1/orders/{order}/partialcapture', true],
  ['POST', '/v1/orders/{order}/acknowledge', false],
  ['POST', '/v1/orders/{order}/reference', true],
  ['POST', '/v1/orders/{order}/extendexpiry', false],
  ['POST', '/v1/orders/{order}/customer', false],
  ['POST', '/v1/orders/{order}/refund/{ledger}', false],
  ['POST', '/v1/orders/{order}/partialrefund/{ledger}', true],
];

const badEscapes = ['%ZZ', '%', '%E0%A4%A', '%C0%AF', '%FF', 'or_%G1x'];
const notJson = ['{', '{"orderLines": [', 'not json', "{'single': 'quotes'}", '\u0000', Buffer.from([0xff, 0xfe, 0xfd])];
const notAnObject = ['[1]', '"text"', '42', 'null', 'true'];
const badTokens = ['', 'Bearer', 'Bearer ', 'Bearer a b', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(8000)}`, 'Bearer v4.public.forged', 'Token abc'];

function probes(): Probe[] {
  const list: Probe[] = [];
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const fill = (path: string, order = orderId, ledger = ledgerId): string => path.replace('{order}', order).replace('{ledger}', ledger);
  for (const [method, path, json] of apiRoutes) {
    for (const bad of badEscapes) {
      if (path.includes('{order}')) list.push({ name: `${method} ${path} order=${bad}`, method, path: fill(path, bad), headers: auth, status: 400 });
      if (path.includes('{ledger}')) list.push({ name: `${method} ${path} ledger=${bad}`, method, path: fill(path, orderId, bad), headers: auth, status: 400 });
      list.push({ name: `${method} ${path}/${bad}`, method, path: `${fill(path)}/${bad}`, headers: auth, status: 400 });
    }
    for (const header of badTokens) {
      list.push({ name: `${method} ${path} authorization=${JSON.stringify(header.slice(0, 20))}`, method, path: fill(path), headers: header ? { authorization: header } : {}, status: 401 });
    }
    for (const wrong of ['PUT', 'PATCH', ...(method === 'GET' ? [] : ['GET'])]) {
      if (apiRoutes.some(([other, otherPath]) => other === wrong && otherPath === path)) continue;
      list.push({ name: `${wrong} ${path}`, method: wrong, path: fill(path), headers: auth, status: 405 });
    }
    list.push({ name: `${method} ${path} over 1 MiB`, method: method === 'GET' ? 'POST' : method, path: fill(path), headers: auth, body: Buffer.alloc(1024 * 1024 + 1, 0x20), status: 413 });
    if (!json) continue;
    for (const body of notJson) list.push({ name: `${method} ${path} body=${JSON.stringify(String(body))}`, method, path: fill(path), headers: auth, body, status: 400 });
    for (const body of notAnObject) list.push({ name: `${method} ${path} body=${body}`, method, path: fill(path), headers: auth, body, status: 400 });
  }
  // Calls that take no body refuse one that is not empty.
  for (const path of ['/v1/orders/{order}/acknowledge', '/v1/orders/{order}/extendexpiry']) {
    for (const body of [...notJson, '"text"', '[1]', '{"a":1}']) list.push({ name: `POST ${path} body=${JSON.stringify(String(body))}`, method: 'POST', path: fill(path), headers: auth, body, status: 400 });
  }
  // OAuth.
  const basic = basicAuth(client.sandbox.credentials.clientId, client.sandbox.credentials.clientSecret);
  const form = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' };
  list.push(
    { name: 'token: GET', method: 'GET', path: '/oauth/token', headers: form, status: 405 },
    { name: 'token: no credentials', method: 'POST', path: '/oauth/token', body: 'grant_type=client_credentials', status: 401 },
    { name: 'token: Basic not base64', method: 'POST', path: '/oauth/token', headers: { ...form, authorization: 'Basic %%%' }, body: 'grant_type=client_credentials', status: 401 },
    { name: 'token: Basic without a colon', method: 'POST', path: '/oauth/token', headers: { ...form, authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }, body: 'grant_type=client_credentials', status: 401 },
    { name: 'token: bad escape in the form', method: 'POST', path: '/oauth/token', headers: form, body: 'grant_type=%ZZ', status: 400 },
    { name: 'token: bad escape in the query', method: 'POST', path: '/oauth/token?grant_type=%ZZ', headers: form, status: 400 },
    { name: 'token: bad escape in the path', method: 'POST', path: '/oauth/%ZZ', headers: form, status: 400 },
    { name: 'token: conflicting grants', method: 'POST', path: '/oauth/token?grant_type=password', headers: form, body: 'grant_type=client_credentials', status: 400 },
    { name: 'token: over 1 MiB', method: 'POST', path: '/oauth/token', headers: form, body: Buffer.alloc(1024 * 1024 + 1, 0x61), status: 413 },
  );
  // Control API.
  const json = { 'content-type': 'application/json' };
  for (const route of ['complete', 'pending', 'sign', 'expire']) {
    for (const bad of badEscapes) list.push({ name: `control ${route} id=${bad}`, method: 'POST', path: `/sandbox/sessions/${bad}/${route}`, status: 400 });
  }
  for (const body of [...notJson, ...notAnObject, '{}', '{"path":"x","kind":"status","status":503}', '{"path":"/v1","kind":"explode"}']) {
    list.push({ name: `control faults body=${JSON.stringify(String(body))}`, method: 'POST', path: '/sandbox/faults', headers: json, body, status: 400 });
  }
  list.push(
    { name: 'control faults over 1 MiB', method: 'POST', path: '/sandbox/faults', headers: json, body: Buffer.alloc(1024 * 1024 + 1, 0x20), status: 413 },
    { name: 'control callbacks bad kind', method: 'GET', path: '/sandbox/callbacks?kind=email', status: 400 },
    { name: 'control callbacks unknown filter', method: 'GET', path: '/sandbox/callbacks?colour=red', status: 400 },
    { name: 'control unknown route', method: 'PUT', path: '/sandbox/reset', status: 404 },
    { name: 'control bad escape', method: 'GET', path: '/sandbox/%ZZ', status: 400 },
    { name: 'control wrong method on a session route', method: 'GET', path: `/sandbox/sessions/${orderId}/complete`, status: 405 },
  );
  // Browser side: the same rule for its paths.
  for (const bad of badEscapes) {
    list.push({ name: `browser /checkout/${bad}`, method: 'GET', path: `/checkout/${bad}`, status: 400 });
    list.push({ name: `browser /${bad}.js`, method: 'GET', path: `/${bad}.js`, status: 400 });
  }
  return list;
}

/** Runs `work` with stderr captured; answers what was written to it. */
async function capturingStderr(work: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stderr.write;
  try {
    await work();
  } finally {
    process.stderr.write = original;
  }
  return written.join('');
}

describe('malformed input', () => {
  test('hundreds of malformed requests: each a 4xx with an errors body, none a 5xx, nothing on stderr', async () => {
    const list = probes();
    assert.ok(list.length >= 300, `only ${list.length} probes`);
    const failures: string[] = [];
    const stderr = await capturingStderr(async () => {
      for (const probe of list) {
        const answer = await rawRequest(client.url, probe.method, probe.path, { ...(probe.headers ? { headers: probe.headers } : {}), ...(probe.body === undefined ? {} : { body: probe.body }) });
        const expected = probe.status === undefined ? answer.status >= 400 && answer.status < 500 : answer.status === probe.status;
        const explained = typeof answer.body?.errors?.[0]?.message === 'string' && answer.body.errors[0].message.length > 0;
        if (!expected || !explained) failures.push(`${probe.name}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      }
    });
    assert.deepEqual(failures, [], `${failures.length} of ${list.length} probes`);
    assert.equal(stderr, '', 'nothing reached stderr');
    const order = (await client.api('GET', `/v1/orders/${orderId}`)).body;
    assert.equal(order.captured.length, 1, 'no probe changed the order');
    assert.equal(order.refunded.length, 0);
  });

  test('a bad escape is refused naming the segment; a good escape still reaches the route', async () => {
    const bad = await rawRequest(client.url, 'GET', '/v1/orders/%ZZ', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].message, 'path segment "%ZZ" is not valid percent-encoding');
    const encoded = await rawRequest(client.url, 'GET', `/v1/orders/${encodeURIComponent(orderId)}%20`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(encoded.status, 404);
    assert.match(encoded.body.errors[0].message, new RegExp(`no order with id "${orderId} "`));
    const good = await rawRequest(client.url, 'GET', `/v1/orders/${orderId.replace('_', '%5F')}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(good.status, 200, 'a valid escape decodes to the order id');
  });

  test('a valid body still works after all of that (the sandbox is not left broken)', async () => {
    const created = await client.api('POST', '/v1/sessions', seedCreateSessionRequest());
    assert.equal(created.status, 200);
  });
});

describe('internal errors', () => {
  test('are a 500 that tells the caller nothing, logged on one escaped line', async () => {
    let answer: ReturnType<typeof errorResponse> | undefined;
    const stderr = await capturingStderr(async () => {
      answer = errorResponse(new Error('boom\nledyer-sandbox: FORGED line \u202egnp.exe'));
    });
    assert.equal(answer?.status, 500);
    assert.deepEqual(answer?.body, { errors: [{ message: 'internal sandbox error', code: 'internal' }] });
    assert.equal(stderr.split('\n').length, 2, `one line: ${JSON.stringify(stderr)}`);
    assert.ok(stderr.includes('boom\\u000aledyer-sandbox: FORGED line \\u202egnp.exe'), stderr);
  });
});
