/**
 * `startDemo()`: the whole demo in this process (the sandbox, unless Ledyer's real
 * environment is configured, and the Vite dev server with the shop's endpoints).
 * `npm start` and the end-to-end tests both start it this way.
 */
import { createServer, type LogLevel } from 'vite';
import { createDemoViteConfig } from '../vite.config.js';
import { demoTargetFromEnv, type DemoTarget } from './server/environment.js';

export interface StartDemoOptions {
  /** 0 picks a free port; default 5173 (or the next free one). */
  port?: number;
  host?: string;
  /** Default: read from `env` (`LEDYER_CLIENT_ID`, `LEDYER_CLIENT_SECRET`, `LEDYER_ENV`). */
  target?: DemoTarget;
  /** Default `process.env`. Throws `DemoConfigError` when it is half-set. */
  env?: NodeJS.ProcessEnv;
  logLevel?: LogLevel;
  log?: (line: string) => void;
}

export interface RunningDemo {
  /** The storefront, e.g. `http://127.0.0.1:5173/`. */
  url: string;
  /** The local sandbox's origin, or null on Ledyer's real environment. */
  sandboxUrl: string | null;
  target: DemoTarget;
  /** One line saying which Ledyer the shop talks to (no secrets). */
  description: string;
  /** Stops the dev server and the sandbox. Safe to call twice. */
  close(): Promise<void>;
}

export async function startDemo(options: StartDemoOptions = {}): Promise<RunningDemo> {
  const target = options.target ?? demoTargetFromEnv(options.env ?? process.env);
  const config = createDemoViteConfig({
    target,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    ...(options.log ? { log: options.log } : {}),
  });
  const demo = config.plugins[0].api;
  const server = await createServer(config);
  try {
    await server.listen();
  } catch (error) {
    await Promise.allSettled([server.close(), demo.close()]);
    throw error;
  }
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await Promise.allSettled([server.close(), demo.close()]);
    throw new Error('the Vite dev server started without a local URL');
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    sandboxUrl: demo.sandboxUrl,
    target,
    description: demo.describe(),
    close() {
      closing ??= Promise.allSettled([server.close(), demo.close()]).then(() => undefined);
      return closing;
    },
  };
}
