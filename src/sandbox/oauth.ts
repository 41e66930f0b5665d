/**
 * `POST /oauth/token`: OAuth2 client credentials as LEDYER.md describes Ledyer's auth
 * server (Basic auth, form `grant_type=client_credentials`), and the bearer check of the API.
 * Tokens are random and opaque; they are never logged or echoed in an error.
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

export class TokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  handleTokenRequest(request: ApiRequest): ApiResponse {
    if (request.method !== 'POST') throw ApiError.of(405, 'use POST for /oauth/token', 'method_not_allowed');
    const given = basicCredentials(request);
    if (!given) throw unauthorized('client authentication required: Authorization: Basic base64(clientId:clientSecret)');
    const idMatches = sameSecret(given.clientId, this.credentials.clientId);
    const secretMatches = sameSecret(given.clientSecret, this.credentials.clientSecret);
    if (!idMatches || !secretMatches) throw unauthorized('invalid client credentials');
    const grantType = new URLSearchParams(request.rawBody).get('grant_type');
    if (grantType !== 'client_credentials') {
      throw ApiError.of(400, `unsupported grant_type ${JSON.stringify(grantType)}; only client_credentials is supported`, 'unsupported_grant_type');
    }
    this.pruneExpired();
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

  private pruneExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.tokens) if (now >= expiresAt) this.tokens.delete(token);
  }
}
