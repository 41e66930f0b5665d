/**
 * The element as a merchant's production build ships it: `src/index.ts` bundled by esbuild with
 * `process.env.NODE_ENV = "production"` (what Vite, webpack and the standalone bundle do), run in
 * Chromium. Every `ledyer-error` carries its stable code and a short `code: value` message, the
 * dev warnings are gone, and none of the long texts is in the bundle. The negative twin is the
 * same source bundled for development, which explains each error at length.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function bundle(production: boolean): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/index.ts'],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: production,
    write: false,
    logLevel: 'silent',
    ...(production ? { define: { 'process.env.NODE_ENV': '"production"' }, conditions: ['production'] } : {}),
  });
  return result.outputFiles[0]!.text;
}

/** Stands in for Ledyer's bootstrap.js: the iframe in the container and `window.ledyer.api`. */
const READY_BOOTSTRAP = `(() => {
  const script = document.currentScript;
  window.ledyer = { api: { suspend() {}, resume() {}, clientValidation(answer) { (window.answers ??= []).push(answer); } } };
  const frame = document.createElement('iframe');
  frame.src = '/frame.html';
  document.getElementById(script.dataset.containerId).append(frame);
})();`;

interface ErrorSeen {
  code: string;
  message: string;
  recoverable: boolean;
}

/** Mounts one element with `attributes` (and optionally a `validate`), and returns its first `ledyer-error`. */
function firstError(page: Page, setup: { attributes: Record<string, string>; where?: 'document' | 'shadow-root'; validateThrows?: string; second?: boolean }): Promise<ErrorSeen> {
  return page.evaluate(async ({ attributes, where, validateThrows, second }) => {
    document.body.replaceChildren();
    const make = () => {
      const element = document.createElement('ledyer-checkout');
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      return element;
    };
    const element = make();
    const heard = new Promise<ErrorSeen>((resolve) =>
      element.addEventListener('ledyer-error', (event) => {
        const { code, message, recoverable } = event as unknown as ErrorSeen;
        resolve({ code, message, recoverable });
      }, { once: true }),
    );
    if (validateThrows !== undefined) {
      (element as unknown as { validate: () => never }).validate = () => {
        throw new Error(validateThrows);
      };
      element.addEventListener('ledyer-ready', () => document.dispatchEvent(new Event('ledyerCheckoutWaitingForClientValidation')), { once: true });
    }
    if (second) document.body.append(make());
    if (where === 'shadow-root') document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' }).append(element);
    else document.body.append(element);
    return heard;
  }, setup);
}

