/**
 * `ledyer-checkout/react` in a server-rendered React 19 page (renderToString, then
 * hydrateRoot on the whole document, as Next's App Router does), against the local sandbox in
 * real Chromium: no hydration error, one checkout after hydration and under StrictMode, and a
 * purchase completes. The negative twin is the bare element with its `session-id` in the
 * server HTML: React finds Ledyer's container it did not render, and the checkout mounts twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import type { Browser } from 'playwright-core';
import { checkoutFrame, launchBrowser, openWatched, placeOrder, serve, startLedyer, type Ledyer } from './harness.js';
import { Page, type PageProps } from './react-ssr/page.js';

const here = fileURLToPath(new URL('./react-ssr/', import.meta.url));

/** The client bundles, built once: React's development build, which reports every hydration mismatch. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [`${here}${entry}`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function renderPage(props: PageProps): string {
  return `<!DOCTYPE html>${renderToString(createElement(Page, props))}`;
}

let ledyer: Ledyer;
let app: { url: string; close(): Promise<void> };
let browser: Browser;

before(async () => {
  ledyer = await startLedyer();
  const [client, bare] = await Promise.all([bundle('client.tsx'), bundle('bare.tsx')]);
  app = await serve([
    (_request, url) => (url.pathname === '/client.js' ? { type: 'text/javascript', body: client } : undefined),
    (_request, url) => (url.pathname === '/bare.js' ? { type: 'text/javascript', body: bare } : undefined),
    async (request, url) =>
      url.pathname === '/api/session' && request.method === 'POST' ? { type: 'application/json', body: JSON.stringify({ sessionId: await ledyer.createSession() }) } : undefined,
    async (_request, url) => {
      if (url.pathname !== '/') return undefined;
      const props: PageProps = {
        sessionId: await ledyer.createSession(),
        bootstrapUrl: ledyer.bootstrapUrl,
        variant: url.searchParams.get('variant') === 'bare' ? 'bare' : 'component',
        strict: url.searchParams.has('strict'),
      };
      return { type: 'text/html; charset=utf-8', body: renderPage(props) };
    },
  ]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
  await ledyer?.sandbox.close();
});

const hydrationProblem = /hydrat|recoverable|did not match|didn't match/i;

describe('ledyer-checkout/react on the server', () => {
  test('renders a stable host: class, style, children and configuration, but no session id and no state', () => {
    const html = renderPage({ sessionId: 'cs_server', bootstrapUrl: 'http://127.0.0.1:1/bootstrap.js', variant: 'component', strict: false });
    const host = /<ledyer-checkout[^>]*>.*?<\/ledyer-checkout>/s.exec(html)?.[0];
    assert.equal(
      host,
      '<ledyer-checkout class="checkout" style="display:block;min-height:320px" bootstrap-url="http://127.0.0.1:1/bootstrap.js"><p slot="error">Please call us to order.</p></ledyer-checkout>',
    );
  });

  test('the bare element in JSX would send its session id in the server HTML', () => {
    const html = renderPage({ sessionId: 'cs_server', bootstrapUrl: 'http://127.0.0.1:1/bootstrap.js', variant: 'bare', strict: false });
    assert.match(html, /<ledyer-checkout session-id="cs_server"/);
  });
});

describe('ledyer-checkout/react hydrated in Chromium', () => {
  for (const strict of [false, true]) {
    test(`hydrates without a mismatch and mounts exactly one checkout${strict ? ' under StrictMode' : ''}; a purchase completes`, async () => {
      const watched = await openWatched(browser, `${app.url}/${strict ? '?strict' : ''}`);
      const { page } = watched;
      try {
        await page.locator('ledyer-checkout[state="ready"]').waitFor();
        // Time for a late re-render or a second mount to show.
        await page.waitForTimeout(300);
        assert.deepEqual(watched.consoleErrors.filter((text) => hydrationProblem.test(text)), [], 'no hydration error');
        assert.deepEqual(watched.pageErrors, []);
        assert.equal(await watched.scriptsInjected(), 1, 'one mount');
        assert.equal(await page.locator('iframe').count(), 1, 'one iframe');
        const probe = await page.evaluate(() => ({ ready: window.__probe?.ready.length, states: window.__probe?.states }));
        assert.equal(probe.ready, 1, 'onLedyerReady once');
        assert.deepEqual(probe.states, ['loading', 'ready'], 'onLedyerStateChange in order');

        // The ref is the element, with its methods.
        const suspended = await page.evaluate(async () => {
          const checkout = window.__probe!.checkout!;
          let during = '';
          await checkout.withSuspended(() => {
            during = checkout.state;
          });
          return [checkout.tagName, during, checkout.state];
        });
        assert.deepEqual(suspended, ['LEDYER-CHECKOUT', 'suspended', 'ready']);

        await placeOrder(checkoutFrame(page));
        await page.getByTestId('status').filter({ hasText: 'confirmed complete' }).waitFor();
        assert.deepEqual(watched.consoleErrors, [], 'no console error at all');
      } finally {
        await watched.close();
      }
    });
  }

  test('a new sessionId prop mounts the new session in place of the old one', async () => {
    const watched = await openWatched(browser, `${app.url}/`);
    const { page } = watched;
    try {
      await page.locator('ledyer-checkout[state="ready"]').waitFor();
      await page.getByRole('button', { name: 'New session' }).click();
      await page.waitForFunction(() => window.__probe?.ready.length === 2);
      const ready = await page.evaluate(() => window.__probe!.ready);
      assert.notEqual(ready[0], ready[1], 'the second ready is for the new session');
      const mounted = await page.evaluate(() => [...document.querySelectorAll('script[data-ledyer-checkout]')].map((script) => (script as HTMLScriptElement).dataset['sessionId']));
      assert.deepEqual(mounted, [ready[1]], 'only the new session\'s script is in the page');
      assert.equal(await page.locator('iframe').count(), 1);
      assert.deepEqual(watched.consoleErrors, []);
    } finally {
      await watched.close();
    }
  });

  test('negative twin: the bare element with session-id in the server HTML breaks hydration and mounts twice', async () => {
    const watched = await openWatched(browser, `${app.url}/?variant=bare`);
    const { page } = watched;
    try {
      // React throws the server's element away and renders a new one, which mounts again.
      await page.waitForFunction(() => (window as unknown as { __ledyerScripts: number }).__ledyerScripts > 1);
      assert.ok(watched.consoleErrors.some((text) => hydrationProblem.test(text)), `React reports a hydration mismatch; console: ${JSON.stringify(watched.consoleErrors)}`);
    } finally {
      await watched.close();
    }
  });
});
