// Dev-server plugin for the element's browser tests.
// - `GET /__fake/flaky/<key>/bootstrap`: 404 on the first request for a key, the test
//   double afterwards, so `reload()` after `script-load-failed` can be shown to work.
// - The local sandbox (src/sandbox) is started for the run, and the plugin plays the
//   merchant's server with the sandbox's credentials, which never reach the browser:
//   - `POST /__ledyer/session` creates a session and answers `{ sessionId, orderId, url }`;
//   - `POST /__ledyer/session/{orderId}` with `{ quantity }` updates it as a cart change
//     does (the seed's coffee machines at that quantity, shipping kept; lines and totals);
//   - `GET /__ledyer/order/{orderId}` answers `{ order }`, the order as Ledyer's API gives it.
//   The dev server answers every plugin route with 200, so a failure is `{ error, status }`.
// - The server command `ledyer-checkout-frame` reads and clicks inside the sandbox's hosted
//   page. That iframe is cross-origin, so the test page cannot; the command goes through
//   the browser's own driver (puppeteer, under web-test-runner's Chrome launcher), so tests
//   assert what the buyer sees there.
import { readFile } from 'node:fs/promises';

const fakeBootstrap = new URL('./fixtures/fake-bootstrap.js', import.meta.url);

/** @param {AsyncIterable<Buffer>} request @returns {Promise<Record<string, unknown>>} */
async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

/** @param {unknown} body */
function jsonAnswer(body) {
  return { body: JSON.stringify(body), type: 'application/json' };
}

/** @param {number} status @param {string} error */
function failure(status, error) {
  return jsonAnswer({ error, status });
}

/**
 * @typedef {object} MerchantClient
 * @property {(body: unknown) => Promise<{ sessionId: string, orderId: string }>} createSession
 * @property {(orderId: string, body: any) => Promise<unknown>} updateSession
 * @property {(orderId: string) => Promise<unknown>} getOrder
 */
/**
 * @typedef {{ text: string | null }} FrameText
 * @typedef {{ action: 'text', selector: string }
 *   | { action: 'wait-for-text', selector: string, text: string, timeoutMs?: number }
 *   | { action: 'click', selector: string }} FrameAction
 */

