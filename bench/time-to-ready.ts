/**
 * Figure 2: time until the checkout iframe has loaded, from navigation start, element (A)
 * against Ledyer's plain snippet (B). Runs are interleaved A/B (the order flips every pair,
 * so neither side always goes first) in one browser, each in a fresh context (no cache, no
 * connection carried over) with a fresh session.
 */
import type { Browser } from 'playwright-core';
import { chromiumMissing, freshContext, launchBrowser } from './browser.js';
import { elementSourceMissing, standaloneBundle } from './bundle.js';
import { startPages, type PageMarks } from './pages.js';
import { na, type Figure } from './report.js';
import { browserSideMissing, startBenchSandbox } from './sandbox.js';
import { median, round } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const READY_TIMEOUT_MS = 15_000;
const LATENCY_MS = 100;

type Scenario = 'ssr' | 'spa';
type Variant = 'a' | 'b';

const SCENARIO_LABEL: Record<Scenario, string> = { ssr: 'a, server-rendered', spa: 'b, single-page app' };

interface Sample extends PageMarks {
  ready: number;
}

async function loadOnce(
  browser: Browser,
  pagesUrl: string,
  variant: Variant,
  scenario: Scenario,
  latency: number,
  createSession: () => Promise<{ sessionId: string }>,
): Promise<Sample> {
  // Server-rendered: the merchant created the session before it rendered the page.
  const query = scenario === 'ssr' ? `?session=${encodeURIComponent((await createSession()).sessionId)}` : '';
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    if (latency > 0) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 });
    }
    await page.goto(`${pagesUrl}/${variant}/${scenario}${query}`, { waitUntil: 'commit' });
    // The B page has no element: its ready moment is the iframe's load event.
    await page.waitForFunction(
      (isElement) => (isElement ? window.__bench.ready : window.__bench.iframeLoad) !== null,
      variant === 'a',
      { timeout: READY_TIMEOUT_MS, polling: 20 },
    );
    const marks = await page.evaluate(() => window.__bench);
    return { ...marks, ready: (variant === 'a' ? marks.ready : marks.iframeLoad) as number };
  } finally {
    await context.close();
  }
}

export async function runTimeToReady(): Promise<Figure[]> {
  const targets = (scenario: Scenario, latency: number) => (scenario === 'spa' && latency > 0 ? 0.9 : 1.05);
  const label = (scenario: Scenario, latency: number) =>
    `time to ready ${SCENARIO_LABEL[scenario]}, ${latency > 0 ? `+${latency} ms latency` : 'loopback'} (A/B)`;
  const cases = (['ssr', 'spa'] as const).flatMap((scenario) => [0, LATENCY_MS].map((latency) => ({ scenario, latency })));
  const allNa = (reason: string) => cases.map(({ scenario, latency }) => na('time-to-ready', label(scenario, latency), `ratio ≤ ${targets(scenario, latency)}`, reason));

  const missing = chromiumMissing() ?? elementSourceMissing();
  if (missing) return allNa(missing);
  const sandbox = await startBenchSandbox();
  let browser: Browser | undefined;
  let pages: Awaited<ReturnType<typeof startPages>> | undefined;
  try {
    const noBrowserSide = await browserSideMissing(sandbox.url);
    if (noBrowserSide) return allNa(noBrowserSide);
    const bundle = await standaloneBundle();
    pages = await startPages({ sandboxUrl: sandbox.url, bundle: bundle.code, createSession: sandbox.createSession });
    browser = await launchBrowser();
    const figures: Figure[] = [];
    const results = cases.map(() => ({ samples: { a: [] as Sample[], b: [] as Sample[] }, failures: [] as string[] }));
    const one = async (index: number, variant: Variant, record: boolean) => {
      const { scenario, latency } = cases[index] as (typeof cases)[number];
      const result = results[index] as (typeof results)[number];
      try {
        const sample = await loadOnce(browser as Browser, (pages as { url: string }).url, variant, scenario, latency, sandbox.createSession);
        if (record) result.samples[variant].push(sample);
      } catch (error) {
        result.failures.push(`${variant}: ${(error as Error).message.split('\n')[0]}`);
      }
    };
    // One unrecorded pair per case: the first page of a kind pays for code caches and process start.
    for (const index of cases.keys()) {
      await one(index, 'a', false);
      await one(index, 'b', false);
    }
    // Rounds go through every case, so a busy moment on the machine hits all of them alike.
    for (let run = 0; run < RUNS; run += 1) {
      const order: Variant[] = run % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
      for (const index of cases.keys()) for (const variant of order) await one(index, variant, true);
      if (results.some((result) => result.failures.length > RUNS / 2)) break;
    }
    for (const [index, { scenario, latency }] of cases.entries()) {
      const { samples, failures } = results[index] as (typeof results)[number];
      const target = targets(scenario, latency);
      if (samples.a.length < RUNS / 2 || samples.b.length < RUNS / 2) {
        figures.push(na('time-to-ready', label(scenario, latency), `ratio ≤ ${target}`, `too many runs failed: ${failures.slice(0, 2).join('; ')}`));
        continue;
      }
      const a = median(samples.a.map((s) => s.ready));
      const b = median(samples.b.map((s) => s.ready));
      const ratio = a / b;
      // Where the time goes: page load, and (b) from the session request to ready.
      const phase = (list: Sample[], key: 'loadEvent' | 'sessionStart') =>
        round(median(list.map((s) => s.ready - (s[key] ?? Number.NaN))), 1);
      figures.push({
        bench: 'time-to-ready',
        figure: label(scenario, latency),
        value: `A ${round(a)} ms / B ${round(b)} ms = ${ratio.toFixed(3)}`,
        target: `ratio ≤ ${target.toFixed(2)}`,
        pass: ratio <= target,
        data: {
          runs: { a: samples.a.length, b: samples.b.length },
          failures,
          medianMs: { a: round(a, 1), b: round(b, 1) },
          ratio: round(ratio, 3),
          medianLoadEventMs: { a: round(median(samples.a.map((s) => s.loadEvent ?? Number.NaN)), 1), b: round(median(samples.b.map((s) => s.loadEvent ?? Number.NaN)), 1) },
          medianLoadToReadyMs: { a: phase(samples.a, 'loadEvent'), b: phase(samples.b, 'loadEvent') },
          ...(scenario === 'spa' ? { medianSessionRequestToReadyMs: { a: phase(samples.a, 'sessionStart'), b: phase(samples.b, 'sessionStart') } } : {}),
          // The element's ledyer-ready against the raw iframe load in the same A pages.
          medianReadyAfterIframeLoadMs: round(median(samples.a.map((s) => s.ready - (s.iframeLoad ?? Number.NaN))), 1),
        },
      });
      console.log(`time-to-ready: ${label(scenario, latency)}: ${figures.at(-1)?.value}`);
    }
    return figures;
  } finally {
    await browser?.close();
    await pages?.close();
    await sandbox.close();
  }
}
