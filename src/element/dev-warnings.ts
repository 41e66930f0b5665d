/**
 * Warnings for likely mistakes, each with a stable code a merchant can search for. Only dev
 * builds carry them: every call site is written
 *
 *   try { if (process.env.NODE_ENV !== 'production') warnX(…); } catch { warnX(…); }
 *
 * A bundler that replaces `process.env.NODE_ENV` with "production" (Vite, webpack, Rollup's
 * replace, esbuild's define; the standalone bundle does) turns the `if` into `if (false)`,
 * drops the then empty `try` and its `catch`, and with them this module and its messages.
 * Without a bundler there is no `process`: the ReferenceError lands in the `catch`, so a
 * plain `<script type="module">` (and the browser tests) get the warnings. The usual
 * `typeof process` guard cannot do this: no bundler folds it.
 */
import type { LedyerCheckout } from './ledyer-checkout.js';

export type DevWarningCode =
  | 'production-with-loopback-bootstrap'
  | 'invalid-buy-button-color'
  | 'invalid-validation-timeout-action'
  | 'validation-timeout-too-long'
  | 'resume-without-suspend'
  | 'ledyer-api-missing';

const issued = new WeakMap<object, Set<DevWarningCode>>();

/** Warns once per element and code: a warning repeated on every render is noise. */
export function devWarn(owner: object, code: DevWarningCode, message: string): void {
  let codes = issued.get(owner);
  if (codes === undefined) issued.set(owner, (codes = new Set()));
  if (codes.has(code)) return;
  codes.add(code);
  console.warn(`[ledyer-checkout] ${code}: ${message}`);
}

/** The configuration checks, when a checkout is about to mount with a valid script URL. */
export function devCheckConfiguration(el: LedyerCheckout, loopback: boolean): void {
  if (el.environment === 'production' && loopback) {
    devWarn(el, 'production-with-loopback-bootstrap', 'environment="production" with a loopback bootstrap-url: this checkout talks to a local sandbox, not to Ledyer.');
  }
  const color = el.buyButtonColor;
  if (color != null && !/^#[0-9a-f]{6}$/i.test(color)) {
    devWarn(el, 'invalid-buy-button-color', `buy-button-color "${color}" is not #rrggbb; Ledyer's default colour is used.`);
  }
  const action: unknown = el.validationTimeoutAction;
  if (action !== 'deny' && action !== 'proceed') {
    devWarn(el, 'invalid-validation-timeout-action', `validation-timeout-action "${String(action)}" is not "deny" or "proceed"; "deny" is used.`);
  }
  // Only a timeout the element uses: a non-finite or non-positive one falls back to 8000 ms.
  if (Number.isFinite(el.validationTimeout) && el.validationTimeout >= 10_000) {
    devWarn(el, 'validation-timeout-too-long', `validation-timeout ${el.validationTimeout} ms is not below Ledyer's own 10 s, after which the purchase proceeds regardless.`);
  }
}
