/**
 * `ledyer-checkout/server/node`: `toNodeListener(handler)` runs a Fetch-API handler under
 * `node:http` or Express. It is an entry of its own because it needs Node's modules, and
 * `ledyer-checkout/server` must not (edge runtimes have none).
 *
 * The request body is streamed to the handler (never buffered here), the handler's
 * `request.signal` aborts when the client hangs up, and the Response is streamed back with
 * backpressure. The adapter's byte cap never answers for the handler: past it, the body
 * stream errors, and the handler turns that into its own answer (the checkout handler's
 * 413 naming its limit, the validate handler's "declined" 400).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { BODY_ALREADY_READ, BODY_TOO_LARGE, type FetchHandler } from './http-json.js';

export interface NodeListenerOptions {
  /** Hard cap on any request body, in bytes (default 1 MiB); the handlers' own limits are smaller and answer first. */
  maxBodyBytes?: number;
}

/** `(req, res, next?)`: a `node:http` request listener and an Express middleware at once. */
export type NodeListener = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void;

export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}): NodeListener {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res, next) => {
    serve(handler, req, res, maxBodyBytes).catch((error: unknown) => {
      if (next) return next(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: { code: 'internal_error', message: 'internal error' } }));
      } else {
        res.destroy();
      }
    });
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  const hangUp = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) hangUp.abort();
  });

  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }

  const body = method === 'GET' || method === 'HEAD' ? null : requestBody(req, maxBodyBytes);
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: hangUp.signal };
  if (body) {
    init.body = body.stream;
    // Node's fetch requires `duplex` for a streamed body.
    init.duplex = 'half';
  }
  const request = new Request(requestUrl(req), init);
  const response = await handler(request);
  // A handler that answered without reading everything (413, 405 ...): do not keep the
  // connection alive just to drain a body nobody wants.
  if (body && !body.finished()) res.setHeader('connection', 'close');
  await send(response, res);
}

function requestUrl(req: IncomingMessage): string {
  const host = req.headers.host ?? 'localhost';
  // Express rewrites `url` inside mounted routers; `originalUrl` is what the client asked for.
  const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const url = `${scheme}://${host}${path.startsWith('/') ? path : `/${path}`}`;
  return URL.canParse(url) ? url : `${scheme}://localhost/`;
}

interface StreamedBody {
  stream: ReadableStream<Uint8Array>;
  finished(): boolean;
}

/** A body stream that fails at once with `code`: the handler reads it and answers in its own words. */
function failedBody(code: string, message: string, extra: Record<string, unknown> = {}): StreamedBody {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(Object.assign(new Error(message), { code, ...extra }));
    },
  });
  return { stream, finished: () => false };
}

function requestBody(req: IncomingMessage, maxBodyBytes: number): StreamedBody {
  // A body parser (express.json()) may already have read the stream; hand its result on.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (req.readableEnded && parsed !== undefined) {
    const bytes =
      typeof parsed === 'string' ? Buffer.from(parsed) : Buffer.isBuffer(parsed) ? parsed : Buffer.from(JSON.stringify(parsed));
    return { stream: new Blob([new Uint8Array(bytes)]).stream(), finished: () => true };
  }
  // Read by someone else and nothing left for us: waiting for 'data' would hang forever.
  if (req.readableEnded) return failedBody(BODY_ALREADY_READ, 'the request body was already read and nothing parsed was left as req.body');

  const tooLarge = (): Error =>
    Object.assign(new Error(`the body exceeds ${maxBodyBytes} bytes`), { code: BODY_TOO_LARGE, limitBytes: maxBodyBytes });
  const declared = Number(req.headers['content-length']);
  // Not a byte read: the handler answers (its own limit is usually the smaller one), then the connection closes.
  if (Number.isFinite(declared) && declared > maxBodyBytes) return failedBody(BODY_TOO_LARGE, tooLarge().message, { limitBytes: maxBodyBytes });

  let seen = 0;
  let done = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          seen += chunk.byteLength;
          if (seen > maxBodyBytes) {
            req.pause();
            req.removeAllListeners('data');
            controller.error(tooLarge());
            return;
          }
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on('end', () => {
          done = true;
          controller.close();
        });
        req.on('error', (error) => controller.error(error));
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        req.pause();
        req.removeAllListeners('data');
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  return { stream, finished: () => done };
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
}
