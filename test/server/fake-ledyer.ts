/**
 * A small fake of Ledyer's auth and API hosts on 127.0.0.1 (port 0) for the client tests:
 * it records every request and answers with whatever the test scripts, including the
 * failures a real network produces (a dropped connection, no answer at all).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLedyerClient, type LedyerClient, type LedyerClientOptions } from '../../src/server/index.js';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP answer, or `drop` (destroy the socket) or `hang` (never answer). */
export type Reply = { status: number; json?: unknown; raw?: string; headers?: Record<string, string>; delayMs?: number } | 'drop' | 'hang';

export interface FakeLedyerOptions {
  /** Answers API calls; `n` counts API requests from 0. Default: 200 `{}`. */
  api?: (request: Recorded, n: number) => Reply | Promise<Reply>;
  /** Answers token requests; default issues `tok_<n>_...` for the right Basic credentials. */
  token?: (request: Recorded, n: number) => Reply | Promise<Reply>;
  /** Delay before a token answer, so concurrent callers pile up behind it. */
  tokenDelayMs?: number;
  expiresIn?: number;
}

export const CLIENT_ID = 'merchant-client-id-5f2a';
export const CLIENT_SECRET = 'sup3r-s3cret-value-9c1e';
export const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

export interface FakeLedyer {
  url: string;
  tokenRequests: Recorded[];
  apiRequests: Recorded[];
  /** Every access token the fake has issued. */
  issued: string[];
  close(): Promise<void>;
}

export async function startFakeLedyer(options: FakeLedyerOptions = {}): Promise<FakeLedyer> {
  const tokenRequests: Recorded[] = [];
  const apiRequests: Recorded[] = [];
  const issued: string[] = [];

  const defaultToken = (request: Recorded, n: number): Reply => {
    if (request.headers.authorization !== `Basic ${BASIC}`) return { status: 401, json: { error: 'invalid_client' } };
    const token = `tok_${n}_${Math.random().toString(36).slice(2)}`;
    issued.push(token);
    return { status: 200, json: { access_token: token, expires_in: options.expiresIn ?? 3600, token_type: 'Bearer' }, delayMs: options.tokenDelayMs };
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    let reply: Reply;
    if (recorded.path === '/oauth/token') {
      tokenRequests.push(recorded);
      reply = await (options.token ?? defaultToken)(recorded, tokenRequests.length - 1);
    } else {
      apiRequests.push(recorded);
      reply = await (options.api ?? (() => ({ status: 200, json: {} })))(recorded, apiRequests.length - 1);
    }
    await answer(res, reply, req.socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    tokenRequests,
    apiRequests,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(res: ServerResponse, reply: Reply, socket: { destroy(): void }): Promise<void> {
  if (reply === 'drop') return socket.destroy();
  if (reply === 'hang') return;
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}

/** Ledyer's answer to create session. */
export const sessionCreated = { sessionId: 'cs_2a9f', orderId: 'or_2a9f', expiresAt: '2026-12-01T10:00:00Z' };

/** The bearer token a recorded API request carried. */
export const bearerOf = (request: Recorded): string | undefined => request.headers.authorization?.replace(/^Bearer /, '');

/** A client of the fake with the merchant's credentials and quick retries; `overrides` are what a test varies. */
export function clientOf(fake: FakeLedyer, overrides: Partial<LedyerClientOptions> = {}): LedyerClient {
  return createLedyerClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    environment: 'sandbox',
    baseUrls: { api: fake.url, auth: fake.url },
    retryDelayMs: 1,
    ...overrides,
  });
}

/** What `promise` rejected with; the test fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}
