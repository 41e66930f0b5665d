/**
 * `ledyer-checkout/server` on a Fetch-only runtime (issue 13.4). The entry is bundled the way
 * an edge platform bundles it (esbuild, platform `neutral`: no Node builtins resolve, so any
 * `node:` import fails the build), then run in a `node:vm` context that has only Fetch-era
 * globals: no `process`, `Buffer` or `require`. Inside it, the client and the checkout
 * handler talk to the real sandbox, which runs in this (host) Node.
 *
 * The negative twins use the same harness: code that reaches for `Buffer` or `process`
 * fails in that context, and a `node:` import fails the bundle, so the positive test can fail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles `entry` (relative to the project root) as an edge platform would; the build throws on a `node:` import. */
async function bundleForEdge(entry: { file: string } | { source: string }): Promise<string> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [`${root}${entry.file}`] }
      : { stdin: { contents: entry.source, resolveDir: `${root}test/server`, loader: 'ts' } }),
    bundle: true,
    write: false,
    platform: 'neutral',
    // `neutral` picks no package fields by itself; these are what edge bundlers use for ESM packages.
    mainFields: ['module', 'main'],
    conditions: ['import', 'default'],
    format: 'iife',
    globalName: 'edgeModule',
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Only what a Fetch-API edge runtime offers. */
function edgeGlobals(): Record<string, unknown> {
  return {
    fetch,
    Request,
    Response,
    Headers,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    crypto: globalThis.crypto,
    AbortController,
    AbortSignal,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    structuredClone,
    console,
    btoa,
    atob,
    ReadableStream,
  };
}

/**
 * Runs `bundle` in a fresh edge-like context, then `script` (an async function body that
 * sees the bundle's exports as `edgeModule` and `input`), and resolves with what it returns,
 * passed out as JSON so the host compares plain host-realm values.
 */
async function runInEdge(bundle: string, script: string, input: unknown = null): Promise<unknown> {
  const context = vm.createContext({ ...edgeGlobals(), input });
  new vm.Script(bundle, { filename: 'edge-bundle.js' }).runInContext(context);
  const run = new vm.Script(`(async () => JSON.stringify(await (async () => { ${script} })()))()`, { filename: 'edge-script.js' });
  const json = (await run.runInContext(context)) as string | undefined;
  return json === undefined ? undefined : JSON.parse(json);
}

