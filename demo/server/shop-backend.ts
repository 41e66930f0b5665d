/**
 * The shop's server side: the merchant endpoints the storefront calls and the two URLs
 * Ledyer (or the local sandbox) calls back. One Fetch-API handler, so the same code runs
 * behind Vite's dev server (demo/vite-plugin.ts), node:http or any Fetch runtime. The
 * routes are the table at the bottom: each a small named function.
 */
import {
  LedyerApiError,
  LedyerValidationError,
  createCheckoutHandler,
  createNotificationHandler,
  createValidateHandler,
  UnknownItemError,
  type LedyerClient,
} from '../../src/server/index.js';
import type { Order } from '../../src/server/schemas.js';
import type { CartItem, OrderAdminView, ReceivedNotification, SessionUpdateResponse, StoreSettings } from '../api-types.js';
import { MAX_QUANTITY, findProduct, publicCatalogue, shippingFee } from './catalogue.js';
import { editedOrder, mergeCartItems, parseCartItems, sessionBody } from './order-lines.js';
import { matchRoute, type RouteParams, type ShopRoute } from './route-table.js';
import { ShopInputError, json, problem } from './shop-http.js';

export interface ShopBackendOptions {
  client: LedyerClient;
  /** The shop's origin as the buyer's browser sees it; read late because the port is known only after listen. */
  shopUrl: () => string;
  /** Where Ledyer can reach this server, or null when it cannot (real Ledyer, a laptop, no tunnel). */
  callbackBaseUrl: () => string | null;
  /** One line per notable server-side event; never given a secret. Default: silent. */
  log?: (line: string) => void;
}

export interface ShopBackend {
  /** Answers `/api/...`; null for every other path so the dev server serves it. */
  handle(request: Request): Promise<Response | null>;
  readonly settings: StoreSettings;
}

/** What the shop remembers of a checkout it started. */
interface CheckoutRecord {
  sessionId: string;
  items: CartItem[];
  purchaseOrderNumber: string | null;
}

const SHIPPING_SKU = shippingFee.sku;
const PURCHASE_ORDER_MAX = 50; // Ledyer's limit for `reference`.

