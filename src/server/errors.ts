/**
 * The two error types the server helper rejects with. Every failure of a client call is one
 * of them, each with a stable `code` to branch on; the message is for humans.
 *
 * Nothing secret may reach these objects: they get logged, serialised and shown in stack
 * traces by the merchant's tooling. Messages are built from our own words plus Ledyer's
 * (redacted) `errors[].message`, never from request headers or bodies, and the original
 * low-level error is kept only as a redacted copy in `cause`.
 */
import type { z } from 'zod';

/** One problem with an input, as zod found it. `path` points into the value that was passed. */
export interface LedyerValidationIssue {
  path: Array<string | number>;
  message: string;
  code: string;
}

/** An input was refused before anything was sent (a bad order never leaves the server). */
export class LedyerValidationError extends Error {
  override readonly name = 'LedyerValidationError';
  readonly code = 'invalid_input' as const;
  readonly issues: LedyerValidationIssue[];

  constructor(what: string, issues: LedyerValidationIssue[]) {
    super(`${what} is invalid: ${issues.map(formatIssue).join('; ')}`);
    this.issues = issues;
  }

  /** From a zod error, with every path prefixed by `prefix` (e.g. the argument's name). */
  static fromZod(what: string, error: z.ZodError, prefix: Array<string | number> = []): LedyerValidationError {
    return new LedyerValidationError(
      what,
      error.issues.map((issue) => ({
        // zod paths may hold symbols in theory; order documents never do.
        path: [...prefix, ...issue.path.map((key) => (typeof key === 'number' ? key : String(key)))],
        message: issue.message,
        code: issue.code,
      })),
    );
  }
}

function formatIssue(issue: LedyerValidationIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/**
 * Stable codes of `LedyerApiError`:
 * - `ledyer_rejected`: Ledyer answered 4xx (the request is wrong or not allowed now).
 * - `ledyer_unavailable`: Ledyer answered 5xx, after every retry.
 * - `unauthorized`: Ledyer refused the token twice in a row, or the credentials.
 * - `network_error`: no answer (connection refused or dropped), after every retry.
 * - `timeout`: no complete answer within `timeoutMs`, after every retry.
 * - `aborted`: the caller's `AbortSignal` fired.
 * - `invalid_response`: Ledyer answered 2xx with a body that is not what its docs describe.
 * - `nothing_to_capture`: `captureOrder` without a body found no uncaptured lines (`NothingToCaptureError`).
 */
export type LedyerApiErrorCode =
  | 'ledyer_rejected'
  | 'ledyer_unavailable'
  | 'unauthorized'
  | 'network_error'
  | 'timeout'
  | 'aborted'
  | 'invalid_response'
  | 'nothing_to_capture';

/** One entry of Ledyer's `{ errors: [...] }` body. */
export interface LedyerErrorDetail {
  message: string;
  [key: string]: unknown;
}

export interface LedyerApiErrorInit {
  code: LedyerApiErrorCode;
  message: string;
  /** The HTTP status Ledyer answered, when it answered at all. */
  status?: number;
  errors?: LedyerErrorDetail[];
  /** Whether sending the same request again (with the same Idempotency-Key) may succeed. */
  retryable: boolean;
  /** `METHOD /path` of the call, without host or query. */
  endpoint?: string;
  /** Ledyer's `Retry-After` on the last answer, in ms. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** A call reached (or tried to reach) Ledyer and did not succeed. */
export class LedyerApiError extends Error {
  // `string`, not the literal, so a subclass can name itself.
  override readonly name: string = 'LedyerApiError';
  readonly code: LedyerApiErrorCode;
  readonly status: number | undefined;
  readonly errors: LedyerErrorDetail[];
  readonly retryable: boolean;
  readonly endpoint: string | undefined;
  /** How long Ledyer asked to wait before the next try (`Retry-After`), in ms, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(init: LedyerApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.retryable = init.retryable;
    this.endpoint = init.endpoint;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * `captureOrder(orderId)` read the order and found no uncaptured line: it is fully
 * captured, cancelled or refunded. Nothing was captured; `orderStatus` is the order's
 * `status[]` as Ledyer reported it. Retrying cannot help, so it is not retryable.
 */
export class NothingToCaptureError extends LedyerApiError {
  override readonly name = 'NothingToCaptureError';
  declare readonly code: 'nothing_to_capture';
  readonly orderId: string;
  readonly orderStatus: string[];

  constructor(init: { orderId: string; orderStatus: string[]; endpoint: string }) {
    const status = init.orderStatus.length > 0 ? init.orderStatus.join(', ') : 'none';
    super({
      code: 'nothing_to_capture',
      message: `${init.endpoint}: order ${init.orderId} has nothing left to capture (status: ${status})`,
      retryable: false,
      endpoint: init.endpoint,
    });
    this.orderId = init.orderId;
    this.orderStatus = [...init.orderStatus];
  }
}

/**
 * Replaces every known secret in text with `[redacted]`. Built once per client from the
 * client id, the secret, the Basic credentials and each token as it is issued.
 */
export interface Redactor {
  add(secret: string): void;
  text(value: string): string;
  /** A copy of an unknown thrown value that is safe to keep as `cause`: name, message, code, nested cause. */
  error(value: unknown, depth?: number): Error | undefined;
  /** A deep copy of JSON-like data with secrets replaced in every string. */
  data<T>(value: T): T;
}

export function createRedactor(initial: string[] = []): Redactor {
  const secrets = new Set<string>();
  const redactor: Redactor = {
    add(secret) {
      if (secret.length > 0) secrets.add(secret);
    },
    text(value) {
      let out = value;
      // Longest first, so a secret that contains another is replaced whole.
      for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('[redacted]');
      return out;
    },
    error(value, depth = 0) {
      if (value === undefined || value === null || depth > 3) return undefined;
      const source = value instanceof Error ? value : new Error(String(value));
      const nested = redactor.error((source as { cause?: unknown }).cause, depth + 1);
      const copy = new Error(redactor.text(source.message), nested ? { cause: nested } : undefined);
      copy.name = redactor.text(source.name);
      const code = (source as { code?: unknown }).code;
      if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: redactor.text(code), enumerable: false });
      // The stack names our frames, not data; keep it short and scrubbed all the same.
      copy.stack = `${copy.name}: ${copy.message}`;
      return copy;
    },
    data<T>(value: T): T {
      if (typeof value === 'string') return redactor.text(value) as T;
      if (Array.isArray(value)) return value.map((item: unknown) => redactor.data(item)) as T;
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactor.data(item)])) as T;
      }
      return value;
    },
  };
  for (const secret of initial) redactor.add(secret);
  return redactor;
}
