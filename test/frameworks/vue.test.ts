/**
 * `<ledyer-checkout>` in a Vite + Vue 3 page, built by Vite with @vitejs/plugin-vue as the
 * README's Vue section configures it, against the local sandbox in real Chromium: Vue binds
 * the session id and hears the element's events, and a purchase completes. The negative twin
 * is the same page built without `isCustomElement`: Vue takes the tag for a component it
 * cannot find and says so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { checkoutFrame, launchBrowser, openWatched, placeOrder, serve, startLedyer, type Ledyer } from './harness.js';

const root = fileURLToPath(new URL('./vue/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ledyer-vue-'));

/** Builds the page into `outDir`; Vue's development build, which reports unresolved components. */
async function buildPage(outDir: string, customElement: boolean): Promise<void> {
  await build({
    configFile: false,
    root,
    mode: 'development',
    logLevel: 'silent',
    cacheDir: fileURLToPath(new URL('../../node_modules/.vite-frameworks', import.meta.url)),
    define: { 'process.env.NODE_ENV': '"development"' },
    plugins: [vue(customElement ? { template: { compilerOptions: { isCustomElement: (tag) => tag === 'ledyer-checkout' } } } : {})],
    // Relative asset URLs: each build is served under its own path.
    base: './',
    build: { outDir, emptyOutDir: true, minify: false },
  });
}

const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

let ledyer: Ledyer;
let app: { url: string; close(): Promise<void> };
let browser: Browser;

before(async () => {
  ledyer = await startLedyer();
  await buildPage(join(scratch, 'configured'), true);
  await buildPage(join(scratch, 'unconfigured'), false);
  app = await serve([
    async (request, url) => {
      if (url.pathname !== '/api/session' || request.method !== 'POST') return undefined;
      return { type: 'application/json', body: JSON.stringify({ sessionId: await ledyer.createSession() }) };
    },
    (_request, url) => {
      const [, build, path] = /^\/(configured|unconfigured)(\/.*)$/.exec(url.pathname) ?? [];
      if (!build || !path || path.includes('..')) return undefined;
      const file = join(scratch, build, path.endsWith('/') ? `${path}index.html` : path);
      try {
        const body = readFileSync(file, 'utf8');
        return { type: types[extname(file)] ?? 'application/octet-stream', body: file.endsWith('.html') ? body.replace('__BOOTSTRAP_URL__', ledyer.bootstrapUrl) : body };
      } catch {
        return undefined;
      }
    },
  ]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
  await ledyer?.sandbox.close();
  rmSync(scratch, { recursive: true, force: true });
});

const unresolved = /Failed to resolve component: ledyer-checkout/;

test('a Vite + Vue page binds the session, hears the events and completes a purchase', async () => {
  const watched = await openWatched(browser, `${app.url}/configured/`);
  const { page } = watched;
  try {
    await page.locator('ledyer-checkout[state="ready"]').waitFor();
    assert.equal(await page.locator('iframe').count(), 1);
    assert.equal(await watched.scriptsInjected(), 1);
    await page.getByTestId('states').filter({ hasText: 'loading ready' }).waitFor();
    await placeOrder(checkoutFrame(page));
    await page.getByTestId('status').filter({ hasText: 'confirmed complete' }).waitFor();
    assert.deepEqual(watched.consoleWarnings.filter((text) => unresolved.test(text)), []);
    assert.deepEqual(watched.consoleErrors, []);
    assert.deepEqual(watched.pageErrors, []);
  } finally {
    await watched.close();
  }
});

test('negative twin: without isCustomElement Vue looks for a component called ledyer-checkout and warns', async () => {
  const watched = await openWatched(browser, `${app.url}/unconfigured/`);
  const { page } = watched;
  try {
    await page.getByRole('heading', { name: 'Din beställning' }).waitFor();
    await page.waitForFunction(() => document.querySelector('ledyer-checkout') !== null);
    assert.ok(watched.consoleWarnings.some((text) => unresolved.test(text)), JSON.stringify(watched.consoleWarnings));
  } finally {
    await watched.close();
  }
});
