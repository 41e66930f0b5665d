/**
 * The JSON the storefront's browser code and its server side exchange (`/api/...`).
 * Types only: both sides import them, neither ships the other's code.
 */
import type { CheckoutState, CheckoutStatusAnswer, CheckoutUpdateAnswer } from '../src/server/index.js';
import type { Order } from '../src/server/schemas.js';

export type { CheckoutState, CheckoutStatusAnswer, CheckoutUpdateAnswer };

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

/** `POST /api/checkout/session/{orderId}/purchase-order`: saved on the checkout, sent as the session's `reference`. */
export interface PurchaseOrderRequest {
  purchaseOrderNumber: string;
}

export interface ReceivedNotification {
  eventType: string;
  receivedAt: string;
  /** Ledyer's payment status, read back from Ledyer when the notification came (null for session events). */
  paymentStatus: string | null;
}

/** A captured line's rest: what may still be refunded. */
export interface RefundableLine {
  lineId: string;
  type: string;
  reference: string;
  description: string;
  vat: number;
  /** Whole units not yet refunded. */
  quantity: number;
  /** What one unit costs, or null for a line sold by total that does not split into units. */
  unitAmount: number | null;
  totalAmount: number;
  totalVatAmount: number;
}

/** One captured ledger (an invoice) as the admin sees it: what is left to refund, and the refunds that credit it. */
export interface CapturedLedgerView {
  ledgerId: string;
  refundLedgerIds: string[];
  left: RefundableLine[];
}

/** The order admin panel's data: Ledyer's order entity and payment status, and what the shop knows of it. */
export interface OrderAdminView {
  order: Order;
  paymentStatus: { status: string; paymentMethod: { provider: string; type: string } | null };
  /** The shop's own order number (`FIKA-1001`), given when Ledyer reported the order. */
  shopOrderNumber: string | null;
  /** Oldest first; the newest `maxNotificationsPerOrder` are kept. */
  notifications: ReceivedNotification[];
  /** In the order of `order.captured`. */
  ledgers: CapturedLedgerView[];
}

/** `POST /api/orders/{orderId}/edit`: new quantities of uncaptured lines, by line reference; 0 removes a line. */
export interface EditOrderRequestBody {
  lines: Array<{ reference: string; quantity: number }>;
}

/** `POST /api/orders/{orderId}/partial-capture`: what shipped, per uncaptured line id. */
export interface PartialCaptureRequestBody {
  lines: Array<{ lineId: string; quantity: number }>;
}

/** `POST /api/orders/{orderId}/ledgers/{ledgerId}/partial-refund`: units or an amount (minor units) per line. */
export interface PartialRefundRequestBody {
  lines: Array<{ lineId: string; quantity: number } | { lineId: string; amount: number }>;
}

/** Every failure, from the shop's routes and the server helper's handlers alike. */
export interface ApiErrorBody {
  error: { code: string; message: string; path?: Array<string | number> };
}
