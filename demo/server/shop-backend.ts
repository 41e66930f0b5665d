/**
 * The shop's server side: the merchant endpoints the storefront calls and the two URLs
 * Ledyer (or the local sandbox) calls back. One Fetch-API handler, so the same code runs
 * behind Vite's dev server (demo/vite-plugin.ts), node:http or any Fetch runtime.
 *
 *   GET  /api/catalogue                      products and prices, for display
 *   GET  /api/settings, PUT /api/settings    the store's "require purchase order number" policy
 *   POST /api/checkout/session               { items } → { sessionId, orderId, expiresAt }
 *   POST /api/checkout/session/{orderId}     { items?, purchaseOrderNumber? } → session updated
 *   GET  /api/orders/{orderId}               the order entity + webhooks received
 *   POST /api/orders/{orderId}/edit          { lines: [{ reference, quantity }] }, Idempotency-Key
 *   POST /api/orders/{orderId}/capture | /cancel
 *   POST /api/ledyer/validate                Ledyer's validate callback
 *   POST /api/ledyer/notification            Ledyer's notification webhook
 */
import {
  LedyerApiError,
  LedyerValidationError,
  createCheckoutHandler,
  createNotificationHandler,
  createValidateHandler,
  UnknownItemError,
  type HandlerErrorBody,
  type LedyerClient,
} from '../../src/server/index.js';
import type { Order } from '../../src/server/schemas.js';
import type { CartItem, OrderAdminView, ReceivedNotification, SessionUpdateResponse, StoreSettings } from '../api-types.js';
import { MAX_QUANTITY, findProduct, publicCatalogue, shippingFee } from './catalogue.js';

const SHIPPING_SKU = shippingFee.sku;
import { ShopInputError, editedOrder, mergeCartItems, parseCartItems, sessionBody } from './order-lines.js';

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

const PURCHASE_ORDER_MAX = 50; // Ledyer's limit for `reference`.

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });

/** The server helper's error shape, so the page reads every failure the same way. */
const problem = (status: number, code: string, message: string): Response => {
  const body: HandlerErrorBody = { error: { code, message } };
  return json(status, body);
};

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

  async function updateCheckout(request: Request, orderId: string): Promise<Response> {
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

  async function editOrder(request: Request, orderId: string): Promise<Response> {
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

  async function route(request: Request, pathname: string): Promise<Response> {
    const method = request.method.toUpperCase();
    if (pathname === '/api/catalogue' && method === 'GET') return json(200, publicCatalogue());
    if (pathname === '/api/settings') {
      if (method === 'GET') return json(200, settings);
      if (method === 'PUT') {
        const body = await readJson(request);
        if (typeof body['requirePurchaseOrderNumber'] !== 'boolean') throw new ShopInputError('requirePurchaseOrderNumber must be true or false');
        settings.requirePurchaseOrderNumber = body['requirePurchaseOrderNumber'];
        return json(200, settings);
      }
    }
    if (pathname === '/api/checkout/session' && method === 'POST') return createCheckout(request);
    if (pathname === '/api/ledyer/validate' && method === 'POST') return validateHandler(request);
    if (pathname === '/api/ledyer/notification' && method === 'POST') return notificationHandler(request);

    const session = /^\/api\/checkout\/session\/([^/]+)$/.exec(pathname);
    if (session && method === 'POST') return updateCheckout(request, decodeURIComponent(session[1] ?? ''));

    const order = /^\/api\/orders\/([^/]+)(?:\/(edit|capture|cancel))?$/.exec(pathname);
    if (order) {
      const orderId = decodeURIComponent(order[1] ?? '');
      // Only orders this shop sold: the admin panel is not a proxy to any order id.
      if (!checkouts.has(orderId)) return problem(404, 'unknown_order', `this shop sold no order ${orderId}`);
      const action = order[2];
      if (!action && method === 'GET') return json(200, adminView(await client.getOrder(orderId)));
      if (action === 'edit' && method === 'POST') return editOrder(request, orderId);
      if (action === 'capture' && method === 'POST') {
        await client.captureOrder(orderId);
        log(`order ${orderId} captured`);
        return json(200, adminView(await client.getOrder(orderId)));
      }
      if (action === 'cancel' && method === 'POST') {
        await client.cancelOrder(orderId);
        log(`order ${orderId} cancelled`);
        return json(200, adminView(await client.getOrder(orderId)));
      }
    }
    return problem(404, 'not_found', `no shop endpoint ${method} ${pathname}`);
  }

  return {
    settings,
    async handle(request) {
      const { pathname } = new URL(request.url);
      if (!pathname.startsWith('/api/')) return null;
      try {
        return await route(request, pathname);
      } catch (error) {
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
