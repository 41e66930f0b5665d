/**
 * Figure 2: time until the checkout iframe has loaded, from navigation start, element (A)
 * against Ledyer's plain snippet (B). Runs are interleaved A/B (the order flips every pair,
 * so neither side always goes first) in one browser, each in a fresh context (no cache, no
 * connection carried over) with a fresh session. "+100 ms" is a round trip added to every
 * request by the servers themselves (pages.ts says why not DevTools' emulation).
 */
import type { Browser } from 'playwright-core';
import { chromiumMissing, freshContext, launchBrowser } from './browser.js';
import { elementSourceMissing, standaloneBundle } from './bundle.js';
import { startLedyerFront, startPages, type ModelledServer, type PageMarks } from './pages.js';
import { na, type Figure } from './report.js';
import { browserSideMissing, startBenchSandbox } from './sandbox.js';
import { median, round } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const READY_TIMEOUT_MS = 15_000;
const LATENCY_MS = 100;
/** TCP, then TLS 1.3: what a browser's first connection to an https origin costs before its first request. */
const HANDSHAKE_RTTS = 2;

/** How the pages reach their servers (pages.ts models it). */
interface Network {
  latency: number;
  /** Round trips a visit's first connection to an origin costs; 0: connections are free, as on loopback. */
  handshakeRtts: number;
}
const NETWORKS: Network[] = [
  { latency: 0, handshakeRtts: 0 },
  { latency: LATENCY_MS, handshakeRtts: 0 },
  { latency: LATENCY_MS, handshakeRtts: HANDSHAKE_RTTS },
];
const networkLabel = ({ latency, handshakeRtts }: Network): string =>
  latency === 0 ? 'loopback' : `+${latency} ms RTT${handshakeRtts ? `, new connections +${handshakeRtts} RTT` : ''}`;

type Scenario = 'ssr' | 'spa';
/** `h`: page A with the hints only, its whole HTML sent once the session exists (server-rendered only). */
type Variant = 'a' | 'b' | 'h';

const SCENARIO_LABEL: Record<Scenario, string> = { ssr: 'a, server-rendered', spa: 'b, single-page app' };

interface Sample extends PageMarks {
  ready: number;
  /** The page's HTML fully received. */
  htmlEnd: number;
  /** Downloads of Ledyer's bootstrap.js, and how the first was started (`early-hints` when a 103 did it). */
  scriptDownloads: number;
  scriptInitiator: string | null;
}

async function loadOnce(browser: Browser, pagesUrl: string, variant: Variant, scenario: Scenario): Promise<Sample> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    // The page says when it is ready on the console (pages.ts): polling it instead would run
    // Playwright's injected script on the page's main thread in the middle of what is measured.
    // The B page has no element: its ready moment is the iframe's load event.
    const readyLine = variant === 'b' ? 'bench:iframeLoad' : 'bench:ready';
    const ready = page.waitForEvent('console', { predicate: (message) => message.text() === readyLine, timeout: READY_TIMEOUT_MS });
    ready.catch(() => undefined); // awaited below; a failed goto must not leave it unhandled
    await page.goto(variant === 'h' ? `${pagesUrl}/a/ssr-hints-only` : `${pagesUrl}/${variant}/${scenario}`, { waitUntil: 'commit' });
    await ready;
    const marks = await page.evaluate(() => {
      const scripts = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/bootstrap.js')) as PerformanceResourceTiming[];
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { ...window.__bench, htmlEnd: navigation.responseEnd, scriptDownloads: scripts.length, scriptInitiator: scripts[0]?.initiatorType ?? null };
    });
    return { ...marks, ready: (variant === 'b' ? marks.iframeLoad : marks.ready) as number };
  } finally {
    await context.close();
  }
}

/** Issue 12's targets; the single-page app on loopback keeps the one it had. */
function targets(scenario: Scenario, latency: number): number {
  if (scenario === 'ssr') return latency > 0 ? 0.95 : 1.0;
  return latency > 0 ? 0.9 : 1.05;
}

