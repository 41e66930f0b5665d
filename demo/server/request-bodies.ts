/**
 * The bodies the shop's own routes accept, as zod schemas, and reading them with the server
 * helper's `readJsonBody`: capped in size (413 naming the limit), UTF-8 only, JSON only, and
 * every refusal a 400 naming the field and what is expected. Unknown fields are refused too:
 * an admin who misspells one learns it instead of having it ignored.
 */
import { z } from 'zod';
import { readJsonBody } from '../../src/server/http-json.js';
import { ShopInputError } from './shop-http.js';

/** A shop request is a few hundred bytes; 16 KiB leaves room and refuses floods early. */
export const MAX_SHOP_BODY_BYTES = 16 * 1024;
/** Ledyer's limit for a session's and an order's `reference`. */
export const PURCHASE_ORDER_MAX = 50;
const MAX_LINES = 100;
/** The most of one line an order may hold: what an edit accepts, so also what a capture or refund may name. */
const MAX_LINE_QUANTITY = 999;
/** The largest amount one refund line may name, in minor units (10 million SEK). */
const MAX_AMOUNT = 1_000_000_000;

const lineId = z.string('lineId must be a string').min(1, 'lineId must not be empty').max(200, 'lineId must be at most 200 characters');
const linesOf = <T extends z.ZodType>(line: T) =>
  z
    .array(line, 'lines must be an array')
    .min(1, 'lines must list at least one line')
    .max(MAX_LINES, `lines may list at most ${MAX_LINES} lines`);

export const settingsBodySchema = z.strictObject(
  { requirePurchaseOrderNumber: z.boolean('requirePurchaseOrderNumber must be true or false') },
  'the body must be an object { requirePurchaseOrderNumber }',
);

export const purchaseOrderBodySchema = z.strictObject(
  {
    purchaseOrderNumber: z
      .string('purchaseOrderNumber must be a string')
      .trim()
      .max(PURCHASE_ORDER_MAX, `purchaseOrderNumber must be at most ${PURCHASE_ORDER_MAX} characters (Ledyer's limit for a reference)`),
  },
  'the body must be an object { purchaseOrderNumber }',
);

/** New quantities of uncaptured lines, by line reference; 0 removes a line. */
export const editBodySchema = z.strictObject(
  {
    lines: linesOf(
      z.strictObject(
        {
          reference: z.string('reference must be a string').min(1, 'reference must not be empty').max(64, 'reference must be at most 64 characters'),
          quantity: z.int('quantity must be a whole number').min(0, 'quantity must be 0 or more').max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`),
        },
        'each line must be an object { reference, quantity }',
      ),
    ),
  },
  'the body must be an object { lines: [{ reference, quantity }] }',
);

/** What shipped: a quantity per uncaptured line (by its `ol_` id); 0 leaves a line for later. */
export const partialCaptureBodySchema = z.strictObject(
  {
    lines: linesOf(
      z.strictObject(
        {
          lineId,
          quantity: z.int('quantity must be a whole number').min(0, 'quantity must be 0 or more').max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`),
        },
        'each line must be an object { lineId, quantity }',
      ),
    ),
  },
  'the body must be an object { lines: [{ lineId, quantity }] }',
);

/** A refund per line of one captured ledger: a number of units, or an amount in minor units. */
export const partialRefundBodySchema = z.strictObject(
  {
    lines: linesOf(
      z
        .strictObject(
          {
            lineId,
            quantity: z.int('quantity must be a whole number').min(1, 'quantity must be at least 1').max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`).optional(),
            amount: z.int('amount must be a whole number of minor units (öre)').min(1, 'amount must be at least 1 (minor units)').max(MAX_AMOUNT, `amount must be at most ${MAX_AMOUNT}`).optional(),
          },
          'each line must be an object { lineId, quantity } or { lineId, amount }',
        )
        .refine((line) => (line.quantity === undefined) !== (line.amount === undefined), {
          message: 'give either quantity or amount for a line, not both and not neither',
          path: ['quantity'],
        }),
    ),
  },
  'the body must be an object { lines: [{ lineId, quantity } | { lineId, amount }] }',
);

/** Capture the rest, refund a whole ledger, cancel: the action is the route; the body is `{}`. */
export const emptyActionBodySchema = z.strictObject({}, 'the body must be an empty JSON object {}');

export type PartialCaptureBody = z.infer<typeof partialCaptureBodySchema>;
export type PartialRefundBody = z.infer<typeof partialRefundBodySchema>;

/** The body parsed with `schema`, or the 4xx answer that says what is wrong. Reads at most `MAX_SHOP_BODY_BYTES`. */
export function readShopBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  return readJsonBody(request, schema, { maxBytes: MAX_SHOP_BODY_BYTES, invalidCode: 'invalid_request' });
}

// Header-safe: visible ASCII, as the client requires; checked here so that nothing is read from Ledyer first.
const idempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/);

/**
 * The browser's `Idempotency-Key` (one per admin action the user asked for, so a double click
 * or a retried request is applied once), or a new one for a caller that sent none.
 */
export function idempotencyKeyOf(request: Request): string {
  const given = request.headers.get('idempotency-key');
  if (given === null) return crypto.randomUUID();
  if (!idempotencyKeySchema.safeParse(given).success) {
    throw new ShopInputError('the Idempotency-Key header must be 1 to 255 visible ASCII characters without spaces (a UUID is best)', ['Idempotency-Key']);
  }
  return given;
}
