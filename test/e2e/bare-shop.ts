/**
 * The demo shop's server without Vite or a browser: the sandbox (the testing kit's
 * `startLedyerSandbox`, so a test buys and reads callbacks through its control client), a
 * Ledyer client whose every request is counted, the shop backend, and `node:http` with the
 * same listener the Vite plugin mounts (demo/server/node-listener.ts). For tests that send the
 * shop what no page would (malformed, forged, oversized) and must prove that nothing reached Ledyer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLedyerClient } from '../../src/server/index.js';
import { startLedyerSandbox, type LedyerSandbox } from '../../src/testing/index.js';
import type { CheckoutBookLimits } from '../../demo/server/checkout-book.js';
import { shopNodeListener } from '../../demo/server/node-listener.js';
import { createShopBackend, type ShopBackend } from '../../demo/server/shop-backend.js';

export interface BareShop {
  /** e.g. `http://127.0.0.1:53817`. */
  url: string;
  adminToken: string;
  /** The kit's sandbox: its control client buys server-side and reads the callback log. */
  sandbox: LedyerSandbox;
  backend: ShopBackend;
  /** Every request the shop's Ledyer client sent, as `METHOD /path`, oldest first. */
  upstream: string[];
  /** The shop's log lines. */
  logs: string[];
  close(): Promise<void>;
}

export async function startBareShop(options: { limits?: Partial<CheckoutBookLimits> } = {}): Promise<BareShop> {
  const sandbox = await startLedyerSandbox({ host: '127.0.0.1' });
  const upstream: string[] = [];
  const logs: string[] = [];
  const client = createLedyerClient({
    ...sandbox.clientOptions,
    fetch: (input, init) => {
      upstream.push(`${init.method ?? 'GET'} ${new URL(input).pathname}`);
      return fetch(input, init);
    },
  });
  let url = '';
  const adminToken = 'bare-shop-admin-token-0123456789';
  const backend = createShopBackend({
    client,
    shopUrl: () => url,
    callbackBaseUrl: () => url,
    adminToken,
    ...(options.limits ? { limits: options.limits } : {}),
    log: (line) => logs.push(line),
  });
  const server: Server = createServer(shopNodeListener(backend));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    adminToken,
    sandbox,
    backend,
    upstream,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
    },
  };
}