export async function runTimeToReady(): Promise<Figure[]> {
  const label = (scenario: Scenario, network: Network) => `time to ready ${SCENARIO_LABEL[scenario]}, ${networkLabel(network)} (A/B)`;
  const cases = (['ssr', 'spa'] as const).flatMap((scenario) => NETWORKS.map((network) => ({ scenario, network, latency: network.latency })));
  const allNa = (reason: string) => cases.map(({ scenario, network }) => na('time-to-ready', label(scenario, network), `ratio ≤ ${targets(scenario, network.latency)}`, reason));

  const missing = chromiumMissing() ?? elementSourceMissing();
  if (missing) return allNa(missing);
  const sandbox = await startBenchSandbox();
  let browser: Browser | undefined;
  const servers: ModelledServer[] = [];
  try {
    const noBrowserSide = await browserSideMissing(sandbox.url);
    if (noBrowserSide) return allNa(noBrowserSide);
    const bundle = await standaloneBundle();
    // One merchant (and, with latency, one Ledyer front) per network.
    const networks = new Map<Network, { pagesUrl: string; servers: ModelledServer[] }>();
    for (const network of NETWORKS) {
      const { latency, handshakeRtts } = network;
      const ledyer = latency > 0 ? await startLedyerFront(sandbox.url, latency, handshakeRtts) : null;
      const pages = await startPages({ sandboxUrl: ledyer?.url ?? sandbox.url, bundle: bundle.code, createSession: sandbox.createSession, rttMs: latency, handshakeRtts });
      const own = ledyer ? [ledyer, pages] : [pages];
      servers.push(...own);
      networks.set(network, { pagesUrl: pages.url, servers: own });
    }
    browser = await launchBrowser();
    const figures: Figure[] = [];
    const results = cases.map(() => ({ samples: { a: [] as Sample[], b: [] as Sample[], h: [] as Sample[] }, failures: [] as string[] }));
    const one = async (index: number, variant: Variant, record: boolean) => {
      const { scenario, network } = cases[index] as (typeof cases)[number];
      const result = results[index] as (typeof results)[number];
      const { pagesUrl, servers: visited } = networks.get(network) as { pagesUrl: string; servers: ModelledServer[] };
      try {
        for (const server of visited) server.newVisit();
        const sample = await loadOnce(browser as Browser, pagesUrl, variant, scenario);
        if (record) result.samples[variant].push(sample);
      } catch (error) {
        result.failures.push(`${variant}: ${(error as Error).message.split('\n')[0]}`);
      }
    };
    // One unrecorded pair per case: the first page of a kind pays for code caches and process start.
    for (const [index, { scenario }] of cases.entries()) {
      await one(index, 'a', false);
      if (scenario === 'ssr') await one(index, 'h', false);
      await one(index, 'b', false);
    }
    // Rounds go through every case, so a busy moment on the machine hits all of them alike.
    for (let run = 0; run < RUNS; run += 1) {
      for (const [index, { scenario }] of cases.entries()) {
        const variants: Variant[] = scenario === 'ssr' ? ['a', 'h', 'b'] : ['a', 'b'];
        for (const variant of run % 2 === 0 ? variants : variants.reverse()) await one(index, variant, true);
      }
      if (results.some((result) => result.failures.length > RUNS / 2)) break;
    }
    for (const [index, { scenario, latency, network }] of cases.entries()) {
      const { samples, failures } = results[index] as (typeof results)[number];
      const target = targets(scenario, latency);
      if (samples.a.length < RUNS / 2 || samples.b.length < RUNS / 2) {
        figures.push(na('time-to-ready', label(scenario, network), `ratio ≤ ${target}`, `too many runs failed: ${failures.slice(0, 2).join('; ')}`));
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
        figure: label(scenario, network),
        value: `A ${round(a)} ms / B ${round(b)} ms = ${ratio.toFixed(3)}`,
        target: `ratio ≤ ${target.toFixed(2)}`,
        pass: ratio <= target,
        data: {
          runs: { a: samples.a.length, b: samples.b.length },
          failures,
          medianMs: { a: round(a, 1), b: round(b, 1) },
          ratio: round(ratio, 3),
          medianLoadEventMs: { a: round(median(samples.a.map((s) => s.loadEvent ?? Number.NaN)), 1), b: round(median(samples.b.map((s) => s.loadEvent ?? Number.NaN)), 1) },
          medianHtmlEndMs: { a: round(median(samples.a.map((s) => s.htmlEnd)), 1), b: round(median(samples.b.map((s) => s.htmlEnd)), 1) },
          // Ledyer's script is downloaded once per page; `early-hints` would say a 103 started it.
          scriptDownloads: { a: Math.max(...samples.a.map((s) => s.scriptDownloads)), b: Math.max(...samples.b.map((s) => s.scriptDownloads)) },
          scriptInitiatorsA: [...new Set(samples.a.map((s) => s.scriptInitiator))],
          medianLoadToReadyMs: { a: phase(samples.a, 'loadEvent'), b: phase(samples.b, 'loadEvent') },
          ...(scenario === 'spa' ? { medianSessionRequestToReadyMs: { a: phase(samples.a, 'sessionStart'), b: phase(samples.b, 'sessionStart') } } : {}),
          // The element's ledyer-ready against the raw iframe load in the same A pages.
          medianReadyAfterIframeLoadMs: round(median(samples.a.map((s) => s.ready - (s.iframeLoad ?? Number.NaN))), 1),
        },
      });
      console.log(`time-to-ready: ${label(scenario, network)}: ${figures.at(-1)?.value}`);
      if (samples.h.length >= RUNS / 2) {
        // What the hints do without the early head: the whole page waits for the session.
        const h = median(samples.h.map((s) => s.ready));
        figures.push({
          bench: 'time-to-ready',
          figure: `${label(scenario, network).replace(' (A/B)', '')}, A with the hints only, whole page after the session (A'/B)`,
          value: `A' ${round(h)} ms / B ${round(b)} ms = ${(h / b).toFixed(3)}`,
          target: '—',
          pass: null,
          data: { runs: samples.h.length, medianMs: round(h, 1), ratio: round(h / b, 3), scriptDownloads: Math.max(...samples.h.map((s) => s.scriptDownloads)) },
        });
      }
    }
    return figures;
  } finally {
    await browser?.close();
    for (const server of servers) await server.close();
    await sandbox.close();
  }
}
