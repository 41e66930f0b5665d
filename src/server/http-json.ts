import type { z } from 'zod';
import { escapeForLog } from '../shared/log-text.js';

/**
 * The small HTTP vocabulary the Fetch-API handlers share: JSON answers, the error body
 * shape `{ error: { code, message, path? } }`, and reading a request body without ever
 * holding more than a set number of bytes.
 */

/** What every handler is: Fetch-API in, Fetch-API out, usable in any runtime that has them. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** What a handler passes to the merchant's function along with Ledyer's callback. */
export interface CallbackContext {
  request: Request;
  /** Aborts at the handler's deadline or when Ledyer hangs up. */
  signal: AbortSignal;
}

export interface HandlerErrorBody {
  error: { code: string; message: string; path?: Array<string | number> };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  path?: Array<string | number>,
  headers: Record<string, string> = {},
): Response {
  const body: HandlerErrorBody = { error: path && path.length > 0 ? { code, message, path } : { code, message } };
  return jsonResponse(status, body, headers);
}

export function methodNotAllowed(allowed: string): Response {
  return errorResponse(405, 'method_not_allowed', `use ${allowed}`, undefined, { allow: allowed });
}

/** `application/json`, with or without parameters such as `charset`. */
export function isJsonContentType(value: string | null): boolean {
  const mediaType = value?.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

export type BodyResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'too_large'; limitBytes: number }
  | { ok: false; reason: 'unreadable' | 'already_read' };

/** Set by `toNodeListener` on the stream error when its own limit is hit first (with `limitBytes`). */
export const BODY_TOO_LARGE = 'body_too_large';
/** Set by `toNodeListener` on the stream error when something before it consumed the body and left nothing parsed. */
export const BODY_ALREADY_READ = 'body_already_read';

/**
 * The body as UTF-8 text, or a reason it cannot be had. Stops reading (and cancels the
 * stream) at `maxBytes + 1`, so an oversized body costs at most the limit in memory.
 * A body someone else already read (a body parser in front, a handler called twice) is
 * `already_read`, never a crash on a locked stream.
 */
export async function readBody(request: Request, maxBytes: number): Promise<BodyResult> {
  if (request.bodyUsed || request.body?.locked) return { ok: false, reason: 'already_read' };
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: 'too_large', limitBytes: maxBytes };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        void reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too_large', limitBytes: maxBytes };
      }
      chunks.push(value);
    }
  } catch (error) {
    const { code, limitBytes } = (error ?? {}) as { code?: unknown; limitBytes?: unknown };
    if (code === BODY_TOO_LARGE) {
      // The adapter's cap applied first only if it is the smaller one; name the limit that held.
      return { ok: false, reason: 'too_large', limitBytes: typeof limitBytes === 'number' ? Math.min(limitBytes, maxBytes) : maxBytes };
    }
    return { ok: false, reason: code === BODY_ALREADY_READ ? 'already_read' : 'unreadable' };
  }
  try {
    // Fatal: a body that is not UTF-8 is malformed, not something to guess at.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(concat(chunks, size)) };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}

/** A handler got a request whose body was consumed before it: a mounting mistake, reported to the merchant. */
export class BodyAlreadyReadError extends Error {
  override readonly name = 'BodyAlreadyReadError';
  readonly code = BODY_ALREADY_READ;
  constructor() {
    super(BODY_ALREADY_READ_MESSAGE);
  }
}

const BODY_ALREADY_READ_MESSAGE =
  'the request body was already read before this handler ran: mount the handler before any body parser ' +
  '(such as express.json()), or pass the parsed body on as req.body (toNodeListener hands it to the handler)';

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJsonText(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `the body is not valid JSON (${(error as Error).message})` };
  }
}

export interface JsonBodyOptions {
  maxBytes: number;
  /** The error code of a body that does not match the schema, e.g. `invalid_cart`. */
  invalidCode: string;
  /** Ledyer reads any 400 from a validate URL as "decline", so that handler says so up front. */
  messagePrefix?: string;
  /** 413 for a browser; the validate handler answers 400 so Ledyer declines. */
  tooLargeStatus?: 400 | 413;
  /**
   * A body read before the handler is our merchant's mounting mistake, not the caller's:
   * 500 by default (and a notification is sent again once it is fixed); the validate
   * handler answers 400, because any doubt there must decline the order.
   */
  alreadyReadStatus?: 400 | 500;
  /** Told about a body that was already read, so the merchant sees the mistake in a log. */
  report?: (error: unknown) => void;
}

/**
 * Reads a request's JSON body and parses it with `schema`: the value, or the 4xx answer
 * that says what is wrong and where (the first zod issue, with its path).
 */
export async function readJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  options: JsonBodyOptions,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const prefix = options.messagePrefix ?? '';
  const body = await readBody(request, options.maxBytes);
  if (!body.ok) {
    switch (body.reason) {
      case 'too_large':
        return {
          ok: false,
          response: errorResponse(options.tooLargeStatus ?? 413, 'body_too_large', `${prefix}the body must be at most ${body.limitBytes} bytes`),
        };
      case 'already_read':
        options.report?.(new BodyAlreadyReadError());
        return { ok: false, response: errorResponse(options.alreadyReadStatus ?? 500, BODY_ALREADY_READ, `${prefix}${BODY_ALREADY_READ_MESSAGE}`) };
      case 'unreadable':
        return { ok: false, response: errorResponse(400, 'unreadable_body', `${prefix}the body could not be read as UTF-8 text`) };
    }
  }
  const json = parseJsonText(body.text);
  if (!json.ok) return { ok: false, response: errorResponse(400, 'invalid_json', `${prefix}${json.message}`) };
  const parsed = schema.safeParse(json.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map((key) => (typeof key === 'number' ? key : String(key)));
  const where = path.length > 0 ? path.join('.') : 'body';
  return { ok: false, response: errorResponse(400, options.invalidCode, `${prefix}${where}: ${issue?.message ?? 'invalid'}`, path) };
}

/** Where handlers report failures the HTTP answer does not show (a crashed callback, Ledyer down). */
export type HandlerErrorReporter = (error: unknown, context: { handler: 'checkout' | 'validate' | 'notification' }) => void;

/**
 * The default reporter: one line on stderr with the error's name, code and message. Our own
 * errors are already free of credentials; request bodies and headers are never logged.
 * Messages may still quote request text (an orderId, a sku), so every part is escaped:
 * a control character or bidi override in a request cannot forge or disguise a log line.
 */
export const logHandlerError: HandlerErrorReporter = (error, { handler }) => {
  const name = error instanceof Error ? error.name : 'Error';
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const codePart = typeof code === 'string' ? ` (${escapeForLog(code, 100)})` : '';
  console.error(`[ledyer-checkout] ${handler} handler: ${escapeForLog(name, 100)}${codePart}: ${escapeForLog(message)}`);
};