export function sandboxPlugin() {
  const flakyKeys = new Set();
  /** @type {{ sandbox: { url: string, close(): Promise<void> }, client: MerchantClient, sessionBody(): Record<string, unknown>, buildOrder: (lines: any[]) => Record<string, unknown> } | null} */
  let ledyer = null;
  /** @type {unknown} */
  let startError = null;

  /**
   * The sandbox's checkout frame in the test's page, or null while there is none.
   * @param {{ browser: unknown, id: string }} session
   */
  function checkoutFrame(session) {
    const launcher = /** @type {{ type?: string, getPage?: (id: string) => { frames(): any[] } }} */ (session.browser);
    if (launcher.type !== 'puppeteer' || !launcher.getPage || !ledyer) throw new Error('ledyer-checkout-frame needs the Chrome launcher and the sandbox');
    const prefix = `${ledyer.sandbox.url}/checkout/`;
    return launcher.getPage(session.id).frames().find((frame) => String(frame.url()).startsWith(prefix)) ?? null;
  }

  return {
    name: 'ledyer-sandbox',
    async serverStart() {
      try {
        // Loaded lazily and as TypeScript: the runner runs under tsx.
        const { startSandbox } = await import('../../src/sandbox/index.js');
        const { createLedyerClient, buildOrder } = await import('../../src/server/index.js');
        const { seedCreateSessionRequest } = await import('../shared/seeds.js');
        const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
        const client = createLedyerClient({
          ...sandbox.credentials,
          environment: 'sandbox',
          baseUrls: { api: sandbox.url, auth: sandbox.url },
        });
        ledyer = { sandbox, client: /** @type {MerchantClient} */ (/** @type {unknown} */ (client)), sessionBody: seedCreateSessionRequest, buildOrder: (lines) => ({ ...buildOrder(lines) }) };
      } catch (error) {
        startError = error;
      }
    },
    async serverStop() {
      await ledyer?.sandbox.close();
    },
    /** @param {import('koa').Context} context */
    async serve(context) {
      const flaky = /^\/__fake\/flaky\/([\w-]+)\/bootstrap$/.exec(context.path);
      if (flaky && context.method === 'GET') {
        const key = flaky[1];
        if (!flakyKeys.has(key)) {
          flakyKeys.add(key);
          // Falls through to the static files: 404. The path has no extension because the
          // test runner marks every path with one cacheable for a year, 404s included.
          return undefined;
        }
        return { body: await readFile(fakeBootstrap, 'utf8'), type: 'application/javascript', headers: { 'cache-control': 'no-store' } };
      }
      if (!context.path.startsWith('/__ledyer/')) return undefined;
      if (ledyer === null) return failure(503, `sandbox not running: ${String(startError)}`);

      if (context.path === '/__ledyer/session' && context.method === 'POST') {
        const options = await readJson(context.req);
        /** @type {Record<string, unknown> & { settings?: Record<string, unknown> & { security?: Record<string, unknown> } }} */
        const body = structuredClone(ledyer.sessionBody());
        if (typeof options['requireClientValidation'] === 'boolean') {
          const settings = { ...(body.settings ?? {}) };
          settings.security = { ...(settings.security ?? {}), requireClientValidation: options['requireClientValidation'] };
          body.settings = settings;
        }
        const { sessionId, orderId } = await ledyer.client.createSession(body);
        return jsonAnswer({ sessionId, orderId, url: ledyer.sandbox.url });
      }

      const update = /^\/__ledyer\/session\/([\w-]+)$/.exec(context.path);
      if (update && context.method === 'POST') {
        const { quantity } = await readJson(context.req);
        if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
          return failure(400, `quantity: expected a whole number of at least 1, got ${JSON.stringify(quantity)}`);
        }
        // What a merchant's server sends on a cart change: lines and the three totals.
        const order = ledyer.buildOrder([
          { type: 'physical', reference: '111-222-333', description: 'Coffee Machine X200', quantity, unitPrice: 50000, vat: 2500 },
          { type: 'shippingFee', reference: '444-555-666', description: 'Shipping fee', quantity: 1, unitPrice: 10000, vat: 2500 },
        ]);
        return jsonAnswer(await ledyer.client.updateSession(update[1] ?? '', order));
      }

      const order = /^\/__ledyer\/order\/([\w-]+)$/.exec(context.path);
      if (order && context.method === 'GET') {
        try {
          return jsonAnswer({ order: await ledyer.client.getOrder(order[1] ?? '') });
        } catch (error) {
          const status = /** @type {{ status?: unknown }} */ (error).status;
          return failure(typeof status === 'number' ? status : 500, error instanceof Error ? error.message : String(error));
        }
      }
      return undefined;
    },
    /** @param {{ command: string, payload?: unknown, session: { browser: unknown, id: string } }} args */
    async executeCommand({ command, payload, session }) {
      if (command !== 'ledyer-checkout-frame') return undefined;
      const action = /** @type {FrameAction} */ (payload);
      const frame = checkoutFrame(session);
      if (!frame) throw new Error('no sandbox checkout frame in the page');
      switch (action.action) {
        case 'text':
          return { text: await frame.$eval(action.selector, (/** @type {Element} */ element) => element.textContent) };
        case 'wait-for-text':
          try {
            await frame.waitForFunction(
              (/** @type {string} */ selector, /** @type {string} */ text) => document.querySelector(selector)?.textContent === text,
              { timeout: action.timeoutMs ?? 10_000 },
              action.selector,
              action.text,
            );
          } catch {
            // Timed out: answer what is shown, so the assertion says what the buyer saw instead.
          }
          return { text: await frame.$eval(action.selector, (/** @type {Element} */ element) => element.textContent) };
        case 'click':
          // As a buyer would: once the button is visible, enabled and no longer moving (the
          // iframe may still be settling its height right after ready). A plain coordinate
          // click at that moment can land beside it on a loaded machine.
          await frame.locator(action.selector).setTimeout(10_000).click();
          return true;
        default:
          throw new Error(`unknown ledyer-checkout-frame action ${JSON.stringify(action)}`);
      }
    },
  };
}