describe('the element in a production build', () => {
  let server: Server;
  let browser: Browser;
  let origin: string;
  let production: string;
  let development: string;
  let page: Page;
  const warnings: string[] = [];

  before(async () => {
    [production, development] = await Promise.all([bundle(true), bundle(false)]);
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      const dev = path.startsWith('/dev/');
      const body: Record<string, [string, string]> = {
        '/': ['text/html', '<!doctype html><html lang="en"><head><script type="module" src="element.js"></script></head><body></body></html>'],
        '/element.js': ['text/javascript', dev ? development : production],
        '/ready.js': ['text/javascript', READY_BOOTSTRAP],
        '/no-iframe.js': ['text/javascript', ''],
        '/frame.html': ['text/html', '<!doctype html><title>checkout</title>'],
      };
      const found = body[dev ? path.slice(4) : path];
      if (!found) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': `${found[0]}; charset=utf-8`, 'cache-control': 'no-store' }).end(found[1]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env['CHROME_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    const context = await browser.newContext();
    // tsx compiles the functions handed to page.evaluate with keepNames, which calls a
    // `__name` helper that exists only in Node.
    await context.addInitScript('globalThis.__name = (target) => target;');
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => customElements.get('ledyer-checkout') !== undefined);
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const local = (path: string) => `${origin}${path}`;

  test('each ledyer-error carries its code and "code: value", the value that is wrong', async () => {
    const cases: Array<[Parameters<typeof firstError>[1], ErrorSeen]> = [
      [{ attributes: { 'session-id': 'cs abc', 'bootstrap-url': local('/ready.js') } }, { code: 'invalid-session-id', message: 'invalid-session-id: "cs abc"', recoverable: false }],
      [{ attributes: { 'session-id': 'cs_1', environment: 'live' } }, { code: 'invalid-environment', message: 'invalid-environment: "live"', recoverable: false }],
      [{ attributes: { 'session-id': 'cs_1', 'bootstrap-url': 'http://example.com/bootstrap.js' } }, { code: 'invalid-bootstrap-url', message: 'invalid-bootstrap-url: "http://example.com/bootstrap.js"', recoverable: false }],
      [{ attributes: { 'session-id': 'cs_1', 'bootstrap-url': local('/ready.js') }, where: 'shadow-root' }, { code: 'inside-shadow-root', message: 'inside-shadow-root', recoverable: false }],
      [{ attributes: { 'session-id': 'cs_1', 'bootstrap-url': local('/missing.js') } }, { code: 'script-load-failed', message: `script-load-failed: "${local('/missing.js')}"`, recoverable: true }],
      [{ attributes: { 'session-id': 'cs_1', 'bootstrap-url': local('/no-iframe.js'), 'load-timeout': '300' } }, { code: 'load-timeout', message: 'load-timeout: 300', recoverable: true }],
      [{ attributes: { 'session-id': 'cs_1', 'bootstrap-url': local('/ready.js') }, validateThrows: 'stock service down' }, { code: 'validation-failed', message: 'validation-failed: "stock service down; denied"', recoverable: true }],
    ];
    for (const [setup, expected] of cases) assert.deepEqual(await firstError(page, setup), expected);
  });

  test('the second checkout on a page says another-checkout-active', async () => {
    const seen = await page.evaluate(async (url) => {
      document.body.replaceChildren();
      const [first, second] = [0, 1].map((index) => {
        const element = document.createElement('ledyer-checkout');
        element.setAttribute('session-id', `cs_${index}`);
        element.setAttribute('bootstrap-url', url);
        return element;
      }) as unknown as [HTMLElement, HTMLElement];
      const heard = new Promise<{ code: string; message: string }>((resolve) => second.addEventListener('ledyer-error', (event) => resolve({ code: (event as unknown as ErrorSeen).code, message: (event as unknown as ErrorSeen).message }), { once: true }));
      document.body.append(first, second);
      return heard;
    }, local('/ready.js'));
    assert.deepEqual(seen, { code: 'another-checkout-active', message: 'another-checkout-active' });
  });

  test('no dev warning and none of the long texts: they compiled away', async () => {
    warnings.length = 0;
    await page.evaluate(async (url) => {
      document.body.replaceChildren();
      const element = document.createElement('ledyer-checkout');
      element.setAttribute('buy-button-color', 'blue');
      element.setAttribute('bootstrap-url', url);
      element.setAttribute('session-id', 'cs_warn');
      document.body.append(element);
      await new Promise((resolve) => element.addEventListener('ledyer-ready', resolve, { once: true }));
      (element as unknown as { resume(): void }).resume();
    }, local('/ready.js'));
    assert.deepEqual(warnings, []);
    for (const devText of ['is not a Ledyer session id', 'Client validation failed', 'invalid-buy-button-color', 'resume() was called more often']) {
      assert.ok(!production.includes(devText), `the production bundle contains "${devText}"`);
      assert.ok(development.includes(devText), `the development bundle lacks "${devText}"`);
    }
  });

  test('negative twin: the development build explains each error at length, and warns', async () => {
    warnings.length = 0;
    await page.goto(`${origin}/dev/`);
    await page.waitForFunction(() => customElements.get('ledyer-checkout') !== undefined);
    const invalid = await firstError(page, { attributes: { 'session-id': 'cs abc', 'bootstrap-url': local('/ready.js'), 'buy-button-color': 'blue' } });
    assert.equal(invalid.code, 'invalid-session-id');
    assert.match(invalid.message, /^session-id "cs abc" is not a Ledyer session id/);
    const failed = await firstError(page, { attributes: { 'session-id': 'cs_1', 'bootstrap-url': local('/missing.js'), 'buy-button-color': 'blue' } });
    assert.match(failed.message, /^Ledyer's script failed to load from http:\/\/127\.0\.0\.1:\d+\/missing\.js \(network, 404 or Content-Security-Policy/);
    assert.deepEqual(warnings.map((line) => /^\[ledyer-checkout\] ([a-z-]+):/.exec(line)?.[1]), ['invalid-buy-button-color']);
  });
});
