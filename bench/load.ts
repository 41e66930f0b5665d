/**
 * Figure: the checkout endpoint under overload (issue 11.7). The checkout handler runs on
 * node:http through `toNodeListener`, against the sandbox on loopback, and 200 keep-alive
 * clients post carts to it as fast as they are answered, for a bounded time. Every request
 * should end within 2 s: served, or refused at once with 503 and Retry-After (clients wait
 * it out, as a polite client does). Measured twice: with the handler's default load
 * shedding, and with it off (`concurrency: false`) for comparison.
 *
 * The clients run in a worker thread, so their clocks are not held up by the server's work
 * on the main thread (both share this machine's cores, as they would on one host).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createCheckoutHandler, createLedyerClient, type CheckoutHandlerOptions } from '../src/server/index.js';
import { toNodeListener } from '../src/server/node.js';
import type { Figure } from './report.js';
import { exampleSessionBody, startBenchSandbox } from './sandbox.js';
import { median, p99, round } from './stats.js';

const CLIENTS = 200;
const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 8);
/** A browser-side fetch gives up after this long; such a request counts as an error. */
const CLIENT_TIMEOUT_MS = 10_000;
/** Bounds every client loop by count as well as by time. */
const MAX_REQUESTS_PER_CLIENT = 5_000;
const MAX_LATENCY_TARGET_MS = 2_000;

interface PhaseResult {
  served: number;
  shed: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Every answered request, served or shed, in ms. */
  latencies: number[];
  /** The 503s alone: a refusal should come at once. */
  shedLatencies: number[];
  seconds: number;
  logLines: number;
  rssGrowthMb: number;
}

