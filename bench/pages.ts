/**
 * The merchant's side of every browser benchmark: a node:http server on 127.0.0.1 (a port
 * of its own, so the page and the checkout are different origins, as on a real storefront)
 * serving the A/B pages, the standalone element bundle and a merchant session endpoint that
 * creates sessions server-side: the sandbox credentials never reach a page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CONTAINER_ID = 'ledyer-checkout-container';

/**
 * Exactly the head hints docs/performance.md tells merchants to add, per scenario. With the
 * session id in the HTML the page knows it will run bootstrap.js, so it may preload it; in a
 * single-page app the element does its own early fetch when it connects without a session.
 */
export function merchantHeadHints(scenario: 'ssr' | 'spa', bootstrapUrl: string): string {
  if (scenario === 'ssr') return `<link rel="preload" as="script" href="${bootstrapUrl}">`;
  return '';
}

/**
 * Records, in page time (ms since navigation start), when the checkout iframe loaded (any
 * iframe added to the document: bootstrap.js puts it in the light-DOM container), when the
 * element said `ledyer-ready`, when the page's load event fired and when it asked for a session.
 */
const INSTRUMENT = `<script>
window.__bench = { ready: null, iframeLoad: null, loadEvent: null, sessionStart: null, confirmation: null };
(function () {
  const watch = (frame) => frame.addEventListener('load', () => { window.__bench.iframeLoad ??= performance.now(); }, { once: true });
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeName === 'IFRAME') watch(node);
      else if (node.querySelectorAll) node.querySelectorAll('iframe').forEach(watch);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener('load', () => { window.__bench.loadEvent = performance.now(); });
  document.addEventListener('ledyer-ready', () => { window.__bench.ready ??= performance.now(); });
  document.addEventListener('ledyer-confirmation', () => { window.__bench.confirmation ??= performance.now(); });
})();
</script>`;

const escapeAttr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function page(head: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${head}</head><body>${body}</body></html>`;
}

/** The app's own code in a single-page app: ask the merchant endpoint for a session after load, then mount. */
const afterLoadAskForSession = (mount: string) => `addEventListener('load', async () => {
  window.__bench.sessionStart = performance.now();
  const answer = await fetch('/api/session', { method: 'POST' });
  const { sessionId } = await answer.json();
  ${mount}
});
`;

export interface PagesOptions {
  sandboxUrl: string;
  bundle: string;
  createSession(): Promise<{ sessionId: string }>;
}

export interface RunningPages {
  url: string;
  close(): Promise<void>;
}

export async function startPages(options: PagesOptions): Promise<RunningPages> {
  const bootstrapUrl = `${options.sandboxUrl}/bootstrap.js`;
  const element = (sessionId: string | null) =>
    `<ledyer-checkout${sessionId ? ` session-id="${escapeAttr(sessionId)}"` : ''} bootstrap-url="${escapeAttr(bootstrapUrl)}"></ledyer-checkout>`;
  const bundleScript = '<script type="module" src="/ledyer-checkout.js"></script>';
  const snippet = (sessionId: string) =>
    `<script src="${escapeAttr(bootstrapUrl)}" data-session-id="${escapeAttr(sessionId)}" data-container-id="${CONTAINER_ID}" data-env="localhost"></script>`;

  const appB = afterLoadAskForSession(`const script = document.createElement('script');
  script.src = ${JSON.stringify(bootstrapUrl)};
  script.dataset.sessionId = sessionId;
  script.dataset.containerId = ${JSON.stringify(CONTAINER_ID)};
  script.dataset.env = 'localhost';
  document.head.appendChild(script);`);

  const routes: Record<string, (query: URLSearchParams) => string> = {
    // Scenario a: the session id is in the HTML.
    '/a/ssr': (q) => page(INSTRUMENT + merchantHeadHints('ssr', bootstrapUrl) + bundleScript, element(q.get('session') ?? '')),
    '/b/ssr': (q) => page(INSTRUMENT, `<div id="${CONTAINER_ID}"></div>${snippet(q.get('session') ?? '')}`),
    // Scenario b: the page asks for the session after load. Each page loads one app module,
    // as every single-page app does: A's is the element bundle (the app's own code inline),
    // B's is the app code that injects Ledyer's snippet, as the Magento plugin's script does.
    '/a/spa': () =>
      page(
        INSTRUMENT + merchantHeadHints('spa', bootstrapUrl) + bundleScript,
        element(null) + `<script>${afterLoadAskForSession(`document.querySelector('ledyer-checkout').setAttribute('session-id', sessionId);`)}</script>`,
      ),
    '/b/spa': () => page(INSTRUMENT + '<script type="module" src="/app-b.js"></script>', `<div id="${CONTAINER_ID}"></div>`),
    // An empty page with the element defined: the leak and purchase benchmarks drive it.
    '/blank': () => page(INSTRUMENT + bundleScript, '<main id="app"></main>'),
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/ledyer-checkout.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      response.end(options.bundle);
      return;
    }
    if (url.pathname === '/app-b.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      response.end(appB);
      return;
    }
    if (url.pathname === '/api/session' && request.method === 'POST') {
      const { sessionId } = await options.createSession();
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ sessionId }));
      return;
    }
    const route = routes[url.pathname];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(route(url.searchParams));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What INSTRUMENT records, in ms since navigation start (null: not happened). */
export interface PageMarks {
  ready: number | null;
  iframeLoad: number | null;
  loadEvent: number | null;
  sessionStart: number | null;
  confirmation: number | null;
}

declare global {
  interface Window {
    __bench: PageMarks;
  }
}
