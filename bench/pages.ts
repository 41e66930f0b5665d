/**
 * The merchant's side of every browser benchmark: a node:http server on 127.0.0.1 (a port
 * of its own, so the page and the checkout are different origins, as on a real storefront)
 * serving the A/B pages, the standalone element bundle and a merchant session endpoint that
 * creates sessions server-side: the sandbox credentials never reach a page.
 *
 * The network between them is modelled here, not in the browser. With `rttMs`, every request
 * the browser makes, to the merchant or to Ledyer, and the merchant's own call to Ledyer's API,
 * takes one round trip longer, added to whatever the server itself takes: half on the way
 * there, half on the way back, for each part of a response as it is sent (a 103, headers
 * flushed early, the body). Chrome DevTools' latency emulation cannot stand in for this: it
 * holds each response back until `latency` after its request, so server time shorter than
 * that is hidden (measured: a page that takes 150 ms to answer arrives at ~200 ms under 100 ms
 * of emulated latency, not ~250), and with it everything a page can start while its server works.
 * With `handshakeRtts` the first connection of a visit to each origin costs that many round
 * trips more before its first request can go (2: TCP, then TLS 1.3, as Ledyer's https origin
 * costs a browser that has not connected yet); every other request of the visit waits for that
 * connection and no more, as requests share one HTTP/2 connection. A `preconnect` or a
 * preload pays the setup early, off the critical path: the one effect a preconnect has.
 * DNS is not modelled. `newVisit()` starts the count again for the next page load.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkoutPageHints } from '../src/server/page-hints.js';

export const CONTAINER_ID = 'ledyer-checkout-container';
const ELEMENT_PATH = '/ledyer-checkout.js';

/**
 * Records, in page time (ms since navigation start), when the checkout iframe loaded (any
 * iframe added to the document: bootstrap.js puts it in the light-DOM container), when the
 * element said `ledyer-ready`, when the page's load event fired and when it asked for a session.
 */
const INSTRUMENT = `<script>
window.__bench = { ready: null, iframeLoad: null, loadEvent: null, sessionStart: null, confirmation: null };
(function () {
  // Said on the console too: the bench waits for these lines instead of polling the page,
  // which would run Playwright's injected script on the main thread while it is measured.
  const mark = (name) => {
    if (window.__bench[name] !== null) return;
    window.__bench[name] = performance.now();
    console.debug('bench:' + name);
  };
  const watch = (frame) => frame.addEventListener('load', () => mark('iframeLoad'), { once: true });
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeName === 'IFRAME') watch(node);
      else if (node.querySelectorAll) node.querySelectorAll('iframe').forEach(watch);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener('load', () => { window.__bench.loadEvent = performance.now(); });
  document.addEventListener('ledyer-ready', () => mark('ready'));
  document.addEventListener('ledyer-confirmation', () => mark('confirmation'));
})();
</script>`;

