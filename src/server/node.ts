/**
 * `ledyer-checkout/server/node`: `toNodeListener(handler)` runs a Fetch-API handler under
 * `node:http` or Express. It is an entry of its own because it needs Node's modules, and
 * `ledyer-checkout/server` must not (edge runtimes have none). The
 * request body is streamed to the handler (never buffered here) with a byte limit, the
 * handler's `request.signal` aborts when the client hangs up, and the Response is streamed
 * back with backpressure.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { BODY_TOO_LARGE, errorResponse, type FetchHandler } from './http-json.js';

export interface NodeListenerOptions {
  /** Hard cap on any request body, in bytes (default 1 MiB); the handlers' own limits are usually smaller. */
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

  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    // Answer before reading a byte, and close the connection rather than drain the rest.
    res.setHeader('connection', 'close');
    return send(errorResponse(413, 'body_too_large', `the body must be at most ${maxBodyBytes} bytes`), res);
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

function requestBody(req: IncomingMessage, maxBodyBytes: number): StreamedBody {
  // A body parser (express.json()) may already have read the stream; hand its result on.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (req.readableEnded && parsed !== undefined) {
    const bytes =
      typeof parsed === 'string' ? Buffer.from(parsed) : Buffer.isBuffer(parsed) ? parsed : Buffer.from(JSON.stringify(parsed));
    return { stream: new Blob([new Uint8Array(bytes)]).stream(), finished: () => true };
  }

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
            controller.error(Object.assign(new Error(`the body exceeds ${maxBodyBytes} bytes`), { code: BODY_TOO_LARGE }));
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
