/**
 * The demo fuzz (issues 11.2 and 11.5): malformed input at every route of the demo shop,
 * over a real node:http server with the same listener the Vite plugin mounts. Bad paths and
 * escapes, wrong methods, form posts, missing or wrong tokens, cross-site headers, broken,
 * deep, oversized (also 10 MB chunked) and non-UTF-8 bodies, and bodies of the right shape
 * with wrong values. Every one must get a JSON 4xx that says what is wrong, none a 5xx, and
 * none may cause a single request to Ledyer: the shop's Ledyer client counts every request.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { startBareShop, type BareShop } from './bare-shop.js';

const COFFEE_MACHINE = '111-222-333';

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** `chunked-10MB`: 10 MB streamed with no Content-Length. */
  body?: Buffer | string | 'chunked-10MB';
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Sends a probe byte for byte (raw path, no client-side URL normalisation). */
function send(base: string, probe: Probe): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    let answered = false;
    const headers = { ...probe.headers };
    // Node's client frames a DELETE or OPTIONS body only with an explicit length.
    if (probe.body !== undefined && probe.body !== 'chunked-10MB') headers['content-length'] = String(Buffer.byteLength(probe.body));
    const req = httpRequest({ hostname, port, method: probe.method, path: probe.path, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer and close before it read an oversized body; the answer is what counts.
      if (answered) return;
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve({ status: -1, contentType: '', body: '' });
      else reject(error);
    });
    if (probe.body === 'chunked-10MB') {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const stream = new Readable({
        read() {
          if (answered || sent >= 10 * 1024 * 1024) return this.push(null);
          sent += chunk.length;
          this.push(chunk);
        },
      });
      stream.pipe(req);
      return;
    }
    req.end(probe.body ?? undefined);
  });
}

let shop: BareShop;
/** A bought order of 10 Coffee Machines with 4 captured, so every id in a path is real. */
let orderId = '';
let ledgerId = '';
let lineId = '';

function sessionUrl(id = orderId): string {
  return `/api/checkout/session/${id}`;
}

/** Driven by what happened: the sandbox's delivery log (through the kit), not a clock. */
async function waitForAnswered(...eventTypes: string[]): Promise<void> {
  for (const eventType of eventTypes) await shop.sandbox.waitForNotification({ orderId, eventType: `com.ledyer.order.${eventType}`, status: 200 });
}

before(async () => {
  shop = await startBareShop();
  const json = { 'content-type': 'application/json' };
  const admin = { ...json, 'x-shop-admin-token': shop.adminToken };
  const created = (await (await fetch(`${shop.url}/api/checkout/session`, { method: 'POST', headers: json, body: JSON.stringify({ items: [{ sku: COFFEE_MACHINE, quantity: 10 }] }) })).json()) as { orderId: string };
  orderId = created.orderId;
  const outcome = await shop.sandbox.complete(orderId);
  assert.equal(outcome.kind, 'complete');
  const view = (await (await fetch(`${shop.url}/api/orders/${orderId}`, { headers: admin })).json()) as { order: { uncaptured: { orderLines: Array<{ id: string; reference: string }> } } };
  lineId = view.order.uncaptured.orderLines.find((line) => line.reference === COFFEE_MACHINE)?.id ?? '';
  const captured = (await (
    await fetch(`${shop.url}/api/orders/${orderId}/partial-capture`, { method: 'POST', headers: admin, body: JSON.stringify({ lines: [{ lineId, quantity: 4 }] }) })
  ).json()) as { order: { captured: Array<{ ledgerId: string }> } };
  ledgerId = captured.order.captured[0]?.ledgerId ?? '';
  // The shop has read and acknowledged them all.
  await waitForAnswered('create', 'ready_for_capture', 'part_capture');
});
after(() => shop.close());

type Access = 'public' | 'shopper' | 'admin' | 'ledyer';
interface RouteSpec {
  method: string;
  /** With `{orderId}` and `{ledgerId}` placeholders. */
  path: string;
  access: Access;
  /**
   * A body this route would accept: the probes that are wrong only in a header (origin, token,
   * content type, key, method) carry it, so nothing but that header can be why they are refused.
   */
  validBody?: () => unknown;
  /** Bodies of the right JSON shape with wrong values, each refused by this route's own checks. */
  wrongValues: unknown[];
}

