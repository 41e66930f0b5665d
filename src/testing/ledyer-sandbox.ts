/**
 * `startLedyerSandbox()`: the sandbox for a test suite, with everything a test needs in one
 * object: the control client, the options for `createLedyerClient`, the URL for the element's
 * `bootstrap-url`, and teardown. `connectLedyerSandbox()` is the same handle on a sandbox that
 * runs elsewhere (one started by `globalSetup` for an app that must know its URL up front).
 */
import { inspect } from 'node:util';
import { DEFAULT_SANDBOX_CREDENTIALS, startSandbox, type SandboxOptions } from '../sandbox/index.js';
import { SandboxControlError } from './control-errors.js';
import { createSandboxControl, type SandboxControl } from './sandbox-control.js';

/** Exactly what `createLedyerClient` needs to talk to this sandbox: spread it, add your own timeouts and retries. */
export interface LedyerSandboxClientOptions {
  clientId: string;
  clientSecret: string;
  environment: 'sandbox';
  baseUrls: { api: string; auth: string };
}

export interface LedyerSandboxControlOptions {
  /** Per control call, in ms (default 60000). */
  controlTimeoutMs?: number;
}

/** The sandbox's own options (port, host, merchant, TTLs, retry delays, limits), plus the control client's. */
export interface LedyerSandboxOptions extends SandboxOptions, LedyerSandboxControlOptions {}

export interface ConnectLedyerSandboxOptions extends LedyerSandboxControlOptions {
  /** The credentials that sandbox accepts; default the well-known sandbox ones. */
  credentials?: { clientId: string; clientSecret: string };
}

export interface LedyerSandbox extends SandboxControl, AsyncDisposable {
  /** The sandbox's origin: Ledyer's API, its OAuth, and its browser side, e.g. `http://127.0.0.1:53817`. */
  readonly url: string;
  /** For the element: `<ledyer-checkout bootstrap-url="…">` (http is allowed on loopback). */
  readonly bootstrapUrl: string;
  /** For the server: `createLedyerClient(sandbox.clientOptions)`. */
  readonly clientOptions: LedyerSandboxClientOptions;
  /** Stops a sandbox this handle started (frees the port, ends open pages' channels); a connected one is left running. Idempotent. */
  close(): Promise<void>;
}

/** Starts a sandbox on 127.0.0.1 and a free port unless `options` say otherwise. */
export async function startLedyerSandbox(options: LedyerSandboxOptions = {}): Promise<LedyerSandbox> {
  const { controlTimeoutMs, ...sandboxOptions } = options;
  const running = await startSandbox({ port: 0, ...sandboxOptions });
  return createHandle(running.url, running.credentials, controlTimeoutMs, () => running.close());
}

/**
 * A handle on a sandbox that is already running at `url` (`npx ledyer-sandbox`, or one a
 * global setup started). Rejects when nothing that answers like the sandbox is there.
 */
export async function connectLedyerSandbox(url: string, options: ConnectLedyerSandboxOptions = {}): Promise<LedyerSandbox> {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    throw new TypeError(`connectLedyerSandbox: url must be an absolute URL such as http://127.0.0.1:4010, got ${JSON.stringify(url)}`);
  }
  const credentials = options.credentials ?? { ...DEFAULT_SANDBOX_CREDENTIALS };
  const handle = createHandle(origin, credentials, options.controlTimeoutMs, async () => {});
  // Any cheap read proves a sandbox answers there: the faults list.
  try {
    await handle.faults();
  } catch (error) {
    const reason = error instanceof SandboxControlError ? error.message.slice(error.call.length + 2) : String(error);
    throw new SandboxControlError(`connectLedyerSandbox(${JSON.stringify(origin)})`, error instanceof SandboxControlError ? error.code : 'sandbox-unreachable', `no Ledyer sandbox answers there: ${reason}`, {
      cause: error,
    });
  }
  return handle;
}

function createHandle(url: string, credentials: { clientId: string; clientSecret: string }, controlTimeoutMs: number | undefined, stop: () => Promise<void>): LedyerSandbox {
  let closing: Promise<void> | undefined;
  const control = createSandboxControl(url, { ...(controlTimeoutMs === undefined ? {} : { timeoutMs: controlTimeoutMs }), isClosed: () => closing !== undefined });
  const clientOptions: LedyerSandboxClientOptions = {
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    environment: 'sandbox',
    baseUrls: { api: url, auth: url },
  };
  const close = (): Promise<void> => (closing ??= stop());
  const handle: LedyerSandbox = {
    ...control,
    url,
    bootstrapUrl: `${url}/bootstrap.js`,
    clientOptions,
    close,
    [Symbol.asyncDispose]: close,
  };
  // A handle printed in a test failure or a log shows where the sandbox is, never its secret.
  Object.defineProperty(handle, inspect.custom, {
    value: () => `LedyerSandbox { url: '${url}', clientId: '${credentials.clientId}', clientSecret: [redacted] }`,
  });
  return handle;
}
