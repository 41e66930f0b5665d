/**
 * The storefront's calls to its own server (never to Ledyer: credentials stay server-side).
 * Admin calls carry this run's admin token from the page's `<meta>`; admin actions carry an
 * Idempotency-Key the caller makes once per action the user asked for.
 */
import type {
  ApiErrorBody,
  CartItem,
  CatalogueResponse,
  CheckoutSessionResponse,
  CheckoutStatusAnswer,
  CheckoutUpdateAnswer,
  EditOrderRequestBody,
  OrderAdminView,
  PartialCaptureRequestBody,
  PartialRefundRequestBody,
  StoreSettings,
} from '../api-types.js';

export class ShopApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ShopApiError';
  }
}

const adminToken = (): Record<string, string> => ({
  'x-shop-admin-token': document.querySelector<HTMLMetaElement>('meta[name="shop-admin-token"]')?.content ?? '',
});
const adminAction = (idempotencyKey: string): Record<string, string> => ({ ...adminToken(), 'idempotency-key': idempotencyKey });

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ShopApiError('The shop server cannot be reached. Is `npm start` still running?', 0);
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data as Partial<ApiErrorBody> | null)?.error;
    const message = typeof error?.message === 'string' ? error.message : `${method} ${path} failed with HTTP ${response.status}`;
    throw new ShopApiError(message, response.status);
  }
  return data as T;
}

const order = (orderId: string, rest = ''): string => `/api/orders/${encodeURIComponent(orderId)}${rest}`;
const ledger = (orderId: string, ledgerId: string, action: string): string => order(orderId, `/ledgers/${encodeURIComponent(ledgerId)}/${action}`);
const checkout = (orderId: string, rest = ''): string => `/api/checkout/session/${encodeURIComponent(orderId)}${rest}`;

export const shopApi = {
  catalogue: () => call<CatalogueResponse>('GET', '/api/catalogue'),
  settings: () => call<StoreSettings>('GET', '/api/settings'),
  saveSettings: (settings: StoreSettings) => call<StoreSettings>('PUT', '/api/settings', settings, adminToken()),

  createSession: (items: CartItem[]) => call<CheckoutSessionResponse>('POST', '/api/checkout/session', { items }),
  /** The cart changed while the checkout is open; `replaced: true` when Ledyer's session was gone and a new one holds the cart. */
  updateCart: (orderId: string, items: CartItem[]) => call<CheckoutUpdateAnswer>('POST', checkout(orderId), { items }),
  /** Saved on the checkout and sent to Ledyer as the session's reference, through the same update. */
  savePurchaseOrder: (orderId: string, purchaseOrderNumber: string) =>
    call<CheckoutUpdateAnswer>('POST', checkout(orderId, '/purchase-order'), { purchaseOrderNumber }),
  /** What Ledyer's API says of the checkout: the only proof of a purchase. */
  checkoutState: (orderId: string) => call<CheckoutStatusAnswer>('GET', checkout(orderId)),

  order: (orderId: string) => call<OrderAdminView>('GET', order(orderId), undefined, adminToken()),
  editOrder: (orderId: string, body: EditOrderRequestBody, key: string) => call<OrderAdminView>('POST', order(orderId, '/edit'), body, adminAction(key)),
  partialCapture: (orderId: string, body: PartialCaptureRequestBody, key: string) =>
    call<OrderAdminView>('POST', order(orderId, '/partial-capture'), body, adminAction(key)),
  captureRest: (orderId: string, key: string) => call<OrderAdminView>('POST', order(orderId, '/capture'), {}, adminAction(key)),
  refundLedger: (orderId: string, ledgerId: string, key: string) => call<OrderAdminView>('POST', ledger(orderId, ledgerId, 'refund'), {}, adminAction(key)),
  partialRefund: (orderId: string, ledgerId: string, body: PartialRefundRequestBody, key: string) =>
    call<OrderAdminView>('POST', ledger(orderId, ledgerId, 'partial-refund'), body, adminAction(key)),
  cancel: (orderId: string, key: string) => call<OrderAdminView>('POST', order(orderId, '/cancel'), {}, adminAction(key)),
};
