/**
 * Figure 4: the server helper under a burst. 200 `createSession` calls start at once on a
 * client that has no token yet: single flight means one token request serves them all.
 * Then the helper's own CPU cost per call (build + parse + serialize) for a 100-line order.
 */
import { existsSync } from 'node:fs';
import { ROOT } from './bundle.js';
import { na, type Figure } from './report.js';
import { exampleSessionBody, startBenchSandbox } from './sandbox.js';
import { median, p99, round } from './stats.js';

const CONCURRENT = 200;
const OVERHEAD_MAX_ITERATIONS = 3000;
const OVERHEAD_MAX_MS = 4000;

type ClientModule = typeof import('../src/server/client.js');
type BuildOrderModule = typeof import('../src/server/build-order.js');
type SchemasModule = typeof import('../src/server/schemas.js');

async function loadHelper(): Promise<{ client: ClientModule; build: BuildOrderModule; schemas: SchemasModule } | string> {
  for (const file of ['client.ts', 'build-order.ts', 'schemas.ts']) {
    if (!existsSync(`${ROOT}src/server/${file}`)) return `src/server/${file} not there yet`;
  }
  try {
    return {
      client: await import('../src/server/client.js'),
      build: await import('../src/server/build-order.js'),
      schemas: await import('../src/server/schemas.js'),
    };
  } catch (error) {
    return `the server helper does not load: ${(error as Error).message.split('\n')[0]}`;
  }
}

function hundredLines(): Parameters<BuildOrderModule['buildOrder']>[0] {
  return Array.from({ length: 100 }, (_, index) => ({
    type: index === 99 ? ('shippingFee' as const) : ('physical' as const),
    reference: `sku-${String(index).padStart(4, '0')}`,
    description: `Article number ${index}, a reasonably descriptive product name`,
    quantity: 1 + (index % 7),
    unitPrice: 1990 + index * 135,
    unitDiscountAmount: index % 5 === 0 ? 100 : 0,
    vat: index % 3 === 0 ? 1200 : 2500,
  }));
}

export async function runServerHelper(): Promise<Figure[]> {
  const helper = await loadHelper();
  if (typeof helper === 'string') {
    return [
      na('server-helper', `token requests for ${CONCURRENT} concurrent createSession (cold client)`, '1', helper),
      na('server-helper', `createSession latency, ${CONCURRENT} concurrent`, 'info', helper),
      na('server-helper', 'helper overhead, 100-line order (build + parse + serialize)', 'info', helper),
    ];
  }
  const figures: Figure[] = [];
  const sandbox = await startBenchSandbox();
  try {
    let tokenRequests = 0;
    const countingFetch = (input: string, init: RequestInit): Promise<Response> => {
      if (new URL(input).pathname === '/oauth/token') tokenRequests += 1;
      return fetch(input, init);
    };
    const client = helper.client.createLedyerClient({
      ...sandbox.sandbox.credentials,
      environment: 'sandbox',
      baseUrls: { api: sandbox.url, auth: sandbox.url },
      fetch: countingFetch,
    });
    const body = exampleSessionBody() as Parameters<typeof client.createSession>[0];
    const latencies: number[] = [];
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const start = performance.now();
        try {
          await client.createSession(body);
          latencies.push(performance.now() - start);
        } catch (error) {
          errors.push((error as Error).message);
        }
      }),
    );
    figures.push({
      bench: 'server-helper',
      figure: `token requests for ${CONCURRENT} concurrent createSession (cold client)`,
      value: `${tokenRequests}${errors.length ? ` (${errors.length} calls failed: ${errors[0]})` : ''}`,
      target: '1',
      pass: tokenRequests === 1 && errors.length === 0,
      data: { tokenRequests, failedCalls: errors.length },
    });
    figures.push({
      bench: 'server-helper',
      figure: `createSession latency, ${CONCURRENT} concurrent`,
      value: `median ${round(median(latencies), 1)} ms, p99 ${round(p99(latencies), 1)} ms`,
      target: 'info',
      pass: null,
      data: { medianMs: round(median(latencies), 2), p99Ms: round(p99(latencies), 2), calls: latencies.length },
    });
  } finally {
    await sandbox.close();
  }

  // What the helper adds per call on the merchant's server, without the network.
  const lines = hundredLines();
  const rest = exampleSessionBody();
  const once = () => {
    const order = helper.build.buildOrder(lines);
    const request = helper.schemas.createSessionRequestSchema.parse({ ...rest, ...order });
    return JSON.stringify(request).length;
  };
  for (let i = 0; i < 200; i += 1) once();
  const micros: number[] = [];
  const deadline = performance.now() + OVERHEAD_MAX_MS;
  while (micros.length < OVERHEAD_MAX_ITERATIONS && performance.now() < deadline) {
    const start = process.hrtime.bigint();
    once();
    micros.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  figures.push({
    bench: 'server-helper',
    figure: 'helper overhead, 100-line order (build + parse + serialize)',
    value: `median ${round(median(micros))} µs (p99 ${round(p99(micros))} µs, ${micros.length} iterations)`,
    target: 'info',
    pass: null,
    data: { medianMicros: round(median(micros), 1), p99Micros: round(p99(micros), 1), iterations: micros.length },
  });
  return figures;
}
