/** Shared plumbing for the sandbox's node:test suites: a started sandbox, a token, a receiver. */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleBrowserRequest } from '../../src/sandbox/browser-routes.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { resolveLimits } from '../../src/sandbox/limits.js';
import type { SandboxPaymentMethod } from '../../src/sandbox/order-book.js';
import { createSandboxApp } from '../../src/sandbox/server.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface SandboxClient {
  sandbox: RunningSandbox;
  url: string;
  token: () => Promise<string>;
  api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;
  control: (method: string, path: string, body?: unknown) => Promise<Answer>;
  close: () => Promise<void>;
}

export async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text so the assertion message shows it.
  }
  return { status: response.status, headers: response.headers, body };
}

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

export async function requestToken(url: string, clientId: string, clientSecret: string, grantType = 'client_credentials'): Promise<Answer> {
  return read(
    await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basicAuth(clientId, clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: grantType }).toString(),
    }),
  );
}

export async function startClient(options: SandboxOptions = {}): Promise<SandboxClient> {
  const sandbox = await startSandbox(options);
  let cached: string | undefined;
  const token = async (): Promise<string> => {
    if (cached) return cached;
    const answer = await requestToken(sandbox.url, sandbox.credentials.clientId, sandbox.credentials.clientSecret);
    if (answer.status !== 200) throw new Error(`token: ${answer.status}`);
    cached = answer.body.access_token as string;
    return cached;
  };
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json', ...headers },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    return read(await fetch(`${sandbox.url}${path}`, init));
  };
  const control = async (method: string, path: string, body?: unknown): Promise<Answer> =>
    read(
      await fetch(`${sandbox.url}/sandbox${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  return { sandbox, url: sandbox.url, token, api, control, close: () => sandbox.close() };
}

export interface Received {
  path: string;
  body: any;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer; the default is 200 with an empty JSON object. */
  respond: (request: IncomingMessage, res: ServerResponse, body: any, index: number) => void;
  waitFor: (count: number, timeoutMs?: number) => Promise<Received[]>;
  close: () => Promise<void>;
}

/** A merchant endpoint the sandbox calls back (validate, notification). */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    },
    waitFor: async (count, timeoutMs = 3000) => {
      const deadline = Date.now() + timeoutMs;
      while (receiver.received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} callbacks, got ${receiver.received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return receiver.received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((request, res) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : null;
      const index = receiver.received.length;
      receiver.received.push({ path: request.url ?? '/', body, at: Date.now() });
      receiver.respond(request, res, body, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/**
 * One request exactly as given (path, method, headers and body untouched by `fetch`'s URL
 * handling), e.g. to send a bad percent-escape; resolves with the answer.
 */
export function rawRequest(
  url: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        // An explicit length: node frames a DELETE or GET body only when told its size.
        headers: { connection: 'close', ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON: keep the text for the assertion message.
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** A sandbox whose purchase core the test can call, e.g. to buy with a given payment method. */
export interface CoreClient extends SandboxClient {
  buy: (sessionId: string, paymentMethod?: SandboxPaymentMethod) => Promise<unknown>;
}

export async function startCoreClient(options: { orderExpiryExtensionMs?: number } = {}): Promise<CoreClient> {
  const credentials = { clientId: 'core-client', clientSecret: 'core-client-secret' };
  const app = createSandboxApp(
    {
      credentials,
      merchant: { merchantId: 'ac_core', storeId: null },
      sessionTtlMs: 60_000,
      tokenTtlSeconds: 60,
      notificationRetryDelaysMs: [],
      validateTimeoutMs: 500,
      notificationTimeoutMs: 1000,
      limits: resolveLimits(),
      ...options,
    },
    handleBrowserRequest,
  );
  const server = createServer(app.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = (await requestToken(url, credentials.clientId, credentials.clientSecret)).body.access_token as string;
  const api: SandboxClient['api'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    return read(await fetch(`${url}${path}`, init));
  };
  const control: SandboxClient['control'] = async (method, path, body) =>
    read(await fetch(`${url}/sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  const close = async (): Promise<void> => {
    app.shutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  const sandbox = { url, credentials, merchantId: 'ac_core', storeId: null, close };
  return {
    sandbox,
    url,
    token: async () => token,
    api,
    control,
    close,
    buy: (sessionId, paymentMethod = 'invoice') => app.core.completeSession(sessionId, { awaitSignatory: false, paymentMethod }),
  };
}

/** Creates a session from `body` (the seed's by default) and buys it; returns its ids. */
export async function buyOrder(
  client: SandboxClient,
  body: Record<string, unknown> = seedCreateSessionRequest(),
): Promise<{ sessionId: string; orderId: string }> {
  const created = await client.api('POST', '/v1/sessions', body);
  if (created.status !== 200) throw new Error(`create session: ${created.status} ${JSON.stringify(created.body)}`);
  const bought = await client.control('POST', `/sessions/${created.body.sessionId}/complete`);
  if (bought.status !== 200 || bought.body.kind !== 'complete') throw new Error(`complete: ${bought.status} ${JSON.stringify(bought.body)}`);
  return created.body;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