const cartBodies: unknown[] = [
  { items: [] },
  { items: [{ sku: COFFEE_MACHINE, quantity: 0 }] },
  { items: [{ sku: COFFEE_MACHINE, quantity: -1 }] },
  { items: [{ sku: COFFEE_MACHINE, quantity: 1.5 }] },
  { items: [{ sku: COFFEE_MACHINE, quantity: '2' }] },
  { items: [{ sku: COFFEE_MACHINE, quantity: 100 }] },
  { items: Array.from({ length: 100 }, () => ({ sku: COFFEE_MACHINE, quantity: 99 })) },
  { items: Array.from({ length: 101 }, () => ({ sku: COFFEE_MACHINE, quantity: 1 })) },
  { items: [{ sku: 'free-espresso', quantity: 1 }] },
  { items: [{ sku: '444-555-666', quantity: 1 }] },
  { items: [{ sku: '', quantity: 1 }] },
  { items: [{ sku: 'x'.repeat(201), quantity: 1 }] },
  { items: [{ quantity: 1 }] },
  { items: [null] },
  { items: 'all of them' },
  { cart: [{ sku: COFFEE_MACHINE, quantity: 1 }] },
];

const routes: RouteSpec[] = [
  // Public reads: only other methods are wrong (any query is ignored).
  { method: 'GET', path: '/api/catalogue', access: 'public', wrongValues: [] },
  { method: 'GET', path: '/api/settings', access: 'public', wrongValues: [] },
  { method: 'PUT', path: '/api/settings', access: 'admin', validBody: () => ({ requirePurchaseOrderNumber: true }), wrongValues: [{}, { requirePurchaseOrderNumber: 'yes' }, { requirePurchaseOrderNumber: 1 }, { requirePurchaseOrderNumber: true, extra: 1 }] },
  { method: 'POST', path: '/api/checkout/session', access: 'shopper', validBody: () => ({ items: [{ sku: COFFEE_MACHINE, quantity: 1 }] }), wrongValues: cartBodies },
  { method: 'POST', path: '/api/checkout/session/{orderId}', access: 'shopper', validBody: () => ({ items: [{ sku: COFFEE_MACHINE, quantity: 1 }] }), wrongValues: cartBodies },
  { method: 'GET', path: '/api/checkout/session/{orderId}', access: 'shopper', wrongValues: [] },
  {
    method: 'POST',
    path: '/api/checkout/session/{orderId}/purchase-order',
    access: 'shopper',
    validBody: () => ({ purchaseOrderNumber: 'PO-1' }),
    wrongValues: [{}, { purchaseOrderNumber: 17 }, { purchaseOrderNumber: 'x'.repeat(51) }, { purchaseOrderNumber: null }, { purchaseOrderNumber: 'PO-1', reference: 'x' }],
  },
  { method: 'GET', path: '/api/orders/{orderId}', access: 'admin', wrongValues: [] },
  {
    method: 'POST',
    path: '/api/orders/{orderId}/edit',
    access: 'admin',
    validBody: () => ({ lines: [{ reference: COFFEE_MACHINE, quantity: 5 }] }),
    wrongValues: [{}, { lines: [] }, { lines: [{ reference: COFFEE_MACHINE, quantity: -1 }] }, { lines: [{ reference: COFFEE_MACHINE, quantity: 1000 }] }, { lines: [{ reference: '', quantity: 1 }] }, { lines: [{ reference: COFFEE_MACHINE }] }],
  },
  {
    method: 'POST',
    path: '/api/orders/{orderId}/partial-capture',
    access: 'admin',
    validBody: () => ({ lines: [{ lineId, quantity: 1 }] }),
    wrongValues: [{}, { lines: [] }, { lines: [{ lineId: 'ol_x', quantity: -1 }] }, { lines: [{ lineId: 'ol_x', quantity: 1.5 }] }, { lines: [{ lineId: '', quantity: 1 }] }, { lines: [{ quantity: 1 }] }, { lines: Array.from({ length: 101 }, () => ({ lineId: 'ol_x', quantity: 1 })) }],
  },
  { method: 'POST', path: '/api/orders/{orderId}/capture', access: 'admin', validBody: () => ({}), wrongValues: [{ all: true }, { lines: [] }, []] },
  { method: 'POST', path: '/api/orders/{orderId}/ledgers/{ledgerId}/refund', access: 'admin', validBody: () => ({}), wrongValues: [{ amount: 1 }, { lines: [] }] },
  {
    method: 'POST',
    path: '/api/orders/{orderId}/ledgers/{ledgerId}/partial-refund',
    access: 'admin',
    validBody: () => ({ lines: [{ lineId, quantity: 1 }] }),
    wrongValues: [{}, { lines: [] }, { lines: [{ lineId: 'ol_x' }] }, { lines: [{ lineId: 'ol_x', quantity: 1, amount: 100 }] }, { lines: [{ lineId: 'ol_x', amount: 0 }] }, { lines: [{ lineId: 'ol_x', amount: 12.5 }] }, { lines: [{ lineId: 'ol_x', quantity: 0 }] }],
  },
  { method: 'POST', path: '/api/orders/{orderId}/cancel', access: 'admin', validBody: () => ({}), wrongValues: [{ reason: 'x' }, [], { lines: [] }] },
  {
    method: 'POST',
    path: '/api/ledyer/validate',
    access: 'ledyer',
    wrongValues: [{}, { merchantId: 'm' }, { orderId: 'or_x' }, { merchantId: '', orderId: '' }, { merchantId: 1, orderId: 2 }],
  },
  {
    method: 'POST',
    path: '/api/ledyer/notification',
    access: 'ledyer',
    wrongValues: [
      {},
      { eventType: 'com.ledyer.order.create' },
      { eventType: 'com.ledyer.order.create', merchantId: 'm' },
      { eventType: '', merchantId: 'm', orderId: 'or_x' },
      { eventType: 'x'.repeat(201), merchantId: 'm', orderId: 'or_x' },
      // Well formed, but about orders and sessions this shop never started: refused before Ledyer is asked.
      { eventType: 'com.ledyer.order.create', merchantId: 'm', orderId: 'or_forged' },
      { eventType: 'com.ledyer.order.cancel', merchantId: 'm', orderId: 'or_forged\u202e', storeId: null },
      { eventType: 'com.ledyer.checkout.session.awaiting_signatory', merchantId: 'm', sessionId: 'cs_forged' },
    ],
  },
];

