// Dev-server plugin for the element's browser tests.
// - `GET /__fake/flaky/<key>/bootstrap`: 404 on the first request for a key, the test
//   double afterwards, so `reload()` after `script-load-failed` can be shown to work.
// - The local sandbox (src/sandbox) is started for the run. `POST /__ledyer/session`
//   creates a session server-side with its credentials and answers `{ sessionId, orderId,
//   url }`: the credentials never reach the browser.
import { readFile } from 'node:fs/promises';

const fakeBootstrap = new URL('./fixtures/fake-bootstrap.js', import.meta.url);

/** @param {AsyncIterable<Buffer>} request @returns {Promise<{ requireClientValidation?: unknown }>} */
async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

export function sandboxPlugin() {
  const flakyKeys = new Set();
  /** @type {{ sandbox: { url: string, close(): Promise<void> }, client: { createSession(body: unknown): Promise<{ sessionId: string, orderId: string }> }, sessionBody(): Record<string, unknown> } | null} */
  let ledyer = null;
  /** @type {unknown} */
  let startError = null;

  return {
    name: 'ledyer-sandbox',
    async serverStart() {
      try {
        // Loaded lazily and as TypeScript: the runner runs under tsx.
        const { startSandbox } = await import('../../src/sandbox/index.js');
        const { createLedyerClient } = await import('../../src/server/index.js');
        const { seedCreateSessionRequest } = await import('../shared/seeds.js');
        const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
        const client = createLedyerClient({
          ...sandbox.credentials,
          environment: 'sandbox',
          baseUrls: { api: sandbox.url, auth: sandbox.url },
        });
        ledyer = { sandbox, client, sessionBody: seedCreateSessionRequest };
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
      if (context.path === '/__ledyer/session' && context.method === 'POST') {
        if (ledyer === null) {
          return { body: JSON.stringify({ error: `sandbox not running: ${String(startError)}` }), type: 'application/json' };
        }
        const options = await readJson(context.req);
        /** @type {Record<string, unknown> & { settings?: Record<string, unknown> & { security?: Record<string, unknown> } }} */
        const body = structuredClone(ledyer.sessionBody());
        if (typeof options.requireClientValidation === 'boolean') {
          const settings = { ...(body.settings ?? {}) };
          settings.security = { ...(settings.security ?? {}), requireClientValidation: options.requireClientValidation };
          body.settings = settings;
        }
        const { sessionId, orderId } = await ledyer.client.createSession(body);
        return { body: JSON.stringify({ sessionId, orderId, url: ledyer.sandbox.url }), type: 'application/json' };
      }
      return undefined;
    },
  };
}
