/**
 * The sandbox's HTTP front: node:http in, routing to OAuth, the v1 API, the `/sandbox`
 * control API and the browser side (bootstrap.js and the hosted page), with fault
 * injection and idempotency in front of the API. The API is server-to-server, so it sends
 * no CORS headers; the browser side decides its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeForLog } from '../shared/log-text.js';
import { CallbackDispatcher } from './callbacks.js';
import type { CheckoutService } from './checkout-service.js';
import { CheckoutCore } from './checkout-core.js';
import type { SandboxContext } from './context.js';
import { handleControl } from './control-api.js';
import { ApiError } from './errors.js';
import { FaultInjector } from './faults.js';
import { header, type ApiRequest, type ApiResponse } from './http-types.js';
import { IdempotencyCache } from './idempotency.js';
import { resolveLimits, type SandboxLimits } from './limits.js';
import { OrderBook, ORDER_LIFETIME_MS, type MerchantIdentity } from './order-book.js';
import { TokenIssuer, type ClientCredentials } from './oauth.js';
import {
  acknowledgeOrder,
  cancelOrder,
  captureOrder,
  editCustomer,
  editOrder,
  extendOrderExpiry,
  getOrder,
  getPaymentStatus,
  partialCaptureOrder,
  partialRefundOrder,
  refundOrder,
  setOrderReference,
} from './orders-api.js';
import { createSession, getSession, updateSession } from './sessions-api.js';
import { SandboxStore } from './store.js';

export interface SandboxAppConfig {
  credentials: ClientCredentials;
  merchant: MerchantIdentity;
  sessionTtlMs: number;
  tokenTtlSeconds: number;
  notificationRetryDelaysMs: readonly number[];
  validateTimeoutMs: number;
  notificationTimeoutMs: number;
  /** What extendexpiry adds; Ledyer's figure is not public. Default: the order lifetime, 14 days. */
  orderExpiryExtensionMs?: number;
  /** Memory bounds; `DEFAULT_SANDBOX_LIMITS` when left out. */
  limits?: SandboxLimits;
}

type BrowserHandler = (request: Request, service: CheckoutService) => Promise<Response | null>;

const MAX_BODY_BYTES = 1024 * 1024;

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || address?.startsWith('127.') === true || address?.startsWith('::ffff:127.') === true;
}

type Route = (context: SandboxContext, request: ApiRequest, params: string[]) => ApiResponse | Promise<ApiResponse>;

const order = (suffix: string): RegExp => new RegExp(`^/v1/orders/([^/]+)${suffix}$`);

/** The v1 API: method, path pattern, handler. Unknown paths are 404, a known path with another method 405. */
const apiRoutes: Array<[string, RegExp, Route]> = [
  ['POST', /^\/v1\/sessions$/, (context, request) => createSession(context, request)],
  ['GET', /^\/v1\/sessions\/([^/]+)$/, (context, _request, [orderId = '']) => getSession(context, orderId)],
  ['POST', /^\/v1\/sessions\/([^/]+)$/, (context, request, [orderId = '']) => updateSession(context, orderId, request)],
  ['GET', order(''), (context, _request, [orderId = '']) => getOrder(context, orderId)],
  ['POST', order(''), (context, request, [orderId = '']) => editOrder(context, orderId, request)],
  ['DELETE', order(''), (context, _request, [orderId = '']) => cancelOrder(context, orderId)],
  ['GET', order('/paymentstatus'), (context, _request, [orderId = '']) => getPaymentStatus(context, orderId)],
  ['POST', order('/capture'), (context, request, [orderId = '']) => captureOrder(context, orderId, request)],
  ['POST', order('/partialcapture'), (context, request, [orderId = '']) => partialCaptureOrder(context, orderId, request)],
  ['POST', order('/acknowledge'), (context, request, [orderId = '']) => acknowledgeOrder(context, orderId, request)],
  ['POST', order('/reference'), (context, request, [orderId = '']) => setOrderReference(context, orderId, request)],
  ['POST', order('/extendexpiry'), (context, request, [orderId = '']) => extendOrderExpiry(context, orderId, request)],
  ['POST', order('/customer'), (context, _request, [orderId = '']) => editCustomer(context, orderId)],
  ['POST', order('/refund/([^/]+)'), (context, request, [orderId = '', ledgerId = '']) => refundOrder(context, orderId, ledgerId, request)],
  [
    'POST',
    order('/partialrefund/([^/]+)'),
    (context, request, [orderId = '', ledgerId = '']) => partialRefundOrder(context, orderId, ledgerId, request),
  ],
];

