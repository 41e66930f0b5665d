/**
 * How much the sandbox holds in memory. Each store is bounded by a count and, where the data
 * goes stale, an age, so a long-running sandbox (the demo, a CI service) cannot grow without
 * end however many sessions, keys, tokens or callbacks it sees.
 */
export interface SandboxLimits {
  /** Sessions held, each with its order once bought. When full, the oldest expired or bought ones are evicted; else 503 `sandbox_full`. */
  maxSessions: number;
  /** How long a session still answers `status: "expired"` after it expired, before it is forgotten. */
  expiredSessionRetentionMs: number;
  /** How long a bought session and its order are kept after their last change. */
  finishedSessionRetentionMs: number;
  /** `Idempotency-Key`s remembered; the oldest is forgotten first. */
  maxIdempotencyKeys: number;
  /** How long a key replays its first answer. */
  idempotencyKeyTtlMs: number;
  /** Live access tokens; beyond it the oldest is revoked (a client then gets 401 and a new token). */
  maxTokens: number;
  /** Entries of the callback log (`GET /sandbox/callbacks`); the newest are kept. */
  maxCallbackLog: number;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  maxSessions: 10_000,
  expiredSessionRetentionMs: DAY_MS,
  finishedSessionRetentionMs: 30 * DAY_MS,
  maxIdempotencyKeys: 10_000,
  idempotencyKeyTtlMs: DAY_MS,
  maxTokens: 1_000,
  maxCallbackLog: 1_000,
});

/** The defaults with `overrides` applied; a limit that is not a positive number is a programmer error. */
export function resolveLimits(overrides: Partial<SandboxLimits> = {}): SandboxLimits {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS };
  for (const [name, value] of Object.entries(overrides) as Array<[keyof SandboxLimits, unknown]>) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_SANDBOX_LIMITS)) throw new TypeError(`startSandbox: unknown limit limits.${String(name)}`);
    if (typeof value !== 'number' || !(value > 0)) throw new TypeError(`startSandbox: limits.${name} must be a positive number, got ${String(value)}`);
    limits[name] = value;
  }
  return limits;
}
