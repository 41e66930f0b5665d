/**
 * `Idempotency-Key` on writes (seed edit-order.txt: "retries of requests will be safe").
 * The first request with a key does the work; a repeat with the same method, path and body
 * gets the stored answer (status and body) without doing it again, even while the first is
 * still running; a repeat with a different body is a 422.
 *
 * A 5xx answer is not remembered: the client is meant to retry it for real.
 * Keys are remembered for `idempotencyKeyTtlMs` and at most `maxIdempotencyKeys` of them;
 * beyond that the oldest finished one is forgotten first. A key still running is never
 * forgotten, so a concurrent retry cannot slip past it.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './errors.js';
import type { ApiResponse } from './http-types.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './limits.js';

interface Entry {
  fingerprint: string;
  response: Promise<ApiResponse>;
  createdAtMs: number;
  settled: boolean;
}

export type IdempotencyLimits = Pick<SandboxLimits, 'maxIdempotencyKeys' | 'idempotencyKeyTtlMs'>;

export class IdempotencyCache {
  /** In insertion order, which is creation order: the oldest are at the front. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly limits: IdempotencyLimits = DEFAULT_SANDBOX_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async run(key: string, method: string, pathname: string, rawBody: string, work: () => Promise<ApiResponse>): Promise<ApiResponse> {
    const nowMs = this.now();
    this.forgetExpired(nowMs);
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
    this.makeRoom();
    const response = work();
    const entry: Entry = { fingerprint, response, createdAtMs: nowMs, settled: false };
    this.entries.set(key, entry);
    try {
      const answer = await response;
      entry.settled = true;
      if (answer.status >= 500) this.entries.delete(key);
      return answer;
    } catch (error) {
      // An unexpected crash is not an answer worth replaying; let the client retry for real.
      this.entries.delete(key);
      throw error;
    }
  }

  reset(): void {
    this.entries.clear();
  }

  private forgetExpired(nowMs: number): void {
    for (const [key, entry] of this.entries) {
      if (nowMs - entry.createdAtMs < this.limits.idempotencyKeyTtlMs) break;
      if (entry.settled) this.entries.delete(key);
    }
  }

  private makeRoom(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size < this.limits.maxIdempotencyKeys) return;
      if (entry.settled) this.entries.delete(key);
    }
  }
}
