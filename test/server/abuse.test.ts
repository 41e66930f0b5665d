/**
 * Malformed input at every HTTP surface of the server helper (issue 11.5), over a real
 * node:http server through `toNodeListener`: hundreds of bad paths, methods, headers and
 * bodies, generated from a fixed seed. Each must get a 4xx that says what is wrong, never
 * a 5xx, and must cause no upstream call: Ledyer is never asked about a refused input, and
 * the merchant's functions never see one.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  createCheckoutHandler,
  createNotificationHandler,
  createValidateHandler,
  type CheckoutHandlerOptions,
  type FetchHandler,
  type Order,
  type VerifiedNotificationHandlerOptions,
} from '../../src/server/index.js';
import { toNodeListener } from '../../src/server/node.js';

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

interface Answer {
  status: number;
  body: string;
}

/** Sends a probe byte for byte as given (raw path, no URL normalisation by a client library). */
function send(base: string, probe: Probe): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = httpRequest({ hostname, port, method: probe.method, path: probe.path, headers: probe.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may answer and close before it has read an oversized body.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: -1, body: '' }) : reject(error)));
    req.end(probe.body ?? undefined);
  });
}

const json = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Bodies that are never a valid cart, a valid validate callback or a valid notification. */
function badBodies(random: () => number): Buffer[] {
  const scalars: unknown[] = [null, true, 0, -1, 1.5, 1e308, '', 'x', [], {}, [1], { a: 1 }];
  const fixed: Buffer[] = [
    Buffer.alloc(0),
    json('{'),
    json('{"items": ['),
    json('[]'),
    json('null'),
    json('"a string"'),
    json('{"items": [{"sku": "a", "quantity": 1}]'), // truncated
    json('{"items": [{"sku": "a", "quantity": 1},]}'), // trailing comma
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), // invalid UTF-8
    Buffer.from([0xc3, 0x28]),
    json(`{"items": ${'['.repeat(5000)}${']'.repeat(5000)}}`),
    json('{"__proto__": {"items": [{"sku": "a", "quantity": 1}]}, "eventType": null}'),
    json({ items: [{ sku: 'a', quantity: '1' }], eventType: 1, merchantId: [], orderId: {} }),
    json({ items: [{ sku: '', quantity: 1 }], eventType: '', merchantId: 'ac_1', orderId: '' }),
    json({ items: [{ sku: 'a'.repeat(201), quantity: 1 }], merchantId: 'ac_1' }),
    json({ items: [{ sku: 'a', quantity: 0 }], orderId: 'or_1' }),
    json({ items: [{ sku: 'a', quantity: 1001 }], eventType: 'x' }),
    json({ items: Array.from({ length: 101 }, () => ({ sku: 'a', quantity: 1 })), merchantId: 7 }),
    json({ items: Array.from({ length: 11 }, () => ({ sku: 'a', quantity: 99 })) }),
    json({ items: [{ sku: 'a', quantity: Number.MAX_SAFE_INTEGER + 2 }] }),
    json(' '.repeat(17 * 1024)),
    Buffer.alloc(200 * 1024, 0x61),
  ];
  const generated = Array.from({ length: 60 }, () => {
    const item: Record<string, unknown> = {};
    if (random() < 0.7) item['sku'] = pick(random, [...scalars, 'ok']);
    if (random() < 0.7) item['quantity'] = pick(random, [...scalars.filter((value) => value !== 1.5), 0, -5, 1001, '3']);
    // Always break the item somewhere, so no generated cart is valid.
    if (typeof item['sku'] === 'string' && item['sku'] !== '' && typeof item['quantity'] === 'number') item['quantity'] = -1;
    const body: Record<string, unknown> = { items: random() < 0.8 ? [item] : pick(random, scalars) };
    // For the callbacks: merchantId always missing or not a string.
    body['merchantId'] = pick(random, [undefined, null, 1, [], {}]);
    if (random() < 0.5) body['eventType'] = pick(random, scalars);
    if (random() < 0.5) body['orderId'] = pick(random, [...scalars, 'or_1']);
    return json(body);
  });
  return [...fixed, ...generated];
}

const badSegments = ['%ZZ', '%', '%E0%A4%A', 'o'.repeat(201), '%00%ZZ', 'or_1%'];

