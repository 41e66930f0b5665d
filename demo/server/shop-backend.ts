/**
 * The shop's server side: the merchant endpoints the storefront calls and the two URLs
 * Ledyer (or the local sandbox) calls back. One Fetch-API handler, so the same code runs
 * behind Vite's dev server (demo/vite-plugin.ts), node:http or any Fetch runtime.
 *
 * The routes are the table below: method, path, who may call it (request-guard.ts) and a
 * small named function from checkout-routes.ts, order-admin-routes.ts or ledyer-callbacks.ts.
 */
import { LedyerApiError, LedyerValidationError, NothingToCaptureError, type LedyerClient } from '../../src/server/index.js';
import { escapeForLog } from '../../src/shared/log-text.js';
import type { StoreSettings } from '../api-types.js';
import { publicCatalogue } from './catalogue.js';
import { createCheckoutBook, type CheckoutBook, type CheckoutBookLimits } from './checkout-book.js';
import { createCheckoutRoutes } from './checkout-routes.js';
import { createLedyerCallbacks } from './ledyer-callbacks.js';
import { ConflictError, NotFoundError, createOrderAdminRoutes } from './order-admin-routes.js';
import { sessionBody } from './order-lines.js';
import { readShopBody, settingsBodySchema } from './request-bodies.js';
import { guardRequest } from './request-guard.js';
import { matchRoute, type ShopRoute } from './route-table.js';
import { ShopInputError, json, problem } from './shop-http.js';

export interface ShopBackendOptions {
  client: LedyerClient;
  /** The shop's origin as the buyer's browser sees it; read late because the port is known only after listen. */
  shopUrl: () => string;
  /** Where Ledyer can reach this server, or null when it cannot (real Ledyer, a laptop, no tunnel). */
  callbackBaseUrl: () => string | null;
  /** This run's admin token: the admin routes answer only requests that carry it (request-guard.ts). */
  adminToken: string;
  /** Caps on what the shop remembers (checkout-book.ts). */
  limits?: Partial<CheckoutBookLimits>;
  /** One line per notable server-side event, request text escaped; never given a secret. Default: silent. */
  log?: (line: string) => void;
}

export interface ShopBackend {
  /** Answers `/api/...`; null for every other path so the dev server serves it. */
  handle(request: Request): Promise<Response | null>;
  readonly settings: StoreSettings;
  readonly checkouts: CheckoutBook;
}