const escapeAttr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const head = (tags: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${tags}</head><body>`;
const page = (tags: string, body: string): string => `${head(tags)}${body}</body></html>`;

/** The app's own code in a single-page app: ask the merchant endpoint for a session after load, then mount. */
const afterLoadAskForSession = (mount: string) => `addEventListener('load', async () => {
  window.__bench.sessionStart = performance.now();
  const answer = await fetch('/api/session', { method: 'POST' });
  const { sessionId } = await answer.json();
  ${mount}
});
`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface PagesOptions {
  /** Where the browser gets Ledyer's script and checkout: the sandbox, or a `startLedyerFront` before it. */
  sandboxUrl: string;
  bundle: string;
  createSession(): Promise<{ sessionId: string }>;
  /** The modelled round trip (see the module comment); 0 or absent: loopback as it is. */
  rttMs?: number;
  /** Round trips a visit's first connection costs before its first request (see the module comment). */
  handshakeRtts?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A server whose modelled network knows page visits (see `handshakeRtts`). */
export interface ModelledServer extends RunningServer {
  /** The next connection (or request on a kept one) is a new visit's first: it pays the connection setup again. */
  newVisit(): void;
}

/** A node:http server on 127.0.0.1 and a free port, whose handler's failures become a 500. */
async function serve(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  onConnection: () => void = () => {},
): Promise<RunningServer> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A request whose page has gone (its upstream aborted) has nobody left to tell.
      if (response.destroyed || response.writableEnded) return;
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  server.on('connection', onConnection);
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

interface Link {
  /** Before handling a request: half a round trip, after the visit's connection is set up. */
  arrive(): Promise<void>;
  /** For each part of an answer: half a round trip on the way back. */
  send(write: () => void): void;
  /** A TCP connection from the browser: the visit's first starts the modelled setup. */
  connected(): void;
  newVisit(): void;
}

/** The modelled network of one server (see the module comment). */
function link(rttMs: number, handshakeRtts = 0): Link {
  const half = rttMs / 2;
  const setupMs = rttMs * handshakeRtts;
  /** When the visit's connection can carry requests; null until the visit's first connection. */
  let connectionReadyAt: number | null = null;
  return {
    arrive: () => {
      // A request on a connection kept from an earlier visit still opens this visit's.
      connectionReadyAt ??= performance.now() + setupMs;
      const wait = half + Math.max(0, connectionReadyAt - performance.now());
      return wait > 0 ? sleep(wait) : Promise.resolve();
    },
    // Same delay for every part, so Node's timers keep them in the order they were written.
    send: (write) => (half > 0 ? void setTimeout(write, half) : write()),
    connected: () => {
      connectionReadyAt ??= performance.now() + setupMs;
    },
    newVisit: () => {
      connectionReadyAt = null;
    },
  };
}

const modelled = (server: RunningServer, network: Link): ModelledServer => ({ ...server, newVisit: network.newVisit });

/**
 * Ledyer's browser-facing origin, one round trip away: a proxy to the sandbox that holds each
 * request and answer for half of `rttMs`. The sandbox's bootstrap.js takes the checkout's
 * origin from its own `src`, so the iframe and everything in it come through here too.
 */
export async function startLedyerFront(sandboxUrl: string, rttMs: number, handshakeRtts = 0): Promise<ModelledServer> {
  const network = link(rttMs, handshakeRtts);
  const { arrive, send } = network;
  const server = await serve(async (request, response) => {
    await arrive();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !['host', 'connection', 'content-length', 'keep-alive'].includes(name)) headers.set(name, String(value));
    }
    // A page that goes away (its context closed) ends its request upstream too: an event
    // stream left open would keep the sandbox busy with pages nobody looks at.
    const gone = new AbortController();
    response.on('close', () => gone.abort());
    const upstream = await fetch(`${sandboxUrl}${request.url ?? '/'}`, {
      method: request.method ?? 'GET',
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      redirect: 'manual',
      signal: gone.signal,
    });
    const answer: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      // fetch has already decoded and de-chunked the body.
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) answer[name] = value;
    });
    if (upstream.headers.get('content-type')?.startsWith('text/event-stream') && upstream.body) {
      // Passed on as it comes (it never ends on its own), half a round trip late like the rest.
      const reader = upstream.body.getReader();
      send(() => response.writeHead(upstream.status, answer).flushHeaders());
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        const { value } = part;
        send(() => response.write(value));
      }
      send(() => response.end());
      return;
    }
    const body = Buffer.from(await upstream.arrayBuffer());
    send(() => response.writeHead(upstream.status, answer).end(body));
  }, network.connected);
  return modelled(server, network);
}

export async function startPages(options: PagesOptions): Promise<ModelledServer> {
  const rttMs = options.rttMs ?? 0;
  const network = link(rttMs, options.handshakeRtts);
  const { arrive, send } = network;
  const bootstrapUrl = `${options.sandboxUrl}/bootstrap.js`;
  // What the README tells a merchant to send for a server-rendered checkout page.
  const hints = checkoutPageHints({ bootstrapUrl, elementUrl: ELEMENT_PATH });
  /** The merchant's call to Ledyer's API, one round trip away like everything else. */
  const createSession = async () => {
    if (rttMs > 0) await sleep(rttMs);
    return options.createSession();
  };
  const element = (sessionId: string | null) =>
    `<ledyer-checkout${sessionId ? ` session-id="${escapeAttr(sessionId)}"` : ''} bootstrap-url="${escapeAttr(bootstrapUrl)}"></ledyer-checkout>`;
  const bundleScript = `<script type="module" src="${ELEMENT_PATH}"></script>`;
  // As the README recommends for server-rendered pages: `async`, so the module, fetched early
  // through the hints, runs as soon as it is there instead of after the document is parsed.
  const bundleScriptAsync = `<script type="module" async src="${ELEMENT_PATH}"></script>`;
  // Ledyer's documented snippet, exactly: a container and the configured script after it.
  const snippet = (sessionId: string) =>
    `<div id="${CONTAINER_ID}"></div><script src="${escapeAttr(bootstrapUrl)}" data-session-id="${escapeAttr(sessionId)}" data-container-id="${CONTAINER_ID}" data-env="localhost"></script>`;

  const appB = afterLoadAskForSession(`const script = document.createElement('script');
  script.src = ${JSON.stringify(bootstrapUrl)};
  script.dataset.sessionId = sessionId;
  script.dataset.containerId = ${JSON.stringify(CONTAINER_ID)};
  script.dataset.env = 'localhost';
  document.head.appendChild(script);`);

  const html = (response: ServerResponse, body: string, headers: Record<string, string> = {}) =>
    send(() => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(body));
  const script = (response: ServerResponse, body: string) =>
    send(() => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).end(body));

  const routes: Record<string, (response: ServerResponse) => Promise<void> | void> = {
    // Scenario a, server-rendered: the merchant's server creates the session while it renders
    // the page, as Ledyer's plugins do. Page A is what the README recommends: what needs no
    // session goes out first, before the call to Ledyer: the hints as a 103 Early Hint and in
    // the 200's headers, and the head with the element's module, `async` so that it runs as
    // soon as it is there; the element with its session id follows.
    '/a/ssr': async (response) => {
      send(() => response.writeEarlyHints({ link: hints.links }));
      send(() => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', link: hints.link }).write(head(INSTRUMENT + bundleScriptAsync)));
      const { sessionId } = await createSession();
      send(() => response.end(`${element(sessionId)}</body></html>`));
    },
    // Page A with the hints only: the whole page once the session exists (README, measured).
    '/a/ssr-hints-only': async (response) => {
      send(() => response.writeEarlyHints({ link: hints.links }));
      send(() => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', link: hints.link }).flushHeaders());
      const { sessionId } = await createSession();
      send(() => response.end(page(INSTRUMENT + bundleScript, element(sessionId))));
    },
    // Page B can only render Ledyer's snippet once it has the session id.
    '/b/ssr': async (response) => html(response, page(INSTRUMENT, snippet((await createSession()).sessionId))),
    // Scenario b: the page asks for the session after load. Each page loads one app module,
    // as every single-page app does: A's is the element bundle (the app's own code inline),
    // B's is the app code that injects Ledyer's snippet, as the Magento plugin's script does.
    '/a/spa': (response) =>
      html(response, page(INSTRUMENT + bundleScript, element(null) + `<script>${afterLoadAskForSession(`document.querySelector('ledyer-checkout').setAttribute('session-id', sessionId);`)}</script>`)),
    '/b/spa': (response) => html(response, page(INSTRUMENT + '<script type="module" src="/app-b.js"></script>', `<div id="${CONTAINER_ID}"></div>`)),
    // An empty page with the element defined: the leak and purchase benchmarks drive it.
    '/blank': (response) => html(response, page(INSTRUMENT + bundleScript, '<main id="app"></main>')),
    [ELEMENT_PATH]: (response) => script(response, options.bundle),
    '/app-b.js': (response) => script(response, appB),
  };

  const server = await serve(async (request, response) => {
    await arrive();
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/api/session' && request.method === 'POST') {
      const { sessionId } = await createSession();
      send(() => response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ sessionId })));
      return;
    }
    const route = routes[pathname];
    if (route) await route(response);
    else send(() => response.writeHead(404).end());
  }, network.connected);
  return modelled(server, network);
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
