// @ts-check
/**
 * The sandbox's bootstrap.js: Ledyer's public browser contract (LEDYER.md, "Browser side").
 * A classic script, configured by the data attributes of its own <script> tag, that mounts
 * the hosted checkout in an iframe, bridges it over postMessage, defines
 * `window.ledyer.api` and fires the `ledyerCheckout*` events on `document`.
 *
 * Served by `GET /bootstrap.js` (browser-routes.ts), which replaces the PROTOCOL marker
 * below with the content of protocol.js, the single definition of the message protocol.
 */
(function () {
  /** @typedef {import('./protocol.js').PageMessage} PageMessage */
  /** @typedef {import('./protocol.js').ParentMessageBody} ParentMessageBody */
  /** @typedef {import('./protocol.js').ValidationMessage} ValidationMessage */
  /**
   * @typedef {object} SandboxMount
   * @property {string} mountId
   * @property {() => void} unmount tears this mount down: iframe, listeners, timers
   */
  /**
   * @typedef {object} LedyerApi
   * @property {() => void} suspend
   * @property {() => void} resume
   * @property {(result: { shouldProceed: boolean, message?: ValidationMessage | null }) => void} clientValidation
   */
  /** @typedef {{ api?: LedyerApi, sandbox?: SandboxMount, [key: string]: unknown }} LedyerGlobal */

  // `undefined` only in this source file: the route puts protocol.js in place of the marker.
  const protocol = /** @type {typeof import('./protocol.js')} */ (/** @type {unknown} */ (/* LEDYER_PROTOCOL */ undefined));

  /** Ledyer's rule: no clientValidation answer within 10 s and the purchase proceeds. */
  const CLIENT_VALIDATION_TIMEOUT_MS = 10000;
  /** Until the page reports its height; big enough that an error message is readable. */
  const INITIAL_HEIGHT_PX = 320;
  const LOG_PREFIX = 'Ledyer Checkout (sandbox):';

  const script = document.currentScript;
  if (!(script instanceof HTMLScriptElement) || !script.src) {
    console.error(LOG_PREFIX, 'bootstrap.js must be loaded as a classic <script src="…/bootstrap.js"> (not a module, not inline); nothing was mounted.');
    return;
  }
  const checkoutOrigin = new URL(script.src).origin;
  const config = {
    sessionId: (script.dataset.sessionId ?? '').trim(),
    containerId: (script.dataset.containerId ?? '').trim(),
    env: (script.dataset.env ?? 'sandbox').trim(),
    buyButtonColor: (script.dataset.buyButtonColor ?? '').trim(),
    noPadding: script.dataset.noPadding === 'true',
  };

  const win = /** @type {Window & { ledyer?: LedyerGlobal }} */ (window);

  // Newest mount wins (LEDYER.md: one checkout per page). Tear the previous one down at
  // once, even if this one turns out to be misconfigured, so two never stay live.
  win.ledyer?.sandbox?.unmount();

  if (!config.sessionId) {
    console.error(LOG_PREFIX, 'the <script> tag has no data-session-id; nothing was mounted.');
    return;
  }
  if (!config.containerId) {
    console.error(LOG_PREFIX, 'the <script> tag has no data-container-id; nothing was mounted.');
    return;
  }

  const mountId = randomHex(8);
  const nonce = randomHex(16);
  const teardown = new AbortController();
  const { signal } = teardown;
  /** @type {HTMLIFrameElement | null} */
  let iframe = null;
  let ready = false;
  let suspended = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let validationTimer;
  let awaitingValidation = false;

  /** @type {SandboxMount} */
  const mount = {
    mountId,
    unmount() {
      if (signal.aborted) return;
      teardown.abort();
      clearTimeout(validationTimer);
      awaitingValidation = false;
      iframe?.remove();
      iframe = null;
      if (win.ledyer?.sandbox === mount) delete win.ledyer.sandbox;
    },
  };

  /** @type {LedyerApi} */
  const api = {
    suspend() {
      if (signal.aborted) return;
      suspended = true;
      send({ type: 'suspend' });
    },
    resume() {
      if (signal.aborted) return;
      suspended = false;
      send({ type: 'resume' });
    },
    clientValidation(result) {
      if (signal.aborted) return;
      if (!awaitingValidation) {
        console.warn(LOG_PREFIX, 'clientValidation() was called while no validation was pending; ignored.');
        return;
      }
      const shouldProceed = typeof result === 'object' && result !== null && result.shouldProceed === true;
      const message = shouldProceed ? null : protocol.readValidationMessage(result?.message);
      // A malformed message must not become a silent proceed: deny with the default text.
      answerValidation(shouldProceed, message ?? null);
    },
  };

  win.ledyer = Object.assign(win.ledyer ?? {}, { api, sandbox: mount });

  /** @param {ParentMessageBody} body */
  function send(body) {
    if (!ready || !iframe?.contentWindow) return;
    iframe.contentWindow.postMessage(protocol.envelope(nonce, body), checkoutOrigin);
  }

  /**
   * @param {boolean} shouldProceed
   * @param {ValidationMessage | null} message
   */
  function answerValidation(shouldProceed, message) {
    clearTimeout(validationTimer);
    awaitingValidation = false;
    send({ type: 'validation-result', shouldProceed, message });
  }

  /** @param {string} name */
  function fire(name) {
    document.dispatchEvent(new CustomEvent(name, { detail: { sessionId: config.sessionId } }));
  }

  /** @param {MessageEvent} event */
  function onMessage(event) {
    if (!iframe || event.origin !== checkoutOrigin || event.source !== iframe.contentWindow) return;
    const message = protocol.readPageMessage(event.data, nonce);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        ready = true;
        // A suspend() issued while the iframe was loading still has to take effect.
        if (suspended) send({ type: 'suspend' });
        break;
      case 'resize':
        iframe.style.height = `${message.height}px`;
        break;
      case 'customer-updated':
        if (message.changed.includes('customer')) fire('ledyerCheckoutCustomerUpdated');
        if (message.changed.includes('billing')) fire('ledyerCheckoutBillingUpdated');
        if (message.changed.includes('shipping')) fire('ledyerCheckoutShippingUpdated');
        break;
      case 'waiting-for-validation':
        clearTimeout(validationTimer);
        // Set before dispatching: a listener may answer synchronously.
        awaitingValidation = true;
        validationTimer = setTimeout(() => answerValidation(true, null), CLIENT_VALIDATION_TIMEOUT_MS);
        fire('ledyerCheckoutWaitingForClientValidation');
        break;
      case 'complete':
        fire('ledyerCheckoutOrderComplete');
        break;
      case 'pending':
        fire('ledyerCheckoutOrderPending');
        break;
      case 'redirect':
        window.location.assign(message.location);
        break;
    }
  }

  function mountInto() {
    if (signal.aborted) return;
    const container = document.getElementById(config.containerId);
    if (!container) {
      console.error(LOG_PREFIX, `no element with id "${config.containerId}" (data-container-id) in the document; nothing was mounted.`);
      return;
    }
    // Iframes left by a mount whose handle was lost (window.ledyer replaced by the page).
    for (const stale of document.querySelectorAll('iframe[data-ledyer-checkout]')) stale.remove();

    const src = new URL(`/checkout/${encodeURIComponent(config.sessionId)}`, checkoutOrigin);
    src.searchParams.set('env', config.env);
    if (config.buyButtonColor) src.searchParams.set('buyButtonColor', config.buyButtonColor);
    if (config.noPadding) src.searchParams.set('noPadding', 'true');
    // The fragment never reaches a server or a log: the nonce and our origin stay in the browser.
    src.hash = new URLSearchParams({ nonce, parentOrigin: window.location.origin }).toString();

    const frame = document.createElement('iframe');
    frame.title = 'Ledyer Checkout';
    frame.dataset.ledyerCheckout = mountId;
    // Same-origin is needed for the page's own fetch calls; forms for the buy form; popups
    // for the terms link. No top navigation: redirects go through bootstrap.
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
    frame.setAttribute('allow', "camera 'none'; microphone 'none'; geolocation 'none'; payment 'none'; usb 'none'");
    frame.setAttribute('scrolling', 'no');
    frame.referrerPolicy = 'strict-origin';
    frame.style.cssText = `display:block;width:100%;border:0;overflow:hidden;height:${INITIAL_HEIGHT_PX}px`;
    frame.src = src.href;
    iframe = frame;
    window.addEventListener('message', onMessage, { signal });
    container.appendChild(frame);
  }

  /** @param {number} bytes */
  function randomHex(bytes) {
    // getRandomValues, unlike randomUUID, also works on plain-http merchant pages.
    return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  // A script placed in <head> runs before the container exists; wait for the document.
  if (document.readyState === 'loading' && !document.getElementById(config.containerId)) {
    document.addEventListener('DOMContentLoaded', mountInto, { once: true, signal });
  } else {
    mountInto();
  }
})();
