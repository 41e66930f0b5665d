/** What every API module shares: the store, the purchase core, the order book, and the clock. */
import type { CallbackDispatcher } from './callbacks.js';
import type { CheckoutCore } from './checkout-core.js';
import type { FaultInjector } from './faults.js';
import type { IdempotencyCache } from './idempotency.js';
import type { SandboxLimits } from './limits.js';
import type { TokenIssuer } from './oauth.js';
import type { OrderBook } from './order-book.js';
import type { SandboxStore } from './store.js';

export interface SandboxContext {
  store: SandboxStore;
  core: CheckoutCore;
  orders: OrderBook;
  callbacks: CallbackDispatcher;
  faults: FaultInjector;
  idempotency: IdempotencyCache;
  tokens: TokenIssuer;
  limits: SandboxLimits;
  sessionTtlMs: number;
  /** What `POST v1/orders/{id}/extendexpiry` adds to `expiresAt`; Ledyer's figure is not public. */
  orderExpiryExtensionMs: number;
  now: () => number;
}
