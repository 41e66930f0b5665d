/** The storefront's calls to its own server (never to Ledyer: credentials stay server-side). */
import type {
  ApiErrorBody,
  CartItem,
  CatalogueResponse,
  CheckoutSessionResponse,
  EditOrderRequestBody,
  OrderAdminView,
  SessionUpdateRequest,
  SessionUpdateResponse,
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

export const shopApi = {
  catalogue: () => call<CatalogueResponse>('GET', '/api/catalogue'),
  settings: () => call<StoreSettings>('GET', '/api/settings'),
  saveSettings: (settings: StoreSettings) => call<StoreSettings>('PUT', '/api/settings', settings),
  createSession: (items: CartItem[]) => call<CheckoutSessionResponse>('POST', '/api/checkout/session', { items }),
  updateSession: (orderId: string, update: SessionUpdateRequest) =>
    call<SessionUpdateResponse>('POST', `/api/checkout/session/${encodeURIComponent(orderId)}`, update),
  order: (orderId: string) => call<OrderAdminView>('GET', `/api/orders/${encodeURIComponent(orderId)}`),
  /** One key per edit the user asked for: a retried request (double click, flaky network) is applied once. */
  editOrder: (orderId: string, body: EditOrderRequestBody, idempotencyKey: string) =>
    call<OrderAdminView>('POST', `/api/orders/${encodeURIComponent(orderId)}/edit`, body, { 'idempotency-key': idempotencyKey }),
  capture: (orderId: string) => call<OrderAdminView>('POST', `/api/orders/${encodeURIComponent(orderId)}/capture`),
  cancel: (orderId: string) => call<OrderAdminView>('POST', `/api/orders/${encodeURIComponent(orderId)}/cancel`),
};
