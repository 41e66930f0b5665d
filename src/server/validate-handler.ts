/**
 * `createValidateHandler`: the call Ledyer makes to the merchant's `settings.urls.validate`
 * before it creates an order (LEDYER.md, "Server callbacks Ledyer makes"). It parses
 * Ledyer's body and answers in Ledyer's terms: 200 (proceed), 303 (redirect), 422 (decline
 * with a message) or 400 (decline).
 *
 * It does not check the Content-Type: which one Ledyer sends is not documented, and
 * refusing a real callback over a header would decline orders.
 */
import {
  errorResponse,
  jsonResponse,
  logHandlerError,
  methodNotAllowed,
  readJsonBody,
  type CallbackContext,
  type FetchHandler,
  type HandlerErrorReporter,
} from './http-json.js';
import { validateCallbackSchema, type ValidateCallback } from './schemas.js';

/**
 * What the merchant decides about an order about to be created. `proceed` mirrors the
 * element's `ValidationResult`, so both halves of validation speak the same words.
 */
export type ValidateDecision =
  /** Create the order; `reference` (≤ 50 characters) becomes its merchant reference. */
  | { proceed: true; reference?: string }
  /** Refuse it: with `body` the buyer sees `title` and `body` (422); without, Ledyer's generic text (400). */
  | { proceed: false; title?: string; body?: string }
  /** Send the buyer to `redirect` (absolute http(s) URL; Ledyer fills `{order.id}` and `{session.id}`) (303). */
  | { redirect: string };

export type ValidateFunction = (callback: ValidateCallback, context: CallbackContext) => ValidateDecision | Promise<ValidateDecision>;

export interface ValidateHandlerOptions {
  /**
   * Deadline for `fn` in ms (default 5000). Ledyer treats no answer within 6 s as valid,
   * so a slow check must become an explicit decline before Ledyer gives up waiting.
   */
  timeoutMs?: number;
  maxBodyBytes?: number;
  onError?: HandlerErrorReporter;
}

class ValidateTimeoutError extends Error {
  override readonly name = 'ValidateTimeoutError';
  readonly code = 'validate_timeout';
}

type Answer = { kind: 'proceed'; reference?: string } | { kind: 'decline'; title?: string; body?: string } | { kind: 'redirect'; location: string };

/** The decision as something sendable, or why it is not. */
function readDecision(decision: unknown): Answer | string {
  const value = (decision ?? {}) as Record<string, unknown>;
  if (typeof value.redirect === 'string' || 'redirect' in value) {
    const url = typeof value.redirect === 'string' && URL.canParse(value.redirect) ? new URL(value.redirect) : null;
    return url && (url.protocol === 'https:' || url.protocol === 'http:') ? { kind: 'redirect', location: value.redirect as string } : 'redirect must be an absolute http(s) URL';
  }
  if (value.proceed === true) {
    if (value.reference === undefined) return { kind: 'proceed' };
    return typeof value.reference === 'string' && value.reference.length <= 50
      ? { kind: 'proceed', reference: value.reference }
      : 'reference must be a string of at most 50 characters';
  }
  if (value.proceed === false) {
    if (value.body === undefined) return { kind: 'decline' };
    if (typeof value.body !== 'string' || (value.title !== undefined && typeof value.title !== 'string')) return 'title and body must be strings';
    return { kind: 'decline', body: value.body, ...(typeof value.title === 'string' ? { title: value.title } : {}) };
  }
  return 'the decision must be { proceed: true }, { proceed: false } or { redirect: url }';
}

/**
 * Every doubt declines: a malformed body, a validator that throws, answers something
 * unsendable or misses its deadline gives 400. A crashed check must not approve an order
 * it could not look at.
 */
export function createValidateHandler(fn: ValidateFunction, options: ValidateHandlerOptions = {}): FetchHandler {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const report = options.onError ?? logHandlerError;

  return async (request) => {
    if (request.method !== 'POST') return methodNotAllowed('POST');
    const parsed = await readJsonBody(request, validateCallbackSchema, {
      maxBytes: maxBodyBytes,
      invalidCode: 'invalid_callback',
      messagePrefix: 'declined: ',
      tooLargeStatus: 400,
      alreadyReadStatus: 400,
      report: (error) => report(error, { handler: 'validate' }),
    });
    if (!parsed.ok) return parsed.response;

    const deadline = new AbortController();
    const onHangUp = (): void => deadline.abort();
    request.signal.addEventListener('abort', onHangUp, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          deadline.abort();
          reject(new ValidateTimeoutError(`the validate function did not answer within ${timeoutMs} ms; declined`));
        }, timeoutMs);
      });
      const decision = await Promise.race([Promise.resolve().then(() => fn(parsed.value, { request, signal: deadline.signal })), timedOut]);
      const answer = readDecision(decision);
      if (typeof answer === 'string') throw new TypeError(`the validate function answered something that cannot be sent: ${answer}; declined`);
      switch (answer.kind) {
        case 'proceed':
          return answer.reference === undefined ? new Response(null, { status: 200 }) : jsonResponse(200, { reference: answer.reference });
        case 'redirect':
          return new Response(null, { status: 303, headers: { location: answer.location } });
        case 'decline':
          // Ledyer's browser API takes `title: string | null`; the same here when none is given.
          return answer.body === undefined
            ? errorResponse(400, 'declined', 'the order was declined')
            : jsonResponse(422, { title: answer.title ?? null, body: answer.body });
      }
    } catch (error) {
      report(error, { handler: 'validate' });
      return errorResponse(400, 'declined', 'the order could not be validated');
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onHangUp);
    }
  };
}