/** A path segment decoded, or a 400 naming it: a bad percent-escape is the caller's error, not a crash. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    const shown = segment.length > 100 ? `${segment.slice(0, 100)}…` : segment;
    throw ApiError.of(400, `path segment ${JSON.stringify(shown)} is not valid percent-encoding`, 'invalid_path');
  }
}

function routeApi(context: SandboxContext, request: ApiRequest): ApiResponse | Promise<ApiResponse> {
  let pathKnown = false;
  for (const [method, pattern, route] of apiRoutes) {
    const match = pattern.exec(request.pathname);
    if (!match) continue;
    pathKnown = true;
    if (method !== request.method) continue;
    return route(context, request, match.slice(1).map(decodePathSegment));
  }
  if (pathKnown) throw ApiError.of(405, `${request.method} is not allowed on ${request.pathname}`, 'method_not_allowed');
  throw ApiError.of(404, `no such endpoint: ${request.method} ${request.pathname}`, 'not_found');
}

/**
 * The `lose-answer` fault: the request runs in full, then the connection is destroyed at the
 * first attempt to write, so not one byte of the answer reaches the client.
 */
function loseAnswer(req: IncomingMessage, res: ServerResponse): void {
  const destroy = (): never => {
    req.socket.destroy();
    return res as never;
  };
  Object.assign(res, { writeHead: destroy, write: destroy, end: destroy, flushHeaders: destroy });
}

export interface SandboxApp {
  handle(req: IncomingMessage, res: ServerResponse): void;
  core: CheckoutCore;
  /** Stops notification retries and held (delayed) requests. */
  shutdown(): void;
}

