/**
 * The headless Chromium every browser benchmark drives. The system Chromium (no downloads on
 * the machines this runs on); the flags keep it off the network and free of background work
 * that would add noise to timings.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Null (with the reason) when there is no Chromium, so a benchmark can report n/a instead of crashing. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (set CHROME_PATH)`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/**
 * A fresh context (no cache, cookies or connections from earlier runs). tsx compiles the
 * functions we hand to `page.evaluate` with esbuild's keepNames, which wraps inner functions
 * in a `__name` helper that only exists in Node: give the page a harmless one.
 */
export async function freshContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript('globalThis.__name = (target) => target;');
  return context;
}