/** The load generator, in plain JavaScript so the worker needs no TypeScript loader. */
const CLIENT_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { url, clients, seconds, timeoutMs, maxPerClient } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const body = JSON.stringify({ items: [{ sku: 'coffee-x200', quantity: 2 }, { sku: 'filter-pack', quantity: 1 }] });
const deadline = Date.now() + seconds * 1000;
const result = { served: 0, shed: 0, errors: 0, errorKinds: {}, latencies: [], shedLatencies: [] };
const fail = (kind) => { result.errors += 1; result.errorKinds[kind] = (result.errorKinds[kind] || 0) + 1; };
function once() {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => {
        result.latencies.push(performance.now() - started);
        if (res.statusCode === 503) result.shedLatencies.push(performance.now() - started);
        if (res.statusCode === 200) result.served += 1;
        else if (res.statusCode === 503) result.shed += 1;
        else fail('status ' + res.statusCode);
        resolve(res.statusCode === 503 ? Number(res.headers['retry-after'] || 1) * 1000 : 0);
      });
    });
    req.on('timeout', () => { req.destroy(new Error('client timeout')); });
    req.on('error', (error) => { fail(error.message === 'client timeout' ? 'client timeout' : 'network'); resolve(0); });
    req.end(body);
  });
}
async function client() {
  for (let n = 0; n < maxPerClient && Date.now() < deadline; n += 1) {
    const wait = await once();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadline - Date.now()))));
  }
}
Promise.all(Array.from({ length: clients }, client)).then(() => { agent.destroy(); parentPort.postMessage(result); });
`;

type ClientResult = Omit<PhaseResult, 'seconds' | 'logLines' | 'rssGrowthMb'>;

function runClients(url: string): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT_SOURCE, {
      eval: true,
      workerData: { url, clients: CLIENTS, seconds: SECONDS, timeoutMs: CLIENT_TIMEOUT_MS, maxPerClient: MAX_REQUESTS_PER_CLIENT },
    });
    worker.once('message', (message) => resolve(message as ClientResult));
    worker.once('error', reject);
  });
}

async function phase(sandboxUrl: string, credentials: { clientId: string; clientSecret: string }, concurrency: CheckoutHandlerOptions['concurrency']): Promise<PhaseResult> {
  let logLines = 0;
  const client = createLedyerClient({ ...credentials, environment: 'sandbox', baseUrls: { api: sandboxUrl, auth: sandboxUrl } });
  const rest = exampleSessionBody();
  const handler = createCheckoutHandler({
    client,
    concurrency,
    // One line per failure is what a merchant's log would get; count them instead of printing.
    onError: () => void (logLines += 1),
    resolveOrder: () => rest as never,
  });
  const server: Server = createServer(toNodeListener(handler));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/checkout/session`;
  // One request first, as a running shop has had: the token is fetched and the code is warm.
  const warm = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'warm-up', quantity: 1 }] }) });
  if (warm.status !== 200) throw new Error(`the warm-up request answered ${warm.status}: ${await warm.text()}`);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  try {
    const result = await runClients(url);
    return {
      ...result,
      seconds: (performance.now() - started) / 1000,
      logLines,
      rssGrowthMb: round((process.memoryUsage().rss - rssBefore) / (1024 * 1024), 1),
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function describe(result: PhaseResult): string {
  const max = result.latencies.length > 0 ? Math.max(...result.latencies) : Number.NaN;
  return (
    `${round(result.served / result.seconds)} req/s served, p50 ${round(median(result.latencies))} ms, ` +
    `p99 ${round(p99(result.latencies))} ms, max ${round(max)} ms; ${result.shed} shed` +
    (result.shed > 0 ? ` (p99 ${round(p99(result.shedLatencies))} ms)` : '') +
    `, ${result.errors} errors` +
    (result.errors > 0 ? ` (${Object.entries(result.errorKinds).map(([kind, count]) => `${count} ${kind}`).join(', ')})` : '') +
    `, ${result.logLines} error log lines, RSS ${result.rssGrowthMb >= 0 ? '+' : ''}${result.rssGrowthMb} MB`
  );
}

function data(result: PhaseResult): Record<string, unknown> {
  return {
    served: result.served,
    shed: result.shed,
    errors: result.errors,
    errorKinds: result.errorKinds,
    requestsPerSecond: round(result.served / result.seconds, 1),
    p50Ms: round(median(result.latencies), 1),
    p99Ms: round(p99(result.latencies), 1),
    maxMs: round(Math.max(...result.latencies), 1),
    shedP99Ms: round(p99(result.shedLatencies), 1),
    logLines: result.logLines,
    rssGrowthMb: result.rssGrowthMb,
    seconds: round(result.seconds, 1),
  };
}

export async function runLoad(): Promise<Figure[]> {
  const sandbox = await startBenchSandbox();
  try {
    const credentials = sandbox.sandbox.credentials;
    // LOAD_CONCURRENCY='{"maxInFlight":8}' tries other limits than the defaults.
    const limits = process.env['LOAD_CONCURRENCY'] ? (JSON.parse(process.env['LOAD_CONCURRENCY']) as CheckoutHandlerOptions['concurrency']) : undefined;
    const shedding = await phase(sandbox.url, credentials, limits);
    const unlimited = await phase(sandbox.url, credentials, false);
    const max = Math.max(...shedding.latencies);
    return [
      {
        bench: 'load',
        figure: `checkout endpoint, ${CLIENTS} keep-alive clients for ${SECONDS} s, default load shedding`,
        value: describe(shedding),
        target: `max ≤ ${MAX_LATENCY_TARGET_MS} ms, 0 errors, 0 log lines`,
        pass: max <= MAX_LATENCY_TARGET_MS && shedding.errors === 0 && shedding.logLines === 0 && shedding.served > 0,
        data: data(shedding),
      },
      {
        bench: 'load',
        figure: `checkout endpoint, ${CLIENTS} keep-alive clients for ${SECONDS} s, shedding off (concurrency: false)`,
        value: describe(unlimited),
        target: 'info',
        pass: null,
        data: data(unlimited),
      },
    ];
  } finally {
    await sandbox.close();
  }
}