describe('the server entry on a Fetch-only runtime', () => {
  let sandbox: RunningSandbox;
  let serverBundle: string;

  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    serverBundle = await bundleForEdge({ file: 'src/server/index.ts' });
  });
  after(() => sandbox.close());

  test('the context really is edge-like: no process, Buffer or require', async () => {
    const seen = await runInEdge('', 'return [typeof process, typeof Buffer, typeof require, typeof fetch, typeof crypto.randomUUID];');
    assert.deepEqual(seen, ['undefined', 'undefined', 'undefined', 'function', 'function']);
  });

  test('the client creates a session and reads it back from the sandbox', async () => {
    const result = (await runInEdge(
      serverBundle,
      `
      const client = edgeModule.createLedyerClient({
        ...input.credentials,
        environment: 'sandbox',
        baseUrls: { api: input.url, auth: input.url },
      });
      const order = edgeModule.buildOrder([{ reference: 'coffee-x200', description: 'Coffee Machine X200', quantity: 2, unitPrice: 50000, vat: 2500 }]);
      const created = await client.createSession({
        country: 'SE', currency: 'SEK', locale: 'sv-SE',
        settings: { urls: { terms: 'https://shop.example/terms' } },
        ...order,
      });
      const session = await client.getSession(created.orderId);
      return { created, session: { id: session.id, orderId: session.orderId, total: session.order.totalOrderAmount } };
      `,
      { url: sandbox.url, credentials: sandbox.credentials },
    )) as { created: { sessionId: string; orderId: string; expiresAt: string }; session: { id: string; orderId: string; total: number } };
    assert.match(result.created.orderId, /^or_/);
    assert.equal(result.session.id, result.created.sessionId);
    assert.equal(result.session.orderId, result.created.orderId);
    assert.equal(result.session.total, 100000);
  });

  test('a non-ASCII client id is sent as UTF-8 Basic credentials (btoa alone would throw)', async () => {
    const nonAscii = await startSandbox({ port: 0, merchant: { clientId: 'köpare-Ö-🧾', clientSecret: 'hemlighet-å' } });
    try {
      const status = await runInEdge(
        serverBundle,
        `
        const client = edgeModule.createLedyerClient({ ...input.credentials, environment: 'sandbox', baseUrls: { api: input.url, auth: input.url } });
        return (await client.getPaymentStatus('or_unknown').catch((error) => error)).status;
        `,
        { url: nonAscii.url, credentials: nonAscii.credentials },
      );
      // 404 from the API means the token request with those credentials was accepted.
      assert.equal(status, 404);
    } finally {
      await nonAscii.close();
    }
  });

  test('the checkout handler answers a cart with a session, a bad cart with 400, and the new checkout\'s state', async () => {
    const result = (await runInEdge(
      serverBundle,
      `
      const client = edgeModule.createLedyerClient({ ...input.credentials, environment: 'sandbox', baseUrls: { api: input.url, auth: input.url } });
      const handler = edgeModule.createCheckoutHandler({
        client,
        resolveOrder: (items) => ({
          country: 'SE', currency: 'SEK', locale: 'sv-SE',
          settings: { urls: { terms: 'https://shop.example/terms' } },
          ...edgeModule.buildOrder(items.map((item) => ({ reference: item.sku, description: 'Filter pack', quantity: item.quantity, unitPrice: 9900, vat: 2500 }))),
        }),
      });
      const post = (body) => handler(new Request('https://shop.example/api/checkout/session', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      }));
      const good = await post({ items: [{ sku: 'filter-pack', quantity: 3 }] });
      const bad = await post({ items: [{ sku: 'filter-pack', quantity: 0 }] });
      const created = await good.json();
      const status = await handler(new Request('https://shop.example/api/checkout/session/' + created.orderId));
      return { good: [good.status, created], bad: [bad.status, await bad.json()], status: [status.status, await status.json()] };
      `,
      { url: sandbox.url, credentials: sandbox.credentials },
    )) as { good: [number, Record<string, string>]; bad: [number, { error: { path: unknown[] } }]; status: [number, { state: string }] };
    assert.equal(result.good[0], 200);
    assert.deepEqual(Object.keys(result.good[1]).sort(), ['expiresAt', 'orderId', 'sessionId']);
    assert.equal(result.bad[0], 400);
    assert.deepEqual(result.bad[1].error.path, ['items', 0, 'quantity']);
    assert.equal(result.status[0], 200);
    assert.equal(result.status[1].state, 'open');
  });
});

describe('the harness can fail (negative twins)', () => {
  test('code that uses Buffer fails in the edge context', async () => {
    const bundle = await bundleForEdge({ source: "export const encode = (text: string) => Buffer.from(text).toString('base64');" });
    await assert.rejects(runInEdge(bundle, "return edgeModule.encode('a:b');"), (error: Error) => {
      assert.equal(error.name, 'ReferenceError');
      assert.match(error.message, /Buffer is not defined/);
      return true;
    });
  });

  test('code that reads process.env fails in the edge context', async () => {
    const bundle = await bundleForEdge({ source: 'export const secret = () => process.env.LEDYER_CLIENT_SECRET;' });
    await assert.rejects(runInEdge(bundle, 'return edgeModule.secret();'), /process is not defined/);
  });

  test('a node: import fails the edge bundle', async () => {
    await assert.rejects(
      bundleForEdge({ source: "import { randomUUID } from 'node:crypto'; export const id = () => randomUUID();" }),
      /node:crypto/,
    );
  });
});
