/**
 * The JSON the storefront's browser code and its server side exchange (`/api/...`).
 * Types only: both sides import them, neither ships the other's code.
 */
import type { Order } from '../src/server/schemas.js';

/** A cart line as the browser sends it: a sku and a quantity, never a price. */
export interface CartItem {
  sku: string;
  quantity: number;
}

export interface ProductView {
  sku: string;
  name: string;
  summary: string;
  type: string;
  /** Incl. VAT, minor units; for display only. */
  unitPrice: number;
  vat: number;
  image: string;
}

export interface CatalogueResponse {
  currency: string;
  products: ProductView[];
  shippingFee: ProductView;
  maxQuantity: number;
}

export interface StoreSettings {
  /** Store policy: a purchase needs a purchase order number (saved as the order's reference). */
  requirePurchaseOrderNumber: boolean;
}

export interface CheckoutSessionResponse {
  sessionId: string;
  orderId: string;
  expiresAt: string;
}

export interface SessionUpdateRequest {
  items?: CartItem[];
  /** Ends up as the session's `reference`, which Ledyer prints on the invoice. */
  purchaseOrderNumber?: string;
}

export interface SessionUpdateResponse {
  sessionId: string;
  orderId: string;
  totalOrderAmount: number;
}

export interface ReceivedNotification {
  eventType: string;
  receivedAt: string;
}

/** The order admin panel's data: Ledyer's order entity plus the webhooks this server got for it. */
export interface OrderAdminView {
  order: Order;
  notifications: ReceivedNotification[];
}

/** `POST /api/orders/{orderId}/edit`: new quantities of uncaptured lines, by line reference; 0 removes a line. */
export interface EditOrderRequestBody {
  lines: Array<{ reference: string; quantity: number }>;
}

/** Every failure, from the shop's routes and the server helper's handlers alike. */
export interface ApiErrorBody {
  error: { code: string; message: string; path?: Array<string | number> };
}