export function createShopBackend(options: ShopBackendOptions): ShopBackend {
  const { client } = options;
  if (options.adminToken.length < 16) throw new TypeError('createShopBackend: adminToken must be at least 16 characters');
  // Request text (ids, event types, Ledyer's messages) goes into log lines: a control
  // character or bidi override in it must not forge or disguise a line (issue 11.4).
  const log = (line: string): void => options.log?.(escapeForLog(line, 1000));
  const settings: StoreSettings = { requirePurchaseOrderNumber: false };
  const book = createCheckoutBook(options.limits);

  const sessionBodyFor = (items: Parameters<typeof sessionBody>[0], reference: string | null) => {
    const callbacks = options.callbackBaseUrl();
    return sessionBody(items, {
      reference,
      termsUrl: new URL('/demo/terms.html', options.shopUrl()).href,
      validateUrl: callbacks ? new URL('/api/ledyer/validate', callbacks).href : null,
      notificationUrl: callbacks ? new URL('/api/ledyer/notification', callbacks).href : null,
    });
  };

  const checkout = createCheckoutRoutes({ client, book, sessionBodyFor, log });
  const admin = createOrderAdminRoutes({ client, book, log });
  const ledyer = createLedyerCallbacks({ client, book, settings, log });

  async function catalogue(): Promise<Response> {
    return json(200, publicCatalogue());
  }

  async function readSettings(): Promise<Response> {
    return json(200, settings);
  }

  async function saveSettings(request: Request): Promise<Response> {
    const body = await readShopBody(request, settingsBodySchema);
    if (!body.ok) return body.response;
    settings.requirePurchaseOrderNumber = body.value.requirePurchaseOrderNumber;
    log(`settings: purchase order number ${settings.requirePurchaseOrderNumber ? 'required' : 'optional'}`);
    return json(200, settings);
  }

  const routes: readonly ShopRoute[] = [
    { method: 'GET', path: '/api/catalogue', access: 'public', handle: catalogue },
    { method: 'GET', path: '/api/settings', access: 'public', handle: readSettings },
    { method: 'PUT', path: '/api/settings', access: 'admin', handle: saveSettings },
    { method: 'POST', path: '/api/checkout/session', access: 'shopper', handle: checkout.createCheckout },
    { method: 'POST', path: '/api/checkout/session/:orderId', access: 'shopper', handle: checkout.updateCheckout },
    { method: 'GET', path: '/api/checkout/session/:orderId', access: 'shopper', handle: checkout.checkoutState },
    { method: 'POST', path: '/api/checkout/session/:orderId/purchase-order', access: 'shopper', handle: checkout.savePurchaseOrder },
    { method: 'GET', path: '/api/orders/:orderId', access: 'admin', handle: admin.orderView },
    { method: 'POST', path: '/api/orders/:orderId/edit', access: 'admin', handle: admin.editOrder },
    { method: 'POST', path: '/api/orders/:orderId/partial-capture', access: 'admin', handle: admin.partialCapture },
    { method: 'POST', path: '/api/orders/:orderId/capture', access: 'admin', handle: admin.captureRest },
    { method: 'POST', path: '/api/orders/:orderId/ledgers/:ledgerId/refund', access: 'admin', handle: admin.refundLedger },
    { method: 'POST', path: '/api/orders/:orderId/ledgers/:ledgerId/partial-refund', access: 'admin', handle: admin.partialRefund },
    { method: 'POST', path: '/api/orders/:orderId/cancel', access: 'admin', handle: admin.cancelOrder },
    { method: 'POST', path: '/api/ledyer/validate', access: 'ledyer', handle: ledyer.validate },
    { method: 'POST', path: '/api/ledyer/notification', access: 'ledyer', handle: ledyer.notification },
  ];

  async function route(request: Request, pathname: string): Promise<Response> {
    const match = matchRoute(routes, request.method, pathname);
    switch (match.kind) {
      case 'found':
        return guardRequest(request, match.route.access, options.adminToken) ?? (await match.route.handle(request, match.params));
      case 'bad-segment':
        return problem(400, 'invalid_path', match.message, [match.name]);
      case 'wrong-method':
        return problem(405, 'method_not_allowed', `${pathname} takes ${match.allowed.join(', ')}`, undefined, { allow: match.allowed.join(', ') });
      case 'none':
        return problem(404, 'not_found', `no shop endpoint ${request.method} ${pathname}`);
    }
  }

  /** Every failure as an answer the page can show; never a stack, never a secret. */
  function failure(error: unknown, request: Request): Response {
    if (error instanceof ShopInputError) return problem(400, 'invalid_request', error.message, error.path);
    if (error instanceof LedyerValidationError) return problem(400, 'invalid_request', error.message, error.issues[0]?.path);
    if (error instanceof ConflictError || error instanceof NothingToCaptureError) return problem(409, error.code, error.message);
    if (error instanceof NotFoundError) return problem(404, error.code, error.message);
    if (error instanceof LedyerApiError) {
      if (error.code === 'aborted' || request.signal.aborted) return problem(499, 'client_closed_request', 'the client went away');
      // Ledyer's 4xx (a capture that does not match what remains, an action not available now)
      // name what is wrong: the admin sees them. Anything else is Ledyer failing: 502.
      const status = error.code === 'ledyer_rejected' && error.status ? error.status : 502;
      log(`ledyer ${error.endpoint ?? ''} failed: ${error.code} ${error.message}`);
      return problem(status, error.code, error.message);
    }
    log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    return problem(500, 'internal_error', 'the shop server failed; see its terminal');
  }

  return {
    settings,
    checkouts: book,
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (!pathname.startsWith('/api/')) return null;
      try {
        return await route(request, pathname);
      } catch (error) {
        return failure(error, request);
      }
    },
  };
}