/** Bodies that are no JSON object of any route's shape. */
const brokenBodies: Array<Buffer | string | 'chunked-10MB'> = [
  '',
  ' ',
  '{',
  '{"items": [',
  '[]',
  'null',
  '"a string"',
  '12',
  '{"a": 1,}',
  '{"items": [{"sku": "a", "quantity": 1}]',
  `{"lines": ${'['.repeat(5000)}${']'.repeat(5000)}}`,
  `{"x": "${'a'.repeat(17 * 1024)}"}`,
  Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from('{"purchaseOrderNumber": "\u0000\u0001"'),
  '\u0000',
  'requirePurchaseOrderNumber=true',
  'chunked-10MB',
];

const concrete = (path: string): string => path.replace('{orderId}', orderId).replace('{ledgerId}', ledgerId);

/** The headers a legitimate caller of this route sends, so each probe is wrong in one way only. */
function goodHeaders(access: Access, method: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['content-type'] = 'application/json';
  if (access === 'admin') headers['x-shop-admin-token'] = shop.adminToken;
  return headers;
}

/** Every probe for one route: bad path segments, wrong methods, guards, broken bodies, wrong values. */
function probesFor(route: RouteSpec): Probe[] {
  const probes: Probe[] = [];
  const headers = goodHeaders(route.access, route.method);
  const validBody = route.method === 'GET' ? undefined : JSON.stringify(route.validBody?.() ?? {});
  const badIds = ['%ZZ', '%', '%E0%A4%A', '%C3%28', '%FF', '%C0%AF', '%ED%A0%80', '%E2%82', '..', '.', '%2E%2E', 'x'.repeat(201), '%00%0A%0D'];
  for (const placeholder of ['{orderId}', '{ledgerId}']) {
    if (!route.path.includes(placeholder)) continue;
    for (const bad of badIds) probes.push({ method: route.method, path: concrete(route.path.replace(placeholder, bad)), headers, ...(validBody ? { body: validBody } : {}) });
  }
  // Methods no route has for this path (GET and POST share /api/checkout/session/{orderId}).
  const served = new Set(routes.filter((other) => other.path === route.path).map((other) => other.method));
  for (const method of ['DELETE', 'PATCH', 'OPTIONS', 'PUT', 'GET', 'POST'].filter((candidate) => !served.has(candidate))) {
    probes.push({ method, path: concrete(route.path), headers: goodHeaders(route.access, method), ...(method === 'GET' || !validBody ? {} : { body: validBody }) });
  }
  if (route.access === 'shopper' || route.access === 'admin') {
    const cross = [
      { ...headers, origin: 'https://evil.example' },
      { ...headers, origin: 'null' },
      { ...headers, 'sec-fetch-site': 'cross-site' },
      { ...headers, 'sec-fetch-site': 'same-site', origin: `http://localhost:1` },
    ];
    for (const crossHeaders of cross) probes.push({ method: route.method, path: concrete(route.path), headers: crossHeaders, ...(validBody ? { body: validBody } : {}) });
  }
  if (route.access === 'admin') {
    const { 'x-shop-admin-token': _token, ...withoutToken } = headers;
    for (const token of [null, '', 'wrong', shop.adminToken.slice(0, -1), `${shop.adminToken}x`]) {
      probes.push({ method: route.method, path: concrete(route.path), headers: token === null ? withoutToken : { ...withoutToken, 'x-shop-admin-token': token }, ...(validBody ? { body: validBody } : {}) });
    }
    if (route.method === 'POST') {
      for (const key of ['has spaces', 'k'.repeat(256), 'tab\there', 'ä-not-ascii']) {
        probes.push({ method: route.method, path: concrete(route.path), headers: { ...headers, 'idempotency-key': Buffer.from(key).toString('latin1') }, ...(validBody ? { body: validBody } : {}) });
      }
    }
  }
  if (route.method !== 'GET') {
    for (const type of [null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'text/json']) {
      if (route.access === 'ledyer') continue; // Ledyer's content type is not documented; its handlers read the body as it comes.
      const { 'content-type': _type, ...rest } = headers;
      probes.push({ method: route.method, path: concrete(route.path), headers: type === null ? rest : { ...rest, 'content-type': type }, body: validBody ?? '{}' });
    }
    for (const body of brokenBodies) probes.push({ method: route.method, path: concrete(route.path), headers, body });
    for (const value of route.wrongValues) probes.push({ method: route.method, path: concrete(route.path), headers, body: JSON.stringify(value) });
  }
  return probes;
}

