/**
 * The OAuth2 access token, shared by every call of one client. It is reused until shortly
 * before it expires, and however many calls find the cache cold at once, only one token
 * request goes out: the others wait for it (single flight). Ledyer's tokens live an hour;
 * asking for one per API call would double the latency of every call and invite rate limits.
 */

export interface IssuedToken {
  accessToken: string;
  /** Lifetime as the token endpoint stated it (`expires_in`). */
  expiresInSeconds: number;
}

export interface TokenCacheOptions {
  /** Fetches a new token. Runs without any caller's signal: one caller giving up must not fail the others. */
  requestToken: () => Promise<IssuedToken>;
  now: () => number;
  /** Refresh this long before expiry (capped at half the token's lifetime), so a token never expires in flight. */
  refreshMarginMs?: number;
}

export interface TokenCache {
  /** A valid token; waits for the shared request when there is none. */
  get(signal?: AbortSignal): Promise<string>;
  /** Drops `token` if it is still the cached one (Ledyer refused it). A newer token is kept. */
  invalidate(token: string): void;
}

export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const margin = options.refreshMarginMs ?? 60_000;
  let cached: { value: string; refreshAt: number } | null = null;
  let inflight: Promise<string> | null = null;

  function refresh(): Promise<string> {
    inflight ??= options
      .requestToken()
      .then((issued) => {
        const lifetimeMs = issued.expiresInSeconds * 1000;
        cached = { value: issued.accessToken, refreshAt: options.now() + lifetimeMs - Math.min(margin, lifetimeMs / 2) };
        return issued.accessToken;
      })
      .finally(() => {
        inflight = null;
      });
    // Every waiter may have given up (aborted); the failure is theirs to see, never unhandled.
    inflight.catch(() => undefined);
    return inflight;
  }

  return {
    get(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (cached && options.now() < cached.refreshAt) return Promise.resolve(cached.value);
      const shared = refresh();
      if (!signal) return shared;
      // The caller may stop waiting; the shared request carries on for everyone else.
      return new Promise((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    invalidate(token) {
      if (cached?.value === token) cached = null;
    },
  };
}
