/**
 * Which Ledyer script a checkout loads, and the `data-env` it tells that script. Pure (no
 * DOM), so the server's page hints (`src/server/page-hints.ts`) name exactly the URL the
 * element injects: a preload for any other URL is a second download.
 */
import type { LedyerErrorCode } from './types.js';

/** The script and its `data-env`; `loopback` when it is a Ledyer on this machine. */
export interface LedyerScript {
  url: string;
  env: string;
  loopback: boolean;
}

/** After the URL parser, which normalises hosts: IPv4 in dotted decimal, lower case. */
const LOOPBACK_HOST = /^(127(\.\d+){3}|\[::1\]|(.+\.)?localhost)$/;

/**
 * The script for `environment`, or `bootstrapUrl` resolved against `base`; else the error
 * code and the value at fault. An override must be https, or plain http on a loopback host
 * only (the local sandbox): a checkout script over cleartext on a network could be rewritten
 * in transit. Ledyer's plugins pair `data-env="localhost"` only with a Ledyer on the
 * developer's machine, so a loopback override says `localhost` and any other (an https proxy
 * or mirror of Ledyer's script) says which Ledyer it stands for.
 */
export function ledyerScript(environment: unknown, bootstrapUrl: string | null | undefined, base?: string): LedyerScript | [LedyerErrorCode, unknown] {
  if (environment !== 'sandbox' && environment !== 'production') return ['invalid-environment', environment];
  if (!bootstrapUrl) return { url: `https://checkout.${environment === 'sandbox' ? 'sandbox' : 'live'}.ledyer.com/bootstrap.js`, env: environment, loopback: false };
  try {
    const { href, protocol, hostname } = new URL(bootstrapUrl, base);
    const loopback = LOOPBACK_HOST.test(hostname);
    if (protocol === 'https:' || (loopback && protocol === 'http:')) return { url: href, env: loopback ? 'localhost' : environment, loopback };
  } catch {
    // Not a URL: reported below like any other unusable one.
  }
  return ['invalid-bootstrap-url', bootstrapUrl];
}
