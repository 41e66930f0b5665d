/**
 * Ledyer's error body, `{ errors: [{ message, ... }] }`, for every failure the sandbox
 * reports, and the translation of zod issues into one entry per field path.
 */
import type { z } from 'zod';

export interface ApiErrorEntry {
  message: string;
  /** The field the error is about, e.g. `orderLines[0].totalAmount`; absent for request-wide errors. */
  path?: string;
  code?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorEntry[],
  ) {
    super(errors.map((entry) => entry.message).join('; '));
    this.name = 'ApiError';
  }

  static of(status: number, message: string, code?: string): ApiError {
    return new ApiError(status, [code ? { message, code } : { message }]);
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}

/** One entry per offending field; an unknown key is reported at its own path. */
export function zodErrors(error: z.ZodError): ApiErrorEntry[] {
  const entries: ApiErrorEntry[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = formatPath([...issue.path, key]);
        entries.push({ message: `${path}: unknown field`, path, code: issue.code });
      }
      continue;
    }
    const path = formatPath(issue.path);
    entries.push({ message: path ? `${path}: ${issue.message}` : issue.message, path, code: issue.code });
  }
  return entries;
}

/** Parses `value` with `schema` or throws a 400 naming every field path. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, zodErrors(result.error));
  return result.data;
}

/** A JSON request body, or a 400 that says the body is not JSON. */
export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') throw ApiError.of(400, 'request body is empty; expected a JSON object', 'invalid_json');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw ApiError.of(400, 'request body is not valid JSON', 'invalid_json');
  }
}

/** A JSON body that may be left out: `undefined` when empty, a 400 when it is not JSON. */
export function parseOptionalJsonBody(raw: string): unknown {
  return raw.trim() === '' ? undefined : parseJsonBody(raw);
}

/**
 * For calls that take no body: none, `{}` or `[]` (Magento and omnipay-ledyer send `[]`)
 * pass; anything else is a 400 rather than something silently ignored.
 */
export function expectNoBody(raw: string, call: string): void {
  if (!isEmptyBody(parseOptionalJsonBody(raw))) throw ApiError.of(400, `${call} takes no body: send none, {} or []`, 'unexpected_body');
}

/** No body, `{}` or `[]`. */
export function isEmptyBody(body: unknown): boolean {
  if (body === undefined) return true;
  return Array.isArray(body) ? body.length === 0 : typeof body === 'object' && body !== null && Object.keys(body).length === 0;
}