/** Paths no route has, under /api/. */
const strayProbes: Probe[] = [
  { method: 'GET', path: '/api/' },
  { method: 'GET', path: '/api/orders' },
  { method: 'GET', path: '/api/orders/%ZZ/edit/more' },
  { method: 'POST', path: '/api/checkout/session/x/y/z', headers: { 'content-type': 'application/json' }, body: '{}' },
  { method: 'GET', path: '/api/%ZZ' },
  { method: 'GET', path: '/api/ledyer' },
  { method: 'PUT', path: '/api/catalogue', headers: { 'content-type': 'application/json' }, body: '{}' },
];

describe('the demo fuzz: malformed input at every shop route', () => {
  test('every route refuses every malformed input with a JSON 4xx, none with a 5xx, and nothing reaches Ledyer', async (t) => {
    const upstreamBefore = shop.upstream.length;
    const settingsBefore = JSON.stringify(shop.backend.settings);
    const failures: string[] = [];
    const perRoute = new Map<string, number>();
    let total = 0;
    for (const route of routes) {
      const probes = probesFor(route);
      perRoute.set(`${route.method} ${route.path}`, probes.length);
      for (const probe of [...probes]) {
        total += 1;
        const answer = await send(shop.url, probe);
        const refused = answer.status >= 400 && answer.status < 500;
        // -1: the server hung up on a 10 MB body it refused to read, which is a refusal too.
        if (!refused && answer.status !== -1) failures.push(`${probe.method} ${probe.path} ${JSON.stringify(probe.headers)} ${String(probe.body).slice(0, 60)} → ${answer.status} ${answer.body.slice(0, 120)}`);
        else if (refused && probe.method !== 'HEAD' && !answer.contentType.includes('application/json')) failures.push(`${probe.method} ${probe.path} → ${answer.status} is not JSON`);
      }
    }
    for (const probe of strayProbes) {
      total += 1;
      const answer = await send(shop.url, probe);
      if (answer.status < 400 || answer.status >= 500) failures.push(`${probe.method} ${probe.path} → ${answer.status}`);
    }
    t.diagnostic(`${total} malformed requests over ${perRoute.size} routes`);
    assert.deepEqual(failures, [], `${failures.length} of ${total} probes were not refused with a 4xx`);
    assert.ok(total >= 600, `${total} probes`);
    for (const [route, count] of perRoute) assert.ok(count >= (route.includes('/api/catalogue') || route.endsWith('/api/settings') ? 3 : 20), `${route}: only ${count} probes`);
    assert.deepEqual(shop.upstream.slice(upstreamBefore), [], 'no refused input sent anything to Ledyer');
    assert.equal(JSON.stringify(shop.backend.settings), settingsBefore, 'no refused input changed the settings');
  });

  test('the named cases of issue 11.5 say what is wrong', async () => {
    const upstreamBefore = shop.upstream.length;
    const admin = { 'x-shop-admin-token': shop.adminToken };
    const escape = await send(shop.url, { method: 'GET', path: '/api/orders/%ZZ', headers: admin });
    assert.equal(escape.status, 400);
    assert.match(escape.body, /orderId in the path is not valid percent-encoding/);
    const empty = await send(shop.url, { method: 'POST', path: sessionUrl(), headers: { 'content-type': 'application/json' }, body: '' });
    assert.equal(empty.status, 400, 'an empty body is no "no change"');
    assert.match(empty.body, /not valid JSON/);
    const utf8 = await send(shop.url, { method: 'POST', path: sessionUrl(), headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]) });
    assert.equal(utf8.status, 400);
    assert.match(utf8.body, /UTF-8/);
    const huge = await send(shop.url, { method: 'POST', path: `${sessionUrl()}/purchase-order`, headers: { 'content-type': 'application/json' }, body: 'chunked-10MB' });
    assert.equal(huge.status, 413);
    assert.match(huge.body, /at most 16384 bytes/);
    assert.deepEqual(shop.upstream.slice(upstreamBefore), []);
  });

  test('twin: the same routes with well-formed input do reach Ledyer and answer 200', async () => {
    const upstreamBefore = shop.upstream.length;
    const json = { 'content-type': 'application/json' };
    const created = await send(shop.url, { method: 'POST', path: '/api/checkout/session', headers: json, body: JSON.stringify({ items: [{ sku: COFFEE_MACHINE, quantity: 2 }] }) });
    assert.equal(created.status, 200, created.body);
    const fresh = (JSON.parse(created.body) as { orderId: string }).orderId;
    const saved = await send(shop.url, { method: 'POST', path: `${sessionUrl(fresh)}/purchase-order`, headers: json, body: '{"purchaseOrderNumber":"PO-9"}' });
    assert.equal(saved.status, 200, saved.body);
    const state = await send(shop.url, { method: 'GET', path: sessionUrl(fresh) });
    assert.match(state.body, /"state":"open"/);
    const view = await send(shop.url, { method: 'GET', path: `/api/orders/${orderId}`, headers: { 'x-shop-admin-token': shop.adminToken } });
    assert.equal(view.status, 200);
    assert.ok(shop.upstream.length > upstreamBefore, 'Ledyer was asked');
  });
});
