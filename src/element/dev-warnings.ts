/**
 * Warnings for likely mistakes, each with a stable code a merchant can search for. They are
 * off when the bundler sets `process.env.NODE_ENV` to `"production"` (Vite, webpack and the
 * standalone bundle do), so storefront consoles stay clean.
 */

export type DevWarningCode =
  | 'production-with-loopback-bootstrap'
  | 'bootstrap-url-overrides-environment'
  | 'invalid-buy-button-color'
  | 'invalid-validation-timeout-action'
  | 'validation-timeout-too-long'
  | 'resume-without-suspend'
  | 'ledyer-api-missing';

function devMode(): boolean {
  // `typeof` first: in a browser without a bundler `process` does not exist at all.
  return typeof process === 'undefined' || process.env?.['NODE_ENV'] !== 'production';
}

const issued = new WeakMap<object, Set<DevWarningCode>>();

/** Warns once per element and code: a warning repeated on every render is noise. */
export function devWarn(owner: object, code: DevWarningCode, message: string): void {
  if (!devMode()) return;
  let codes = issued.get(owner);
  if (codes === undefined) {
    codes = new Set();
    issued.set(owner, codes);
  }
  if (codes.has(code)) return;
  codes.add(code);
  console.warn(`[ledyer-checkout] ${code}: ${message}`);
}
