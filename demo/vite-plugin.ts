/**
 * The Vite plugin that turns the dev server into the demo shop's server: it starts the local
 * sandbox (or connects to Ledyer's real environment), mounts the shop's `/api/...`
 * endpoints with the server helper's `toNodeListener`, sends the storefront with the
 * checkout's page hints (103 Early Hints and a `Link` header), and writes the page's
 * Content-Security-Policy, checkout settings and this run's admin token into index.html.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Plugin, ViteDevServer } from 'vite';
import { createLedyerClient, type LedyerClient } from '../src/server/index.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { checkoutPageHintsMiddleware, demoPageHints } from './server/checkout-page-hints.js';
import { describeTarget, type DemoTarget } from './server/environment.js';
import { shopNodeListener } from './server/node-listener.js';
import { createShopBackend } from './server/shop-backend.js';

export interface LedyerDemoPluginOptions {
  target: DemoTarget;
  /** Server-side log lines (never secrets); default: none. */
  log?: (line: string) => void;
}

/** What the plugin exposes once the dev server is configured (tests and start.ts read it). */
export interface LedyerDemoApi {
  /** The local sandbox's origin, or null on Ledyer's real environment. */
  readonly sandboxUrl: string | null;
  readonly target: DemoTarget;
  describe(): string;
  /** Stops the sandbox; the dev server stops on its own. Safe to call twice. */
  close(): Promise<void>;
}

/** Ledyer's checkout hosts (the Magento plugin's CSP allows the same). */
const LEDYER_ORIGINS = 'https://*.ledyer.com';

/**
 * No `unsafe-inline` and no `unsafe-eval` for scripts: the page's only scripts are its own
 * modules (Vite's client included) and Ledyer's bootstrap.js. Styles stay `'self'` too:
 * the shop's CSS is a file, and Lit adopts constructed stylesheets, which CSP does not police.
 */
export function contentSecurityPolicy(checkoutOrigin: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${checkoutOrigin}`,
    `frame-src ${checkoutOrigin}`,
    // 'self' covers the dev server's websocket (CSP 3 matches ws: to an http: 'self').
    `connect-src 'self' ${checkoutOrigin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function serverOrigin(server: ViteDevServer): string | null {
  const address = server.httpServer?.address() as AddressInfo | string | null | undefined;
  if (!address || typeof address === 'string') return null;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
}

function clientFor(target: DemoTarget, sandbox: RunningSandbox | null): LedyerClient {
  if (target.kind === 'ledyer') {
    return createLedyerClient({ clientId: target.clientId, clientSecret: target.clientSecret, environment: target.environment });
  }
  if (!sandbox) throw new Error('the local sandbox did not start');
  return createLedyerClient({ ...sandbox.credentials, environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url } });
}

export function ledyerDemoPlugin(options: LedyerDemoPluginOptions): Plugin & { api: LedyerDemoApi } {
  const { target } = options;
  let sandbox: RunningSandbox | null = null;
  let origin: string | null = null;
  let closing: Promise<void> | undefined;
  // Made at every start and given only to the shop's own page (request-guard.ts).
  const adminToken = randomBytes(24).toString('base64url');

  const api: LedyerDemoApi = {
    get sandboxUrl() {
      return sandbox?.url ?? null;
    },
    target,
    describe: () => describeTarget(target, sandbox?.url ?? null),
    close() {
      closing ??= sandbox ? sandbox.close() : Promise.resolve();
      return closing;
    },
  };

  return {
    name: 'ledyer-demo',
    api,
    async configureServer(server) {
      if (target.kind === 'local-sandbox') {
        sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
      }
      const client = clientFor(target, sandbox);
      const shopUrl = (): string => origin ?? serverOrigin(server) ?? 'http://127.0.0.1';
      const backend = createShopBackend({
        client,
        shopUrl,
        // The local sandbox runs beside the shop, so it can always call back; real Ledyer only through a public URL.
        callbackBaseUrl: () => (target.kind === 'ledyer' ? target.publicUrl : shopUrl()),
        adminToken,
        ...(options.log ? { log: options.log } : {}),
      });
      const listener = shopNodeListener(backend);
      server.httpServer?.once('listening', () => {
        origin = serverOrigin(server);
      });
      server.httpServer?.once('close', () => void api.close());
      // After Vite's Host check (a name that is not this server's, as in DNS rebinding, gets 403
      // before any shop code runs) and before its file serving, so `/api/...` never falls
      // through to index.html.
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/api/')) listener(req, res);
        else next();
      });
      // Also after the Host check, and before Vite serves index.html, whose headers it keeps.
      server.middlewares.use(checkoutPageHintsMiddleware(demoPageHints(target, sandbox?.url ?? null)));
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        const checkoutOrigin = sandbox ? sandbox.url : LEDYER_ORIGINS;
        const environment = target.kind === 'ledyer' ? target.environment : 'sandbox';
        const bootstrapUrl = sandbox ? `${sandbox.url}/bootstrap.js` : '';
        const mode =
          target.kind === 'local-sandbox' ? 'Local sandbox' : target.environment === 'production' ? 'Ledyer production' : 'Ledyer sandbox';
        return html
          .replace('__LEDYER_DEMO_CSP__', escapeAttribute(contentSecurityPolicy(checkoutOrigin)))
          .replace('__LEDYER_DEMO_ENVIRONMENT__', escapeAttribute(environment))
          .replace('__LEDYER_DEMO_BOOTSTRAP_URL__', escapeAttribute(bootstrapUrl))
          .replace('__LEDYER_DEMO_MODE__', escapeAttribute(mode))
          .replace('__LEDYER_DEMO_ADMIN_TOKEN__', escapeAttribute(adminToken));
      },
    },
  };
}
