/**
 * `ledyer-checkout/sandbox`: a local stand-in for Ledyer's servers (OAuth, sessions, orders,
 * server callbacks) and its browser side (bootstrap.js and the hosted checkout page), on one
 * loopback origin. Tests and the demo run against it offline with no real credentials.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleBrowserRequest } from './browser-routes.js';
import { resolveLimits, type SandboxLimits } from './limits.js';
import { createSandboxApp } from './server.js';

export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';

export interface SandboxMerchantOptions {
  merchantId?: string;
  storeId?: string | null;
  clientId?: string;
  clientSecret?: string;
}

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default: the control API and the well-known credentials are not for a network. */
  host?: string;
  merchant?: SandboxMerchantOptions;
  /** How long a session lives; Ledyer's is 7 days. */
  sessionTtlMs?: number;
  /** How long an access token lives; Ledyer's is 3600 s. Fractions are allowed for tests. */
  tokenTtlSeconds?: number;
  /** Waits between notification retries after the immediate one; default [100, 500, 2000]. */
  notificationRetryDelaysMs?: readonly number[];
  /** Deadline for the merchant's validate URL; Ledyer's is 6000 ms. */
  validateTimeoutMs?: number;
  /** What `POST v1/orders/{id}/extendexpiry` adds to `expiresAt`; Ledyer's figure is not public. Default 14 days. */
  orderExpiryExtensionMs?: number;
  /** Memory bounds (sessions, idempotency keys, tokens, callback log); see `DEFAULT_SANDBOX_LIMITS`. */
  limits?: Partial<SandboxLimits>;
}

export interface RunningSandbox {
  /** Origin of the API and the browser side, e.g. `http://127.0.0.1:4010`. */
  url: string;
  credentials: { clientId: string; clientSecret: string };
  merchantId: string;
  storeId: string | null;
  /** Frees the port, drops open connections, and cancels pending notification retries. */
  close(): Promise<void>;
}

/** Well-known sandbox credentials, printed by the CLI and the docs; they guard nothing real. */
export const DEFAULT_SANDBOX_CREDENTIALS = Object.freeze({
  clientId: 'ledyer-sandbox-client',
  clientSecret: 'ledyer-sandbox-secret',
});
export const DEFAULT_SANDBOX_MERCHANT_ID = 'ac_2SandboxMerchantAccount0001';
export const DEFAULT_SANDBOX_STORE_ID = 'sandbox-store';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const credentials = {
    clientId: options.merchant?.clientId ?? DEFAULT_SANDBOX_CREDENTIALS.clientId,
    clientSecret: options.merchant?.clientSecret ?? DEFAULT_SANDBOX_CREDENTIALS.clientSecret,
  };
  const merchant = {
    merchantId: options.merchant?.merchantId ?? DEFAULT_SANDBOX_MERCHANT_ID,
    storeId: options.merchant?.storeId === undefined ? DEFAULT_SANDBOX_STORE_ID : options.merchant.storeId,
  };
  const validateTimeoutMs = options.validateTimeoutMs ?? 6000;
  const limits = resolveLimits(options.limits);
  if (options.orderExpiryExtensionMs !== undefined && !(options.orderExpiryExtensionMs > 0)) {
    throw new TypeError(`startSandbox: orderExpiryExtensionMs must be a positive number, got ${String(options.orderExpiryExtensionMs)}`);
  }
  const app = createSandboxApp(
    {
      credentials,
      merchant,
      sessionTtlMs: options.sessionTtlMs ?? 7 * DAY_MS,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      notificationRetryDelaysMs: options.notificationRetryDelaysMs ?? [100, 500, 2000],
      validateTimeoutMs,
      notificationTimeoutMs: Math.max(validateTimeoutMs, 10_000),
      limits,
      ...(options.orderExpiryExtensionMs === undefined ? {} : { orderExpiryExtensionMs: options.orderExpiryExtensionMs }),
    },
    handleBrowserRequest,
  );
  const server = createServer(app.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${address.port}`,
    credentials,
    merchantId: merchant.merchantId,
    storeId: merchant.storeId,
    close() {
      closing ??= new Promise<void>((resolve) => {
        app.shutdown();
        // Ends every open page's event stream and answers control calls waiting on a page.
        app.core.live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export type { CheckoutService } from './checkout-service.js';
export type { CallbackDelivery } from './callbacks.js';
export type { FaultSpecInput as SandboxFault } from './faults.js';
export { formatAmount, type FormattedAmount } from './money-format.js';
export { SANDBOX_TEST_COMPANIES } from './test-companies.js';
