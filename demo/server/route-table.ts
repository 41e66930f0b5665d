/**
 * The shop's routes as a table: method, path pattern (`:name` for one path segment), who may
 * call it, and a small named function. Matching is pure: it says which route a request
 * means, which methods the path has when the method is wrong, or which segment is not an id.
 */
import type { z } from 'zod';
import { orderIdSchema, pathIdSchema } from '../../src/server/path-ids.js';

/**
 * Who may call a route, and what the request must show for it (request-guard.ts):
 * - `public`: anyone; reads that reveal nothing private.
 * - `shopper`: the shop's own page: same-origin, and JSON for writes.
 * - `admin`: the shop's own page with the per-run admin token.
 * - `ledyer`: Ledyer's server-to-server callbacks; they carry no browser headers and no
 *   token, so the handlers trust nothing in their bodies instead.
 */
export type RouteAccess = 'public' | 'shopper' | 'admin' | 'ledyer';

export type RouteParams = Readonly<Record<string, string>>;

export interface ShopRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** e.g. `/api/orders/:orderId/capture`. */
  path: string;
  access: RouteAccess;
  handle: (request: Request, params: RouteParams) => Promise<Response>;
}

export type RouteMatch =
  | { kind: 'found'; route: ShopRoute; params: RouteParams }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'bad-segment'; name: string; message: string }
  | { kind: 'none' };

/**
 * How each named segment is checked: ids Ledyer issues (`or_…`, `in_…`) are short, never `.`
 * or `..`, and visible ASCII; anything else is refused before any record or Ledyer is consulted.
 */
const visibleAscii = /^[\x21-\x7e]+$/;
const segmentSchemas: Record<string, z.ZodType<string>> = {
  orderId: orderIdSchema.regex(visibleAscii, 'orderId must be visible ASCII characters, as the ids Ledyer issues are'),
  ledgerId: pathIdSchema('ledgerId').regex(visibleAscii, 'ledgerId must be visible ASCII characters, as the ids Ledyer issues are'),
};

function segmentsOf(path: string): string[] {
  return path.split('/').slice(1);
}

type PathMatch = { ok: true; params: RouteParams } | { ok: false; name: string; message: string } | null;

/** The params of `pattern` in `pathname`; null when it is another path; or the first segment that is not an id. */
function matchPath(pattern: string, pathname: string): PathMatch {
  const want = segmentsOf(pattern);
  const got = segmentsOf(pathname);
  if (want.length !== got.length) return null;
  for (const [index, expected] of want.entries()) {
    if (!expected.startsWith(':') && expected !== got[index]) return null;
  }
  const params: Record<string, string> = {};
  for (const [index, expected] of want.entries()) {
    if (!expected.startsWith(':')) continue;
    const name = expected.slice(1);
    const raw = got[index] ?? '';
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return { ok: false, name, message: `${name} in the path is not valid percent-encoding: ${JSON.stringify(raw.slice(0, 60))}` };
    }
    const schema = segmentSchemas[name];
    const parsed = schema ? schema.safeParse(decoded) : { success: true as const, data: decoded };
    if (!parsed.success) return { ok: false, name, message: parsed.error.issues[0]?.message ?? `${name} is not valid` };
    params[name] = parsed.data;
  }
  return { ok: true, params };
}

export function matchRoute(routes: readonly ShopRoute[], method: string, pathname: string): RouteMatch {
  const allowed: string[] = [];
  let badSegment: { name: string; message: string } | null = null;
  for (const route of routes) {
    const match = matchPath(route.path, pathname);
    if (match === null) continue;
    if (!match.ok) {
      badSegment ??= { name: match.name, message: match.message };
      continue;
    }
    if (route.method === method) return { kind: 'found', route, params: match.params };
    allowed.push(route.method);
  }
  if (badSegment) return { kind: 'bad-segment', ...badSegment };
  if (allowed.length > 0) return { kind: 'wrong-method', allowed: [...new Set(allowed)] };
  return { kind: 'none' };
}