export function createShopBackend(options: ShopBackendOptions): ShopBackend {
  const { client } = options;
  const log = options.log ?? (() => {});
  const settings: StoreSettings = { requirePurchaseOrderNumber: false };
  const checkouts = new Map<string, CheckoutRecord>();
  const notifications = new Map<string, ReceivedNotification[]>();

  const bodyFor = (record: Pick<CheckoutRecord, 'items' | 'purchaseOrderNumber'>) => {
    const callbacks = options.callbackBaseUrl();
    return sessionBody(record.items, {
      reference: record.purchaseOrderNumber,
      termsUrl: new URL('/demo/terms.html', options.shopUrl()).href,
      validateUrl: callbacks ? new URL('/api/ledyer/validate', callbacks).href : null,
      notificationUrl: callbacks ? new URL('/api/ledyer/notification', callbacks).href : null,
    });
  };

  const checkoutHandler = createCheckoutHandler({
    client,
    maxQuantity: MAX_QUANTITY,
    // The browser's request names skus and quantities; everything priced comes from here.
    resolveOrder: (items) => {
      const unknown = items.find((item) => !findProduct(item.sku) || item.sku === SHIPPING_SKU);
      if (unknown) return new UnknownItemError(unknown.sku);
      return bodyFor({ items: mergeCartItems(items), purchaseOrderNumber: null });
    },
  });

  const validateHandler = createValidateHandler(async (callback) => {
    // The server-side half of the PO policy: even a page whose script was bypassed cannot
    // place an order without one. (The page's client validation is the friendly half.)
    const reference = callback.reference?.trim() ?? '';
    if (settings.requirePurchaseOrderNumber && reference === '') {
      log(`validate ${callback.orderId}: declined, no purchase order number`);
      return { proceed: false, title: 'Purchase order number required', body: 'Enter your purchase order number in the shop, then press buy again.' };
    }
    log(`validate ${callback.orderId}: proceed`);
    return { proceed: true };
  });

  const notificationHandler = createNotificationHandler(async (notification) => {
    const orderId = notification.orderId;
    if (!orderId) return;
    const list = notifications.get(orderId) ?? [];
    list.push({ eventType: notification.eventType, receivedAt: new Date().toISOString() });
    notifications.set(orderId, list);
    log(`notification ${notification.eventType} for ${orderId}`);
  });

  const adminView = (order: Order): OrderAdminView => ({ order, notifications: notifications.get(order.id) ?? [] });

  async function readJson(request: Request): Promise<Record<string, unknown>> {
    const text = await request.text();
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ShopInputError('the body must be JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ShopInputError('the body must be a JSON object');
    return parsed as Record<string, unknown>;
  }

  /** Only orders this shop sold: the admin panel is not a proxy to any order id. */
  function soldOrder(params: RouteParams): string {
    const orderId = params['orderId'] ?? '';
    if (!checkouts.has(orderId)) throw new UnknownOrderError(orderId);
    return orderId;
  }

  // --- the routes ---------------------------------------------------------------------

  async function catalogue(): Promise<Response> {
    return json(200, publicCatalogue());
  }

  async function readSettings(): Promise<Response> {
    return json(200, settings);
  }

  async function saveSettings(request: Request): Promise<Response> {
    const body = await readJson(request);
    if (typeof body['requirePurchaseOrderNumber'] !== 'boolean') throw new ShopInputError('requirePurchaseOrderNumber must be true or false');
    settings.requirePurchaseOrderNumber = body['requirePurchaseOrderNumber'];
    return json(200, settings);
  }

  async function createCheckout(request: Request): Promise<Response> {
    // The handler consumes the body; the copy tells this shop what the new session holds.
    const copy = request.clone();
    const response = await checkoutHandler(request);
    if (!response.ok) return response;
    const created = (await response.clone().json()) as { sessionId: string; orderId: string };
    const body = (await copy.json().catch(() => ({}))) as { items?: unknown };
    checkouts.set(created.orderId, { sessionId: created.sessionId, items: mergeCartItems(body.items as CartItem[]), purchaseOrderNumber: null });
    log(`session ${created.orderId} created`);
    return response;
  }

  async function updateCheckout(request: Request, params: RouteParams): Promise<Response> {
    const orderId = params['orderId'] ?? '';
    const record = checkouts.get(orderId);
    if (!record) return problem(404, 'unknown_checkout', `this shop started no checkout with orderId ${orderId}`);
    const body = await readJson(request);
    const next: CheckoutRecord = { ...record };
    if (body['items'] !== undefined) next.items = parseCartItems(body['items']);
    if (body['purchaseOrderNumber'] !== undefined) {
      const value = body['purchaseOrderNumber'];
      if (typeof value !== 'string' || value.trim().length > PURCHASE_ORDER_MAX) {
        throw new ShopInputError(`purchaseOrderNumber must be a string of at most ${PURCHASE_ORDER_MAX} characters`);
      }
      next.purchaseOrderNumber = value.trim() === '' ? null : value.trim();
    }
    const sessionRequest = bodyFor(next);
    const updated = await client.updateSession(orderId, sessionRequest);
    checkouts.set(orderId, { ...next, sessionId: updated.sessionId });
    const answer: SessionUpdateResponse = { sessionId: updated.sessionId, orderId: updated.orderId, totalOrderAmount: sessionRequest.totalOrderAmount };
    return json(200, answer);
  }

  async function orderView(_request: Request, params: RouteParams): Promise<Response> {
    return json(200, adminView(await client.getOrder(soldOrder(params))));
  }

  async function editOrder(request: Request, params: RouteParams): Promise<Response> {
    const orderId = soldOrder(params);
    const body = await readJson(request);
    const order = await client.getOrder(orderId);
    if (!order.uncaptured) return problem(409, 'nothing_to_edit', 'this order has no uncaptured lines left to edit');
    const edit = editedOrder(order.uncaptured.orderLines, body);
    // The browser's key makes its retries safe; without one, this edit gets its own.
    const idempotencyKey = request.headers.get('idempotency-key') ?? crypto.randomUUID();
    const edited = await client.editOrder(orderId, edit, { idempotencyKey });
    log(`order ${orderId} edited: ${edited.orderAmount.formattedWithCurrency}`);
    return json(200, adminView(edited));
  }

  async function captureOrder(_request: Request, params: RouteParams): Promise<Response> {
    const orderId = soldOrder(params);
    await client.captureOrder(orderId);
    log(`order ${orderId} captured`);
    return json(200, adminView(await client.getOrder(orderId)));
  }

  async function cancelOrder(_request: Request, params: RouteParams): Promise<Response> {
    const orderId = soldOrder(params);
    await client.cancelOrder(orderId);
    log(`order ${orderId} cancelled`);
    return json(200, adminView(await client.getOrder(orderId)));
  }

  const routes: readonly ShopRoute[] = [
    { method: 'GET', path: '/api/catalogue', access: 'public', handle: catalogue },
    { method: 'GET', path: '/api/settings', access: 'public', handle: readSettings },
    { method: 'PUT', path: '/api/settings', access: 'admin', handle: saveSettings },
    { method: 'POST', path: '/api/checkout/session', access: 'shopper', handle: createCheckout },
    { method: 'POST', path: '/api/checkout/session/:orderId', access: 'shopper', handle: updateCheckout },
    { method: 'GET', path: '/api/orders/:orderId', access: 'admin', handle: orderView },
    { method: 'POST', path: '/api/orders/:orderId/edit', access: 'admin', handle: editOrder },
    { method: 'POST', path: '/api/orders/:orderId/capture', access: 'admin', handle: captureOrder },
    { method: 'POST', path: '/api/orders/:orderId/cancel', access: 'admin', handle: cancelOrder },
    { method: 'POST', path: '/api/ledyer/validate', access: 'ledyer', handle: validateHandler },
    { method: 'POST', path: '/api/ledyer/notification', access: 'ledyer', handle: notificationHandler },
  ];

  async function route(request: Request, pathname: string): Promise<Response> {
    const method = request.method.toUpperCase();
    const match = matchRoute(routes, method, pathname);
    switch (match.kind) {
      case 'found':
        return match.route.handle(request, match.params);
      case 'bad-segment':
        return problem(400, 'invalid_path', match.message, [match.name]);
      case 'wrong-method':
      case 'none':
        return problem(404, 'not_found', `no shop endpoint ${method} ${pathname}`);
    }
  }

  return {
    settings,
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (!pathname.startsWith('/api/')) return null;
      try {
        return await route(request, pathname);
      } catch (error) {
        if (error instanceof UnknownOrderError) return problem(404, 'unknown_order', error.message);
        if (error instanceof ShopInputError || error instanceof LedyerValidationError) return problem(400, 'invalid_request', error.message);
        if (error instanceof LedyerApiError) {
          // Ledyer's 4xx (e.g. 404 no order yet, 409 action not available) pass through; anything else is ours to own.
          const status = error.code === 'ledyer_rejected' && error.status ? error.status : 502;
          log(`ledyer ${error.endpoint ?? ''} failed: ${error.code} ${error.message}`);
          return problem(status, error.code, error.message);
        }
        log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        return problem(500, 'internal_error', 'the shop server failed; see its terminal');
      }
    },
  };
}

/** An order id this shop did not sell (the admin routes are no proxy to Ledyer's whole order API). */
class UnknownOrderError extends Error {
  override readonly name = 'UnknownOrderError';
  constructor(orderId: string) {
    super(`this shop sold no order ${orderId}`);
  }
}
