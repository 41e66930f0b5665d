/**
 * A tiny merchant for the testing kit's suites, built only from the package's public parts:
 * a page with `<ledyer-checkout bootstrap-url="…">` (the element bundled from src/index.ts),
 * a session endpoint (`createCheckoutHandler` + `createLedyerClient(kit.clientOptions)`), and
 * the validate and notification URLs (`createValidateHandler`, `createNotificationHandler`).
 *
 * The page's query decides the case: `qty` (coffee machines, default 10), `validation=deny`
 * or `validation=proceed` (the session requires client validation and the page answers so),
 * `sid` (mount this session instead of creating one), `bootstrap` (another script URL).
 * `window.changeQuantity(n)` changes the cart while the checkout is open.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import {
  buildOrder,
  createCheckoutHandler,
  createLedyerClient,
  createNotificationHandler,
  createValidateHandler,
  type CreateSessionRequestInput,
  type NotificationCallback,
} from '../../src/server/index.js';
import { toNodeListener } from '../../src/server/node.js';
import type { LedyerSandbox } from '../../src/testing/index.js';

export const PO_DENIAL = { title: 'Purchase order number required', message: 'Enter your PO number in the cart.' };
export const CREDIT_DECLINE = { title: 'Credit limit reached', body: 'Ask your account manager to raise the limit.' };

export interface MerchantShop {
  url: string;
  /** The notifications the shop's handler took, in order. */
  received: NotificationCallback[];
  /** The orderId of each session the shop created, by sessionId. */
  orderIds: Map<string, string>;
  /** How the shop's validate URL answers: proceed, or decline with `CREDIT_DECLINE` (422). */
  validateAnswer: 'proceed' | 'decline';
  /** The next this-many notifications get a 500 (the handler throws), so the sandbox retries. */
  failNotifications: number;
  close(): Promise<void>;
}

let elementBundle: Promise<string> | undefined;

/** `src/index.ts` bundled for the browser, as the standalone build does (Lit inside). */
export function elementScript(): Promise<string> {
  elementBundle ??= build({
    entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return elementBundle;
}

function page(bootstrapUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Merchant</title>
<script type="module" src="/element.js"></script></head>
<body>
<h1>Checkout</h1>
<p id="shop-error" role="alert" hidden></p>
<ledyer-checkout bootstrap-url="${bootstrapUrl}"></ledyer-checkout>
<script type="module">
const query = new URLSearchParams(location.search);
const validation = query.get('validation');
const checkout = document.querySelector('ledyer-checkout');
if (query.has('bootstrap')) checkout.bootstrapUrl = query.get('bootstrap');
checkout.addEventListener('ledyer-validate', (event) => {
  if (validation === 'deny') event.respondWith({ proceed: false, ...${JSON.stringify(PO_DENIAL)} });
  else event.respondWith({ proceed: true });
});
const answer = query.has('sid') ? null : await fetch('/api/checkout/session?' + query, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ items: [{ sku: 'coffee-x200', quantity: Number(query.get('qty') ?? 10) }] }),
});
// The cart changes while the checkout is open, as Ledyer's plugins do it: suspend, update, resume.
window.changeQuantity = (quantity) => checkout.withSuspended(() =>
  fetch('/api/checkout/cart', { method: 'POST', body: JSON.stringify({ sessionId: checkout.sessionId, quantity }) }));
if (!answer) {
  checkout.sessionId = query.get('sid');
} else if (answer.ok) {
  checkout.sessionId = (await answer.json()).sessionId;
} else {
  const error = document.getElementById('shop-error');
  error.textContent = 'The checkout could not be started (' + answer.status + ').';
  error.hidden = false;
}
</script>
</body></html>`;
}

export async function startMerchantShop(kit: LedyerSandbox): Promise<MerchantShop> {
  const script = await elementScript();
  // Few, fast retries: a fault test should not wait for production backoff.
  const client = createLedyerClient({ ...kit.clientOptions, retries: 1, retryDelayMs: 10 });
  const quiet = { onError: () => {} };
  let origin = '';
  const shop: MerchantShop = {
    url: '',
    received: [],
    orderIds: new Map(),
    validateAnswer: 'proceed',
    failNotifications: 0,
    close: async () => {},
  };
  const checkout = toNodeListener(
    createCheckoutHandler({
      client,
      onSession: (created) => shop.orderIds.set(created.sessionId, created.orderId),
      ...quiet,
      resolveOrder: (items, { request }) => sessionFor(items[0]?.quantity ?? 1, new URL(request.url).searchParams.has('validation')),
    }),
  );
  /** A session for `quantity` coffee machines plus shipping, priced here, never by the page. */
  function sessionFor(quantity: number, requireClientValidation: boolean): CreateSessionRequestInput {
    return {
      country: 'SE',
      currency: 'SEK',
      locale: 'sv-SE',
      settings: {
        security: { requireClientValidation },
        urls: { terms: `${origin}/terms`, validate: `${origin}/ledyer/validate`, notification: `${origin}/ledyer/notification` },
      },
      ...buildOrder([
        { reference: 'coffee-x200', description: 'Coffee Machine X200', quantity, unitPrice: 50000, vat: 2500 },
        { type: 'shippingFee', reference: 'shipping', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500 },
      ]),
    };
  }
  /** The cart changed while the checkout is open: `{ sessionId, quantity }` → update the session (the page suspends around it). */
  async function updateCart(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const { sessionId, quantity } = JSON.parse(text) as { sessionId: string; quantity: number };
    const orderId = shop.orderIds.get(sessionId);
    if (!orderId) return void response.writeHead(404).end();
    await client.updateSession(orderId, sessionFor(quantity, false));
    response.writeHead(204).end();
  }
  const validate = toNodeListener(
    createValidateHandler(() => (shop.validateAnswer === 'decline' ? { proceed: false, ...CREDIT_DECLINE } : { proceed: true }), quiet),
  );
  const notification = toNodeListener(
    createNotificationHandler((event) => {
      if (shop.failNotifications > 0) {
        shop.failNotifications -= 1;
        throw new Error('the shop is down for a moment');
      }
      shop.received.push(event);
    }, quiet),
  );
  const server: Server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/api/checkout/session') return checkout(request, response);
    if (pathname === '/api/checkout/cart') return void updateCart(request, response).catch(() => response.writeHead(500).end());
    if (pathname === '/ledyer/validate') return validate(request, response);
    if (pathname === '/ledyer/notification') return notification(request, response);
    if (pathname === '/element.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (pathname === '/') return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(kit.bootstrapUrl));
    if (pathname === '/favicon.ico') return void response.writeHead(204).end();
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  shop.url = origin;
  shop.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return shop;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROME_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}
