/**
 * Where Ledyer's bootstrap.js comes from and how it is put on the page. Ledyer configures
 * the script by data attributes on its own `<script>` tag (LEDYER.md), so every mount
 * injects a fresh element: the script reads `document.currentScript` when it runs, and a
 * reused tag would keep the previous session's attributes.
 */
import type { LedyerEnvironment } from './types.js';

export type BootstrapEnv = 'sandbox' | 'production' | 'localhost';

export interface BootstrapTarget {
  url: string;
  env: BootstrapEnv;
  loopback: boolean;
}

export type BootstrapResolution =
  | { ok: true; target: BootstrapTarget }
  | { ok: false; reason: 'invalid-environment' | 'invalid-bootstrap-url'; message: string };

const PRODUCTION_HOSTS: Record<LedyerEnvironment, string> = {
  sandbox: 'https://checkout.sandbox.ledyer.com/bootstrap.js',
  production: 'https://checkout.live.ledyer.com/bootstrap.js',
};

/** 127.0.0.0/8, `localhost` (and its subdomains, which resolve to loopback) and `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

/**
 * Picks the script. An override must be https, or plain http on a loopback host only (the
 * local sandbox): a checkout script over cleartext on a network could be rewritten in transit.
 */
export function resolveBootstrap(environment: string, bootstrapUrl: string | null | undefined, baseUrl: string): BootstrapResolution {
  if (bootstrapUrl !== null && bootstrapUrl !== undefined && bootstrapUrl !== '') {
    let parsed: URL;
    try {
      parsed = new URL(bootstrapUrl, baseUrl);
    } catch {
      return { ok: false, reason: 'invalid-bootstrap-url', message: `bootstrap-url "${bootstrapUrl}" is not a URL.` };
    }
    const loopback = isLoopbackHost(parsed.hostname);
    if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback)) {
      return { ok: true, target: { url: parsed.href, env: 'localhost', loopback } };
    }
    return {
      ok: false,
      reason: 'invalid-bootstrap-url',
      message: `bootstrap-url must be https, or http on a loopback host; got "${parsed.protocol}//${parsed.host}".`,
    };
  }
  if (environment !== 'sandbox' && environment !== 'production') {
    return { ok: false, reason: 'invalid-environment', message: `environment must be "sandbox" or "production"; got "${environment}".` };
  }
  return { ok: true, target: { url: PRODUCTION_HOSTS[environment], env: environment, loopback: false } };
}

export interface BootstrapScriptOptions {
  target: BootstrapTarget;
  sessionId: string;
  containerId: string;
  buyButtonColor: string | null;
  noPadding: boolean;
  signal: AbortSignal;
  onLoad: () => void;
  onError: () => void;
}

/**
 * Appends a new bootstrap `<script>` to `<head>` and returns it. Its listeners go with
 * `signal`; the caller removes the element on teardown.
 */
export function injectBootstrapScript(options: BootstrapScriptOptions): HTMLScriptElement {
  const script = document.createElement('script');
  script.src = options.target.url;
  script.async = true;
  script.dataset['sessionId'] = options.sessionId;
  script.dataset['containerId'] = options.containerId;
  script.dataset['env'] = options.target.env;
  if (options.buyButtonColor !== null) script.dataset['buyButtonColor'] = options.buyButtonColor;
  if (options.noPadding) script.dataset['noPadding'] = 'true';
  // Lets a merchant (and the tests) find what the element added.
  script.dataset['ledyerCheckout'] = '';
  script.addEventListener('load', options.onLoad, { signal: options.signal, once: true });
  script.addEventListener('error', options.onError, { signal: options.signal, once: true });
  document.head.append(script);
  return script;
}

const hintOwners = new Map<string, { link: HTMLLinkElement; owners: number }>();

/**
 * A `preconnect` to the script's origin while the element waits for its session id, so
 * the TLS handshake is done when the id arrives. Not `preload`: a preloaded script unused
 * for a few seconds makes Chromium log a warning on every storefront page. Shared by
 * reference count; the returned function releases this holder's share.
 */
export function holdPreconnect(scriptUrl: string): () => void {
  const origin = new URL(scriptUrl).origin;
  if (origin === location.origin) return () => undefined;
  let entry = hintOwners.get(origin);
  if (entry === undefined || !entry.link.isConnected) {
    const link = document.createElement('link');
    link.rel = 'preconnect';
    link.href = origin;
    link.dataset['ledyerCheckout'] = '';
    document.head.append(link);
    entry = { link, owners: 0 };
    hintOwners.set(origin, entry);
  }
  entry.owners += 1;
  const held = entry;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.owners -= 1;
    if (held.owners === 0) {
      held.link.remove();
      if (hintOwners.get(origin) === held) hintOwners.delete(origin);
    }
  };
}
