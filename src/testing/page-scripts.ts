/**
 * The few scripts the browser helpers run in the merchant's page. They are source strings,
 * not functions: a function would be serialised from whatever the test's loader compiled it
 * to (tsx and esbuild add helpers such as `__name` that do not exist in the page).
 */

/** Where the recorder keeps what it heard, on the merchant page's `window`. */
export const RECORDER_KEY = '__ledyerCheckoutTesting';

/**
 * Records every `ledyer-confirmation` in the page, from the first script on (an init script)
 * or from the moment a helper first runs. It listens on `window` in the capture phase, so a
 * merchant's `stopPropagation()` cannot hide the event. Idempotent.
 */
export const RECORDER_SOURCE = `(() => {
  if (window[${JSON.stringify(RECORDER_KEY)}]) return;
  const record = { confirmations: [] };
  Object.defineProperty(window, ${JSON.stringify(RECORDER_KEY)}, { value: record, configurable: true });
  window.addEventListener('ledyer-confirmation', (event) => {
    record.confirmations.push({ sessionId: String(event.sessionId ?? ''), status: event.status });
  }, true);
})()`;

/** What a probe of the page found: enough to say why a helper is still waiting. */
export interface CheckoutProbe {
  /** No element matches the selector. */
  missing: boolean;
  /** The element's `state` attribute (absent while idle). */
  state: string | null;
  sessionId: string | null;
  /** `code: message` of the element's current error, when it is in `error`. */
  error: string | null;
  /** The element holds an iframe (Ledyer's checkout). */
  hasFrame: boolean;
  /** The newest recorded `ledyer-confirmation` status for the current session, if any. */
  confirmation: 'complete' | 'pending' | null;
  /** Whether the recorder is installed in this document. */
  recording: boolean;
}

/** An expression that evaluates to a `CheckoutProbe` for the element matching `selector`. */
export function probeSource(selector: string): string {
  return `(() => {
  const element = document.querySelector(${JSON.stringify(selector)});
  const record = window[${JSON.stringify(RECORDER_KEY)}];
  if (!element) return { missing: true, state: null, sessionId: null, error: null, hasFrame: false, confirmation: null, recording: Boolean(record) };
  const sessionId = (typeof element.sessionId === 'string' ? element.sessionId : element.getAttribute('session-id')) || null;
  const error = element.error ? String(element.error.code) + ': ' + String(element.error.message) : null;
  const heard = record ? record.confirmations.filter((entry) => !sessionId || entry.sessionId === sessionId) : [];
  const last = heard.length > 0 ? heard[heard.length - 1].status : null;
  return {
    missing: false,
    state: element.getAttribute('state'),
    sessionId,
    error,
    hasFrame: Boolean(element.querySelector('iframe')),
    confirmation: last === 'complete' || last === 'pending' ? last : null,
    recording: Boolean(record),
  };
})()`;
}
