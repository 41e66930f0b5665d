/**
 * `POST /oauth/token`: OAuth2 client credentials as LEDYER.md describes Ledyer's auth
 * server (Basic auth, `grant_type=client_credentials` in a form body as the docs and Magento
 * send it, or in the query string with no body as Ledyer's WooCommerce and order-management
 * plugins do), and the bearer check of the API. Tokens are random and opaque; they are never
 * logged or echoed in an error. At most `maxTokens` live at once: the oldest is revoked first.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';
import { header, type ApiRequest, type ApiResponse } from './http-types.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function basicCredentials(request: ApiRequest): ClientCredentials | null {
  const authorization = header(request, 'authorization') ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 §2.3.1 form-encodes both parts before base64; a client that did not still works.
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return text;
    }
  };
  return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
}

const unauthorized = (message: string): ApiError => new ApiError(401, [{ message, code: 'unauthorized' }]);

/** `grant_type` from the form body and the query string: either place, never two different values. */
function grantType(request: ApiRequest): string | null {
  const fromBody = new URLSearchParams(request.rawBody).getAll('grant_type');
  const fromQuery = request.query.getAll('grant_type');
  const given = [...new Set([...fromBody, ...fromQuery])];
  if (given.length > 1) {
    throw ApiError.of(400, `conflicting grant_type values ${given.map((value) => JSON.stringify(value)).join(' and ')}; send one, client_credentials`, 'invalid_request');
  }
  return given[0] ?? null;
}

export class TokenIssuer {
  /** Token → expiry; in insertion order, so the oldest is first. */
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
    private readonly maxTokens = 1000,
  ) {}

  get size(): number {
    return this.tokens.size;
  }

  handleTokenRequest(request: ApiRequest): ApiResponse {
    if (request.method !== 'POST') throw ApiError.of(405, 'use POST for /oauth/token', 'method_not_allowed');
    const given = basicCredentials(request);
    if (!given) throw unauthorized('client authentication required: Authorization: Basic base64(clientId:clientSecret)');
    const idMatches = sameSecret(given.clientId, this.credentials.clientId);
    const secretMatches = sameSecret(given.clientSecret, this.credentials.clientSecret);
    if (!idMatches || !secretMatches) throw unauthorized('invalid client credentials');
    const grant = grantType(request);
    if (grant === null) throw ApiError.of(400, 'grant_type is missing; send grant_type=client_credentials in the form body or the query string', 'invalid_request');
    if (grant !== 'client_credentials') {
      throw ApiError.of(400, `unsupported grant_type ${JSON.stringify(grant)}; only client_credentials is supported`, 'unsupported_grant_type');
    }
    this.pruneExpired();
    for (const oldest of this.tokens.keys()) {
      if (this.tokens.size < this.maxTokens) break;
      this.tokens.delete(oldest);
    }
    const accessToken = `v4.public.sandbox.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, this.now() + this.ttlSeconds * 1000);
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: Math.max(1, Math.round(this.ttlSeconds)), token_type: 'Bearer' },
      headers: { 'cache-control': 'no-store' },
    };
  }

  /** Throws 401 unless the request carries a live bearer token from this sandbox. */
  authenticate(request: ApiRequest): void {
    const authorization = header(request, 'authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw unauthorized('missing bearer token: get one from POST /oauth/token');
    const expiresAt = this.tokens.get(match[1]);
    if (expiresAt === undefined) throw unauthorized('unknown access token');
    if (this.now() >= expiresAt) {
      this.tokens.delete(match[1]);
      throw unauthorized('access token expired');
    }
  }

  reset(): void {
    this.tokens.clear();
  }

  /** Every token lives equally long, so expiry order is insertion order: stop at the first live one. */
  private pruneExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.tokens) {
      if (now < expiresAt) break;
      this.tokens.delete(token);
    }
  }
}
