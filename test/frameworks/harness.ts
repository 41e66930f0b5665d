/**
 * Shared pieces of the framework suites: the local sandbox with a server-side client (the
 * credentials stay in Node), a small HTTP server for a test app, real Chromium through
 * playwright-core with a watch on console errors and on every checkout script the page
 * injects, and the buyer's steps in the sandbox's hosted checkout.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { createLedyerClient } from '../../src/server/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { seedCreateSessionRequest } from '../shared/seeds.js';

export interface Ledyer {
  sandbox: RunningSandbox;
  bootstrapUrl: string;
  /** A fresh session, created server-side as a merchant's server would. */
  createSession(): Promise<string>;
}

export async function startLedyer(): Promise<Ledyer> {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  const client = createLedyerClient({ ...sandbox.credentials, environment: 'sandbox', baseUrls: { api: sandbox.url, auth: sandbox.url } });
  return {
    sandbox,
    bootstrapUrl: `${sandbox.url}/bootstrap.js`,
    async createSession() {
      const { sessionId } = await client.createSession(seedCreateSessionRequest() as never);
      return sessionId;
    },
  };
}

export type Route = (request: IncomingMessage, url: URL) => Promise<{ type: string; body: string; status?: number } | undefined> | { type: string; body: string; status?: number } | undefined;

/** An HTTP server on 127.0.0.1 and a free port; the first route that answers wins, else 404 (a favicon gets 204). */
export async function serve(routes: Route[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      try {
        // Chromium asks every page's server for one; a 404 would be a console error.
        if (url.pathname === '/favicon.ico') {
          response.writeHead(204).end();
          return;
        }
        for (const route of routes) {
          const answer = await route(request, url);
          if (answer) {
            response.writeHead(answer.status ?? 200, { 'content-type': answer.type, 'cache-control': 'no-store' });
            response.end(answer.body);
            return;
          }
        }
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROME_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

export interface WatchedPage {
  page: Page;
  consoleErrors: string[];
  consoleWarnings: string[];
  pageErrors: string[];
  /** How many checkout scripts the page has injected so far: one per mount. */
  scriptsInjected(): Promise<number>;
  close(): Promise<void>;
}

/** A fresh context and page; console errors and warnings and uncaught exceptions are collected from the first script on. */
export async function openWatched(browser: Browser, url: string): Promise<WatchedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const consoleWarnings: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
    if (message.type() === 'warning') consoleWarnings.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await context.addInitScript(() => {
    const page = window as unknown as { __ledyerScripts: number };
    page.__ledyerScripts = 0;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLScriptElement && node.hasAttribute('data-ledyer-checkout')) page.__ledyerScripts += 1;
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  return {
    page,
    consoleErrors,
    consoleWarnings,
    pageErrors,
    scriptsInjected: () => page.evaluate(() => (window as unknown as { __ledyerScripts: number }).__ledyerScripts),
    close: () => context.close(),
  };
}

export function checkoutFrame(page: Page): FrameLocator {
  return page.frameLocator('ledyer-checkout iframe');
}

/** The buyer's details in the sandbox's hosted checkout, then "Place order". */
export async function placeOrder(frame: FrameLocator): Promise<void> {
  await frame.getByLabel('Organisation number').fill('559311-3714');
  await frame.getByLabel('Company name').fill('Ledyer AB');
  await frame.getByLabel('Email').fill('jan.jonsson@business.com');
  await frame.getByRole('button', { name: 'Place order' }).click();
}
