/**
 * Figure 3: what the element leaves behind. 1000 mount/unmount cycles the way a framework
 * re-renders (mounted, one task later removed: the script is injected, the iframe rarely has
 * time to load), then 100 `session-id` changes on one element, each waited out until ready.
 * Counted after each: bootstrap scripts, iframes, other elements (containers, hints) and
 * listeners on `document` (an init script wraps document.add/removeEventListener and also
 * follows `once` and `signal` removals); JS heap after forced GC.
 */
import type { CDPSession, Page } from 'playwright-core';
import { chromiumMissing, freshContext, launchBrowser } from './browser.js';
import { elementSourceMissing, standaloneBundle } from './bundle.js';
import { startPages } from './pages.js';
import { na, type Figure } from './report.js';
import { browserSideMissing, startBenchSandbox } from './sandbox.js';
import { round } from './stats.js';

const CYCLES = 1000;
const WARMUP_CYCLES = 20;
const SESSION_CHANGES = 100;
const SETTLE_MS = 1500;
const READY_TIMEOUT_MS = 3000;
const HEAP_LIMIT_MB = 1;

/** Runs before any page script: counts live `document` listeners by (type, listener, capture). */
const COUNT_DOCUMENT_LISTENERS = `(() => {
  const live = new Map();
  const ids = new WeakMap();
  let nextId = 1;
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  const capture = (options) => typeof options === 'boolean' ? options : Boolean(options && options.capture);
  const keyOf = (type, listener, options) => {
    if (!ids.has(listener)) ids.set(listener, nextId++);
    return type + '\\u0000' + capture(options) + '\\u0000' + ids.get(listener);
  };
  document.addEventListener = function (type, listener, options) {
    if (!listener) return;
    const signal = typeof options === 'object' && options ? options.signal : undefined;
    if (signal && signal.aborted) return;
    const key = keyOf(type, listener, options);
    if (live.has(key)) return;
    const once = typeof options === 'object' && options && options.once;
    const wrapped = function (event) {
      if (once) live.delete(key);
      return typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event);
    };
    live.set(key, { type, wrapped });
    if (signal) add.call(signal, 'abort', () => live.delete(key), { once: true });
    add.call(this, type, wrapped, options);
  };
  document.removeEventListener = function (type, listener, options) {
    if (!listener) return;
    const key = keyOf(type, listener, options);
    const entry = live.get(key);
    if (!entry) return remove.call(this, type, listener, options);
    live.delete(key);
    remove.call(this, type, entry.wrapped, options);
  };
  window.__documentListeners = () => [...live.values()].map((entry) => entry.type);
  // Proof that the cycles did mount: every bootstrap script the page ever saw.
  window.__scriptsInjected = 0;
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeName === 'SCRIPT' && /bootstrap\.js/.test(node.src)) window.__scriptsInjected += 1;
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

interface Census {
  scripts: number;
  iframes: number;
  elements: number;
  listeners: string[];
}

const census = (page: Page): Promise<Census> =>
  page.evaluate(() => ({
    scripts: document.querySelectorAll('script[src*="bootstrap.js"]').length,
    iframes: document.querySelectorAll('iframe').length,
    elements: document.getElementsByTagName('*').length,
    listeners: (window as unknown as { __documentListeners: () => string[] }).__documentListeners(),
  }));

async function heapMb(cdp: CDPSession): Promise<number> {
  // Twice: the first pass may only make garbage collectable (finalizers, weak references).
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / (1024 * 1024);
}

function cycle(page: Page, cycles: number, sessionId: string, bootstrapUrl: string): Promise<void> {
  return page.evaluate(
    async ({ cycles, sessionId, bootstrapUrl }) => {
      const app = document.getElementById('app') as HTMLElement;
      const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
      for (let i = 0; i < cycles; i += 1) {
        const element = document.createElement('ledyer-checkout');
        element.setAttribute('bootstrap-url', bootstrapUrl);
        element.setAttribute('session-id', sessionId);
        app.append(element);
        await nextTask();
        element.remove();
      }
    },
    { cycles, sessionId, bootstrapUrl },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLeaks(): Promise<Figure[]> {
  const countLabel = `left after ${CYCLES} mount/unmount + ${SESSION_CHANGES} session-id changes (scripts, iframes, elements, document listeners)`;
  const heapLabel = 'JS heap growth after GC';
  const missing = chromiumMissing() ?? elementSourceMissing();
  if (missing) return [na('leaks', countLabel, '0', missing), na('leaks', heapLabel, `≤ ${HEAP_LIMIT_MB} MB`, missing)];
  const sandbox = await startBenchSandbox();
  const browser = await launchBrowser().catch((error: Error) => error);
  let pages: Awaited<ReturnType<typeof startPages>> | undefined;
  try {
    if (browser instanceof Error) return [na('leaks', countLabel, '0', browser.message), na('leaks', heapLabel, `≤ ${HEAP_LIMIT_MB} MB`, browser.message)];
    const noBrowserSide = await browserSideMissing(sandbox.url);
    if (noBrowserSide) return [na('leaks', countLabel, '0', noBrowserSide), na('leaks', heapLabel, `≤ ${HEAP_LIMIT_MB} MB`, noBrowserSide)];
    const bundle = await standaloneBundle();
    pages = await startPages({ sandboxUrl: sandbox.url, bundle: bundle.code, createSession: sandbox.createSession });
    const bootstrapUrl = `${sandbox.url}/bootstrap.js`;
    const context = await freshContext(browser);
    await context.addInitScript(COUNT_DOCUMENT_LISTENERS);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${pages.url}/blank`, { waitUntil: 'load' });
    await page.evaluate(() => customElements.whenDefined('ledyer-checkout'));
    const baseline = await census(page);

    const { sessionId } = await sandbox.createSession();
    await cycle(page, WARMUP_CYCLES, sessionId, bootstrapUrl);
    await sleep(SETTLE_MS);
    const heapBefore = await heapMb(cdp);

    const started = Date.now();
    await cycle(page, CYCLES, sessionId, bootstrapUrl);
    // Scripts still in flight when their element went away run now; give them time to.
    await sleep(SETTLE_MS);
    const afterCycles = await census(page);
    const scriptsInjected = await page.evaluate(() => (window as unknown as { __scriptsInjected: number }).__scriptsInjected);
    const cyclesSeconds = (Date.now() - started) / 1000;

    const sessionIds: string[] = [];
    for (let i = 0; i < SESSION_CHANGES; i += 1) sessionIds.push((await sandbox.createSession()).sessionId);
    const changes = await page.evaluate(
      async ({ sessionIds, bootstrapUrl, timeoutMs }) => {
        const element = document.createElement('ledyer-checkout');
        element.setAttribute('bootstrap-url', bootstrapUrl);
        (document.getElementById('app') as HTMLElement).append(element);
        let ready = 0;
        let timedOut = 0;
        for (const id of sessionIds) {
          const became = new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), timeoutMs);
            element.addEventListener('ledyer-ready', () => { clearTimeout(timer); resolve(true); }, { once: true });
          });
          element.setAttribute('session-id', id);
          if (await became) ready += 1;
          else if (++timedOut >= 3) break;
        }
        const mounted = {
          scripts: document.querySelectorAll('script[src*="bootstrap.js"]').length,
          iframes: document.querySelectorAll('iframe').length,
          documentListeners: (window as unknown as { __documentListeners: () => string[] }).__documentListeners().length,
        };
        element.remove();
        return { ready, timedOut, mounted };
      },
      { sessionIds, bootstrapUrl, timeoutMs: READY_TIMEOUT_MS },
    );
    await sleep(SETTLE_MS);
    const afterAll = await census(page);
    const heapAfter = await heapMb(cdp);
    await context.close();

    const left = (at: Census) => ({
      scripts: at.scripts - baseline.scripts,
      iframes: at.iframes - baseline.iframes,
      elements: at.elements - baseline.elements - (at.scripts - baseline.scripts) - (at.iframes - baseline.iframes),
      listeners: at.listeners.length - baseline.listeners.length,
    });
    const cyclesLeft = left(afterCycles);
    const allLeft = left(afterAll);
    const worst = (key: keyof typeof allLeft) => Math.max(cyclesLeft[key], allLeft[key]);
    const zero = (['scripts', 'iframes', 'elements', 'listeners'] as const).every((key) => worst(key) === 0);
    const mountedRight = changes.mounted.scripts === 1 && changes.mounted.iframes === 1 && changes.timedOut === 0;
    const growth = heapAfter - heapBefore;
    const leftoverTypes = afterAll.listeners.filter((type, index) => baseline.listeners.indexOf(type) !== index);
    return [
      {
        bench: 'leaks',
        figure: countLabel,
        value:
          `${worst('scripts')}, ${worst('iframes')}, ${worst('elements')}, ${worst('listeners')}` +
          `; while mounted ${changes.mounted.scripts} script/${changes.mounted.iframes} iframe, ${changes.ready}/${SESSION_CHANGES} ready`,
        target: '0, 0, 0, 0; 1/1, all ready',
        pass: zero && mountedRight,
        data: { baseline, afterCycles: cyclesLeft, afterSessionChanges: allLeft, leftoverListenerTypes: leftoverTypes, changes, cyclesSeconds, scriptsInjectedByCycles: scriptsInjected },
      },
      {
        bench: 'leaks',
        figure: heapLabel,
        value: `${growth >= 0 ? '+' : ''}${round(growth, 2).toFixed(2)} MB (${round(heapBefore, 1)} → ${round(heapAfter, 1)} MB)`,
        target: `≤ ${HEAP_LIMIT_MB} MB`,
        pass: growth <= HEAP_LIMIT_MB,
        data: { heapBeforeMb: round(heapBefore, 3), heapAfterMb: round(heapAfter, 3) },
      },
    ];
  } finally {
    if (!(browser instanceof Error)) await browser.close();
    await pages?.close();
    await sandbox.close();
  }
}