interface Surface {
  name: string;
  base: string;
  /** Paths under which this surface answers. */
  paths: string[];
}

describe('malformed input at every HTTP surface', () => {
  const upstream: string[] = [];
  const servers: Server[] = [];
  const surfaces: Surface[] = [];
  const shouldNeverRun = (what: string) => () => {
    upstream.push(what);
    throw new Error(`${what} must not run for a refused input`);
  };

  before(async () => {
    const client: CheckoutHandlerOptions['client'] = {
      createSession: shouldNeverRun('createSession'),
      updateSession: shouldNeverRun('updateSession'),
      getPaymentStatus: shouldNeverRun('getPaymentStatus'),
    };
    const readBack: VerifiedNotificationHandlerOptions['client'] = {
      getOrder: shouldNeverRun('getOrder') as () => Promise<Order>,
      getPaymentStatus: shouldNeverRun('getPaymentStatus (notification)'),
    };
    const quiet = { onError: () => undefined };
    const handlers: Array<[string, FetchHandler, string[]]> = [
      ['checkout', createCheckoutHandler({ client, resolveOrder: shouldNeverRun('resolveOrder'), ...quiet }), ['/api/checkout/session']],
      ['validate', createValidateHandler(shouldNeverRun('validate function'), quiet), ['/ledyer/validate']],
      ['notification', createNotificationHandler(shouldNeverRun('notification function'), { client: readBack, ...quiet }), ['/ledyer/notification']],
      ['notification (body only)', createNotificationHandler(shouldNeverRun('notification function'), quiet), ['/ledyer/notification']],
    ];
    for (const [name, handler, paths] of handlers) {
      const server = createServer(toNodeListener(handler));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      surfaces.push({ name, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths });
    }
  });
  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  function probesFor(surface: Surface, random: () => number): Probe[] {
    const bodies = badBodies(random);
    const contentTypes = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', ''];
    const probes: Probe[] = [];
    for (const path of surface.paths) {
      for (const body of bodies) {
        const contentType = pick(random, contentTypes);
        probes.push({ method: 'POST', path, headers: contentType ? { 'content-type': contentType } : {}, body });
      }
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) probes.push({ method, path, headers: {}, body: null });
      if (surface.name === 'checkout') {
        for (const segment of badSegments) {
          probes.push({ method: 'GET', path: `${path}/${segment}`, headers: {}, body: null });
          probes.push({ method: 'POST', path: `${path}/${segment}`, headers: { 'content-type': 'application/json' }, body: json({ items: [{ sku: 'a', quantity: 1 }] }) });
        }
        for (const body of bodies) probes.push({ method: 'POST', path: `${path}/or_1`, headers: { 'content-type': 'application/json' }, body });
        for (const outside of ['/', '/api', '/api/checkout/session/or_1/x', '/api/checkout/sessionX', '/%ZZ']) {
          probes.push({ method: 'POST', path: outside, headers: { 'content-type': 'application/json' }, body: json({ items: [{ sku: 'a', quantity: 1 }] }) });
        }
      }
    }
    return probes;
  }

  test('hundreds of malformed requests: every answer a 4xx with a JSON reason (or a closed oversized upload), none 5xx, nothing upstream', async () => {
    const random = prng(0x1edbe7);
    let sent = 0;
    const statuses = new Map<number, number>();
    for (const surface of surfaces) {
      for (const probe of probesFor(surface, random)) {
        const answer = await send(surface.base, probe);
        sent += 1;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const label = `${surface.name}: ${probe.method} ${probe.path} ${probe.body?.subarray(0, 60).toString('utf8') ?? ''}`;
        assert.ok(answer.status === -1 || (answer.status >= 400 && answer.status < 500), `${label} → ${answer.status} ${answer.body}`);
        if (answer.status !== -1) {
          const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
          assert.equal(typeof parsed.error?.code, 'string', `${label}: ${answer.body}`);
          assert.equal(typeof parsed.error?.message, 'string', `${label}: ${answer.body}`);
        }
      }
    }
    assert.ok(sent >= 400, `only ${sent} probes`);
    assert.deepEqual(upstream, [], 'no refused input reached Ledyer or the merchant');
    assert.ok(![...statuses.keys()].some((status) => status >= 500), JSON.stringify([...statuses]));
  });
});
