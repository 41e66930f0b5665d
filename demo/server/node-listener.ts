/**
 * The shop's `/api/...` routes as a `node:http` listener, through the server helper's
 * `toNodeListener`: how the Vite plugin mounts them, and how the demo's fuzz test serves
 * them on a plain node:http server.
 */
import { toNodeListener, type NodeListener } from '../../src/server/node.js';
import type { ShopBackend } from './shop-backend.js';
import { problem } from './shop-http.js';

export function shopNodeListener(shop: ShopBackend): NodeListener {
  return toNodeListener(async (request) => (await shop.handle(request)) ?? problem(404, 'not_found', 'the shop serves only /api/... here'));
}
