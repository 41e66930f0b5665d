/**
 * `Idempotency-Key` on writes (seed edit-order.txt: "retries of requests will be safe").
 * The first request with a key does the work; a repeat with the same method, path and body
 * gets the stored answer (status and body) without doing it again, even while the first is
 * still running; a repeat with a different body is a 422.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './errors.js';
import type { ApiResponse } from './http-types.js';

interface Entry {
  fingerprint: string;
  response: Promise<ApiResponse>;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  async run(key: string, method: string, pathname: string, rawBody: string, work: () => Promise<ApiResponse>): Promise<ApiResponse> {
    const fingerprint = createHash('sha256').update(`${method} ${pathname}\n${rawBody}`).digest('hex');
    const existing = this.entries.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw ApiError.of(
          422,
          'Idempotency-Key was already used with a different request; use a new key for a new request',
          'idempotency_key_reused',
        );
      }
      const first = await existing.response;
      return { ...first, headers: { ...first.headers, 'idempotent-replayed': 'true' } };
    }
    const response = work();
    this.entries.set(key, { fingerprint, response });
    try {
      return await response;
    } catch (error) {
      // An unexpected crash is not an answer worth replaying; let the client retry for real.
      this.entries.delete(key);
      throw error;
    }
  }

  reset(): void {
    this.entries.clear();
  }
}