export function createSandboxApp(config: SandboxAppConfig, browserHandler: BrowserHandler): SandboxApp {
  const now = (): number => Date.now();
  const limits = config.limits ?? resolveLimits();
  const store = new SandboxStore(limits, now);
  const callbacks = new CallbackDispatcher({
    validateTimeoutMs: config.validateTimeoutMs,
    notificationRetryDelaysMs: config.notificationRetryDelaysMs,
    notificationTimeoutMs: config.notificationTimeoutMs,
    maxLog: limits.maxCallbackLog,
  });
  const orders = new OrderBook(store, callbacks, config.merchant, now);
  const core = new CheckoutCore(store, callbacks, orders, now);
  const tokens = new TokenIssuer(config.credentials, config.tokenTtlSeconds, now, limits.maxTokens);
  const context: SandboxContext = {
    store,
    core,
    orders,
    callbacks,
    faults: new FaultInjector(),
    idempotency: new IdempotencyCache(limits, now),
    tokens,
    limits,
    sessionTtlMs: config.sessionTtlMs,
    orderExpiryExtensionMs: config.orderExpiryExtensionMs ?? ORDER_LIFETIME_MS,
    now,
  };
  const heldRequests = new Set<NodeJS.Timeout>();

  const hold = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        heldRequests.delete(timer);
        resolve();
      }, ms);
      heldRequests.add(timer);
    });

  async function answerApi(request: ApiRequest): Promise<ApiResponse> {
    if (request.pathname === '/oauth/token') return tokens.handleTokenRequest(request);
    tokens.authenticate(request);
    const key = header(request, 'idempotency-key');
    const isWrite = request.method === 'POST' || request.method === 'DELETE';
    if (isWrite && key) {
      return context.idempotency.run(key, request.method, request.pathname, request.rawBody, async () => {
        try {
          return await routeApi(context, request);
        } catch (error) {
          // Errors are answers too: a retry with the same key must see the same refusal.
          if (error instanceof ApiError) return errorResponse(error);
          throw error;
        }
      });
    }
    return routeApi(context, request);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      return send(res, errorResponse(ApiError.of(400, 'the request target is not a valid URL path', 'invalid_path')));
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const pathname = url.pathname;
    const isControl = pathname === '/sandbox' || pathname.startsWith('/sandbox/');
    if (isControl && !isLoopback(req.socket.remoteAddress)) {
      return send(res, errorResponse(ApiError.of(403, 'the sandbox control API answers loopback clients only', 'forbidden')));
    }
    // Every surface (API, control, browser) refuses a bad percent-escape the same way.
    try {
      for (const segment of pathname.split('/')) decodePathSegment(segment);
    } catch (error) {
      return send(res, errorResponse(error));
    }
    if (!isControl) {
      const fault = context.faults.take(method, pathname);
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        return send(res, errorResponse(ApiError.of(fault.status ?? 503, `sandbox fault injected: ${fault.status ?? 503}`, 'sandbox_fault')));
      }
      if (fault?.kind === 'delay') await hold(fault.ms ?? 0);
      if (fault?.kind === 'lose-answer') loseAnswer(req, res);
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof ApiError) return send(res, errorResponse(error));
      return;
    }
    const isApi = pathname === '/oauth/token' || pathname === '/v1' || pathname.startsWith('/v1/');
    if (!isApi && !isControl) return serveBrowser(req, res, method, body);
    const request: ApiRequest = { method, pathname, query: url.searchParams, headers: req.headers, rawBody: body.toString('utf8') };
    try {
      send(res, isControl ? await handleControl(context, request) : await answerApi(request));
    } catch (error) {
      send(res, errorResponse(error));
    }
  }

  async function serveBrowser(req: IncomingMessage, res: ServerResponse, method: string, body: Buffer): Promise<void> {
    const headers = new Headers();
    for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
      headers.append(req.rawHeaders[index] ?? '', req.rawHeaders[index + 1] ?? '');
    }
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    const hasBody = method !== 'GET' && method !== 'HEAD';
    let response: Response | null;
    try {
      const request = new Request(new URL(req.url ?? '/', origin), { method, headers, ...(hasBody ? { body: new Uint8Array(body) } : {}) });
      response = await browserHandler(request, core);
    } catch (error) {
      return send(res, errorResponse(error));
    }
    if (!response) {
      return send(res, errorResponse(ApiError.of(404, `no such endpoint: ${method} ${new URL(req.url ?? '/', origin).pathname}`, 'not_found')));
    }
    const outgoing: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') outgoing[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outgoing['set-cookie'] = cookies;
    if (response.body && /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) {
      return streamEvents(res, response.status, outgoing, response.body);
    }
    const payload = method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, outgoing);
    res.end(payload);
  }

  /**
   * An event stream is written as its events come, not buffered: it ends when the stream
   * does (expiry, `close()`), and a client that goes away cancels it, which unsubscribes
   * the page from the live channel.
   */
  async function streamEvents(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const cancel = (): void => void reader.cancel().catch(() => undefined);
    res.on('close', cancel);
    res.writeHead(status, headers);
    res.flushHeaders();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || res.destroyed) break;
        res.write(value);
      }
    } catch {
      // A cancelled read: the client is gone.
    } finally {
      res.off('close', cancel);
      res.end();
    }
  }

  return {
    handle: (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, errorResponse(error));
        else res.destroy();
      });
    },
    core,
    shutdown: () => {
      callbacks.close();
      for (const timer of heldRequests) clearTimeout(timer);
      heldRequests.clear();
    },
  };
}

/** The `{ errors }` answer for a thrown error; anything unexpected is a logged 500 that tells the caller nothing. */
export function errorResponse(error: unknown): ApiResponse {
  if (error instanceof ApiError) return { status: error.status, body: { errors: error.errors } };
  // Unexpected: log the stack (escaped: a message may carry request text) and answer without details.
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`ledyer-sandbox: internal error: ${escapeForLog(text, 4000)}`);
  return { status: 500, body: { errors: [{ message: 'internal sandbox error', code: 'internal' }] } };
}

function send(res: ServerResponse, response: ApiResponse): void {
  if (res.headersSent || res.destroyed) return;
  const payload = response.body === undefined ? '' : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...response.headers,
  });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(ApiError.of(413, `request body larger than ${MAX_BODY_BYTES} bytes`, 'payload_too_large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
