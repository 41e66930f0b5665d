/** `toNodeListener` on a real node:http server on 127.0.0.1, and the whole purchase path through it. */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { buildOrder, createCheckoutHandler, createLedyerClient, createValidateHandler, type FetchHandler } from '../../src/server/index.js';
import { toNodeListener, type NodeListener } from '../../src/server/node.js';
import { CLIENT_ID, CLIENT_SECRET, sessionCreated, startFakeLedyer, type FakeLedyer } from './fake-ledyer.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw request with a chunked body that keeps coming, so no Content-Length is sent. */
function postChunked(url: string, chunks: number, chunkSize: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    let sent = 0;
    const pump = (): void => {
      while (sent < chunks) {
        sent += 1;
        if (!req.write(Buffer.alloc(chunkSize, 32))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** A client double for handlers whose upstream these tests never reach. */
const stubClient = {
  createSession: async () => sessionCreated,
  updateSession: async () => sessionCreated,
  getPaymentStatus: async () => ({ status: 'orderInitiated' as const }),
};

describe('toNodeListener', () => {
  test('passes method, URL, headers and a streamed body in; status, headers, cookies and body out', async () => {
    const echo: FetchHandler = async (request) => {
      const text = await request.text();
      const headers = new Headers({ 'content-type': 'application/json', 'x-seen': request.headers.get('x-custom') ?? '' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(JSON.stringify({ method: request.method, url: request.url, text }), { status: 201, headers });
    };
    const url = await listen(toNodeListener(echo));
    const response = await fetch(`${url}/api/echo?x=1`, { method: 'POST', headers: { 'x-custom': 'yes', 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-seen'), 'yes');
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2']);
    const body = (await response.json()) as { method: string; url: string; text: string };
    assert.equal(body.method, 'POST');
    assert.equal(body.text, 'hello');
    assert.equal(new URL(body.url).pathname + new URL(body.url).search, '/api/echo?x=1');
  });

  test("a declared Content-Length over the adapter's cap does not pre-empt the handler: it answers in its own words", async () => {
    const checkout = createCheckoutHandler({ client: stubClient, resolveOrder: () => { throw new Error('unreachable'); } });
    const url = await listen(toNodeListener(checkout, { maxBodyBytes: 1024 * 1024 }));
    const response = await fetch(`${url}/api/checkout/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(response.status, 413);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'body_too_large');
    // The checkout handler's own limit (16 KiB), not the adapter's 1 MiB.
    assert.match(body.error.message, /at most 16384 bytes/);
  });

  test("an oversized validate callback gets the validate handler's own declined 400, declared or chunked", async () => {
    let calls = 0;
    const validate = createValidateHandler(() => ((calls += 1), { proceed: true }), { onError: () => undefined });
    const url = await listen(toNodeListener(validate, { maxBodyBytes: 4096 }));
    const declared = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(8192) });
    assert.equal(declared.status, 400);
    const text = await declared.text();
    assert.match(text, /"code":"body_too_large"/);
    assert.match(text, /declined: the body must be at most 4096 bytes/);
    const chunked = await postChunked(url, 64, 1024);
    assert.equal(chunked.status, 400);
    assert.match(chunked.body, /declined/);
    assert.equal(calls, 0);
  });

  test('a handler that does not read the body answers normally past the cap, and the connection is closed', async () => {
    const url = await listen(toNodeListener(async () => new Response('not reading that'), { maxBodyBytes: 1024 }));
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(4096) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('connection'), 'close');
    assert.equal(await response.text(), 'not reading that');
  });

  test('a chunked body under the limit arrives whole', async () => {
    const url = await listen(toNodeListener(async (request) => new Response(String((await request.arrayBuffer()).byteLength)), { maxBodyBytes: 64 * 1024 }));
    const response = await postChunked(url, 16, 1024);
    assert.equal(response.status, 200);
    assert.equal(response.body, String(16 * 1024));
  });

  test("the handler's request.signal aborts when the client hangs up", async () => {
    let started: () => void = () => undefined;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let resolveAborted: (value: boolean) => void = () => undefined;
    const aborted = new Promise<boolean>((resolve) => (resolveAborted = resolve));
    const url = await listen(
      toNodeListener(async (request) => {
        started();
        await new Promise((resolve) => request.signal.addEventListener('abort', () => resolve(resolveAborted(true))));
        return new Response('late');
      }),
    );
    const controller = new AbortController();
    const pending = fetch(url, { signal: controller.signal }).catch(() => 'aborted');
    await handlerStarted;
    controller.abort();
    assert.equal(await pending, 'aborted');
    // The handler waits on nothing but its signal, so this only settles if the hang-up reached it.
    assert.equal(await aborted, true);
  });

  test("a finished request's signal does not abort", async () => {
    let signal: AbortSignal | undefined;
    const url = await listen(toNodeListener(async (request) => ((signal = request.signal), new Response('ok'))));
    assert.equal(await (await fetch(url)).text(), 'ok');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(signal?.aborted, false);
  });

  test('a body already parsed by express.json() is handed on', async () => {
    const listener: NodeListener = toNodeListener(async (request) => Response.json(await request.json()));
    const url = await listen(async (req, res) => {
      // What express.json() leaves behind: a consumed stream and req.body.
      let text = '';
      for await (const chunk of req) text += chunk;
      (req as IncomingMessage & { body?: unknown }).body = JSON.parse(text);
      listener(req, res);
    });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [1, 2] }) });
    assert.deepEqual(await response.json(), { items: [1, 2] });
  });

  test('a body read by something in front, with nothing left as req.body, is a clear JSON answer, not a hang or a crash', async () => {
    const checkout = toNodeListener(createCheckoutHandler({ client: stubClient, resolveOrder: () => { throw new Error('unreachable'); }, onError: () => undefined }));
    const validate = toNodeListener(createValidateHandler(() => ({ proceed: true }), { onError: () => undefined }));
    const url = await listen(async (req, res) => {
      for await (const chunk of req) void chunk; // a middleware that drains the body and keeps nothing
      (req.url?.startsWith('/validate') ? validate : checkout)(req, res);
    });
    const post = (path: string) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'x', quantity: 1 }] }) });
    const checkoutAnswer = await post('/api/checkout/session');
    assert.equal(checkoutAnswer.status, 500);
    const body = (await checkoutAnswer.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'body_already_read');
    assert.match(body.error.message, /mount the handler before any body parser/);
    const validateAnswer = await post('/validate');
    assert.equal(validateAnswer.status, 400);
    assert.match(await validateAnswer.text(), /declined: the request body was already read/);
  });

  test('a throwing handler is a 500 JSON answer, or goes to next() under Express', async () => {
    const boom: FetchHandler = async () => {
      throw new Error('boom');
    };
    const plain = await listen(toNodeListener(boom));
    const response = await fetch(plain);
    assert.equal(response.status, 500);
    assert.doesNotMatch(await response.text(), /boom/);

    let forwarded: unknown;
    const listener = toNodeListener(boom);
    const express = await listen((req, res) =>
      listener(req, res, (error) => {
        forwarded = error;
        res.statusCode = 599;
        res.end();
      }),
    );
    assert.equal((await fetch(express)).status, 599);
    assert.equal((forwarded as Error).message, 'boom');
  });
});

describe('the purchase path end to end over loopback', () => {
  test('browser cart → checkout handler → client → fake Ledyer → { sessionId, orderId, expiresAt }', async () => {
    const fake: FakeLedyer = await startFakeLedyer({ api: () => ({ status: 200, json: sessionCreated }) });
    open.push(fake);
    const client = createLedyerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'sandbox', baseUrls: { api: fake.url, auth: fake.url }, retryDelayMs: 1 });
    const handler = createCheckoutHandler({
      client,
      resolveOrder: (items) => ({
        country: 'SE',
        currency: 'SEK',
        locale: 'sv-SE',
        settings: { urls: { terms: 'https://shop.example/terms' } },
        ...buildOrder([
          ...items.map((item) => ({ reference: item.sku, description: 'Coffee Machine X200', quantity: item.quantity, unitPrice: 50000, vat: 2500 })),
          { type: 'shippingFee' as const, reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500 },
        ]),
      }),
    });
    const shop = await listen(toNodeListener(handler));
    const response = await fetch(`${shop}/api/checkout/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: '111-222-333', quantity: 10, unitPrice: 1 }] }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), sessionCreated);
    const sent = JSON.parse(fake.apiRequests[0]!.body) as Record<string, number>;
    assert.deepEqual([sent['totalOrderAmount'], sent['totalOrderVatAmount'], sent['totalOrderAmountExclVat']], [510000, 102000, 408000]);
  });

  test('Ledyer down end to end: the browser gets 502 and no detail', async () => {
    const fake: FakeLedyer = await startFakeLedyer({ api: () => ({ status: 503, json: { errors: [{ message: 'internal detail' }] } }) });
    open.push(fake);
    const client = createLedyerClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, environment: 'sandbox', baseUrls: { api: fake.url, auth: fake.url }, retryDelayMs: 1, retries: 1 });
    const handler = createCheckoutHandler({
      client,
      onError: () => undefined,
      resolveOrder: () => ({
        country: 'SE',
        currency: 'SEK',
        locale: 'sv-SE',
        settings: { urls: { terms: 'https://shop.example/terms' } },
        ...buildOrder([{ reference: 'x', description: 'X', quantity: 1, unitPrice: 100, vat: 2500 }]),
      }),
    });
    const shop = await listen(toNodeListener(handler));
    const response = await fetch(`${shop}/api/checkout/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'x', quantity: 1 }] }) });
    assert.equal(response.status, 502);
    assert.doesNotMatch(await response.text(), /internal detail/);
    assert.equal(fake.apiRequests.length, 2);
  });
});
