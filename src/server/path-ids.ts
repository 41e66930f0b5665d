/**
 * Ids that become one segment of a URL path (`v1/orders/{orderId}/refund/{ledgerId}`, the
 * checkout handler's `{basePath}/{orderId}`). They are escaped into their segment, but `.`
 * and `..` would still be resolved away by URL parsing and address another resource, and
 * an id longer than any Ledyer issues is not worth a request.
 */
import { z } from 'zod';

export const MAX_PATH_ID_LENGTH = 200;

export function pathIdSchema(name: string) {
  return z
    .string(`${name} must be a string`)
    .min(1, `${name} must not be empty`)
    .max(MAX_PATH_ID_LENGTH, `${name} must be at most ${MAX_PATH_ID_LENGTH} characters`)
    .refine((id) => id !== '.' && id !== '..', `${name} must be an id, not a path segment`);
}

export const orderIdSchema = pathIdSchema('orderId');
export const ledgerIdSchema = pathIdSchema('ledgerId');
