/**
 * The shop's answers: JSON with `cache-control: no-store`, and every failure in the server
 * helper's shape `{ error: { code, message, path? } }`, so the page reads all of them alike.
 */
import type { HandlerErrorBody } from '../../src/server/index.js';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function problem(status: number, code: string, message: string, path?: Array<string | number>, headers: Record<string, string> = {}): Response {
  const body: HandlerErrorBody = { error: path && path.length > 0 ? { code, message, path } : { code, message } };
  return json(status, body, headers);
}

/** A request the shop refuses with a 400 and this message (and the field's path, when there is one). */
export class ShopInputError extends Error {
  override readonly name = 'ShopInputError';
  constructor(
    message: string,
    readonly path?: Array<string | number>,
  ) {
    super(message);
  }
}
