/**
 * `<ledyer-checkout>`: mounts Ledyer Checkout for a session and turns Ledyer's page-global
 * browser contract into typed DOM events, a validation promise and a lifecycle. This module
 * has no side effects: `define.ts` (or `LedyerCheckout.define()`) registers the tag.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { claimPage, releasePage, stopWaiting, type CheckoutClaimant } from './active-checkout.js';
import { holdPreconnect, injectBootstrapScript, resolveBootstrap, type BootstrapTarget } from './bootstrap-loader.js';
import { devWarn } from './dev-warnings.js';
import {
  LedyerBillingChangeEvent,
  LedyerConfirmationEvent,
  LedyerCustomerChangeEvent,
  LedyerErrorEvent,
  LedyerLoadEvent,
  LedyerReadyEvent,
  LedyerShippingChangeEvent,
  LedyerStateChangeEvent,
  LedyerValidateEvent,
} from './events.js';
import { LedyerBridge, type ClientValidationAnswer, type LedyerSignal } from './ledyer-bridge.js';
import { ledyerCheckoutStyles } from './styles.js';
import type {
  LedyerCheckoutErrorInfo,
  LedyerCheckoutState,
  LedyerEnvironment,
  LedyerErrorCode,
  LedyerValidateHandler,
  ValidationResult,
  ValidationTimeoutAction,
} from './types.js';

/** Ledyer's session id format is not public; this only rejects what cannot be an id (spaces, markup, empty). */
const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$/;
const BUY_BUTTON_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const DEFAULT_VALIDATION_TIMEOUT_MS = 8000;
/** Ledyer proceeds with the purchase by itself 10 s after asking (LEDYER.md). */
const LEDYER_VALIDATION_LIMIT_MS = 10_000;
const DEFAULT_LOAD_TIMEOUT_MS = 20_000;
/** Properties whose change means another checkout: tear down and mount again. */
const MOUNT_PROPERTIES = ['sessionId', 'environment', 'bootstrapUrl', 'buyButtonColor', 'noPadding'] as const;

/** What the buyer reads; the `ledyer-error` event carries the developer's message. */
const VISIBLE_MESSAGES: Record<LedyerErrorCode, string> = {
  'invalid-session-id': 'The checkout is not set up correctly.',
  'invalid-environment': 'The checkout is not set up correctly.',
  'invalid-bootstrap-url': 'The checkout is not set up correctly.',
  'script-load-failed': 'The checkout could not be loaded. Check your connection and try again.',
  'load-timeout': 'The checkout is taking too long to load. Check your connection and try again.',
  'another-checkout-active': 'Another checkout is already open on this page.',
  'inside-shadow-root': 'The checkout is not set up correctly.',
  'validation-failed': 'The order could not be checked.',
};

let mountCounter = 0;

interface Mount {
  readonly key: string;
  readonly sessionId: string;
  readonly bridge: LedyerBridge;
  readonly container: HTMLDivElement;
  readonly observer: MutationObserver;
  script: HTMLScriptElement | null;
  loadTimer: ReturnType<typeof setTimeout> | undefined;
  ready: boolean;
  validation: AbortController | null;
}

type Settled =
  | { kind: 'answered'; results: unknown[] }
  | { kind: 'failed'; reason: string }
  | { kind: 'aborted' };

/** Waits for every answer, at most `ms`; a teardown (`signal`) ends the wait without an answer. */
function settleWithin(answers: Array<Promise<unknown>>, ms: number, signal: AbortSignal): Promise<Settled> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'failed', reason: `no answer within ${ms} ms` }), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve({ kind: 'aborted' });
      },
      { once: true },
    );
    Promise.all(answers).then(
      (results) => {
        clearTimeout(timer);
        resolve({ kind: 'answered', results });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ kind: 'failed', reason: `the handler failed: ${error instanceof Error ? error.message : String(error)}` });
      },
    );
  });
}

function isValidationResult(value: unknown): value is ValidationResult {
  if (typeof value !== 'object' || value === null) return false;
  const { proceed } = value as { proceed?: unknown };
  return proceed === true || proceed === false;
}

/**
 * Ledyer Checkout for one session. Put it in the page, set `session-id`, and listen for
 * `ledyer-confirmation`. One element is active per page, because Ledyer's script is.
 *
 * States: `idle` (no session id, or disconnected) → `loading` → `ready` ⇄ `suspended` /
 * `validating` → `complete`; any failure → `error` (`reload()` retries).
 *
 * @tagname ledyer-checkout
 * @summary Embeds Ledyer Checkout with typed events and a validation deadline.
 *
 * @attr {string} session-id - The session id from create session (not the order id). Changing it mounts the new checkout.
 * @attr {'sandbox'|'production'} environment - Which Ledyer serves the script; default `sandbox`.
 * @attr {string} bootstrap-url - Overrides the script URL (e.g. the local sandbox): https, or http on a loopback host.
 * @attr {string} buy-button-color - `#rrggbb`; Ledyer picks black or white text for it.
 * @attr {boolean} no-padding - Removes the checkout's default 12px padding.
 * @attr {number} validation-timeout - Milliseconds the merchant's validation may take; default 8000 (Ledyer proceeds at 10 s).
 * @attr {'deny'|'proceed'} validation-timeout-action - What to answer when validation throws or times out; default `deny`.
 * @attr {number} load-timeout - Milliseconds until the checkout iframe must have loaded; default 20000.
 * @attr {string} state - Read-only, reflected: `idle`, `loading`, `ready`, `suspended`, `validating`, `complete` or `error`.
 *
 * @fires {LedyerLoadEvent} ledyer-load - Ledyer's script has loaded and the checkout is mounting.
 * @fires {LedyerReadyEvent} ledyer-ready - The checkout iframe is in the container and has loaded.
 * @fires {LedyerValidateEvent} ledyer-validate - Cancelable. The buyer pressed buy; answer with `respondWith()`.
 * @fires {LedyerConfirmationEvent} ledyer-confirmation - The purchase is `complete` or `pending`.
 * @fires {LedyerCustomerChangeEvent} ledyer-customer-change - The buyer changed customer details.
 * @fires {LedyerBillingChangeEvent} ledyer-billing-change - The buyer changed the billing address.
 * @fires {LedyerShippingChangeEvent} ledyer-shipping-change - The buyer changed the shipping address.
 * @fires {LedyerErrorEvent} ledyer-error - Something failed; `code`, `message`, `recoverable`.
 * @fires {LedyerStateChangeEvent} ledyer-state-change - `state` changed from `previous`.
 *
 * @slot error - Replaces the built-in error message (shown only in the `error` state).
 * @slot checkout - Used by the element itself for Ledyer's container; do not fill it.
 *
 * @csspart base - The region around everything.
 * @csspart status - The loading area (skeleton and its announcement).
 * @csspart error - The error area.
 * @csspart retry - The built-in "Try again" button.
 * @csspart checkout - The area that shows Ledyer's iframe.
 *
 * @cssprop --ledyer-checkout-min-height - Height reserved while loading; default 480px.
 * @cssprop --ledyer-checkout-skeleton-color - Colour of the loading skeleton's bars.
 * @cssprop --ledyer-checkout-skeleton-radius - Corner radius of the skeleton's bars.
 * @cssprop --ledyer-checkout-error-color - Colour of the built-in error message.
 */
export class LedyerCheckout extends LitElement implements CheckoutClaimant {
  static override styles = ledyerCheckoutStyles;

  static override properties = {
    sessionId: { attribute: 'session-id' },
    environment: {},
    bootstrapUrl: { attribute: 'bootstrap-url' },
    buyButtonColor: { attribute: 'buy-button-color' },
    noPadding: { attribute: 'no-padding', type: Boolean },
    validationTimeout: { attribute: 'validation-timeout', type: Number },
    validationTimeoutAction: { attribute: 'validation-timeout-action' },
    loadTimeout: { attribute: 'load-timeout', type: Number },
    validate: { attribute: false },
  };

  /** Defines the tag once; a second call (or a second copy of the package) is harmless. */
  static define(tag = 'ledyer-checkout', registry: CustomElementRegistry = customElements): void {
    if (registry.get(tag) === undefined) registry.define(tag, this);
  }

  /** The session id from create session; `null` (no attribute) waits in `idle`. */
  declare sessionId: string | null;
  /** `sandbox` (default) or `production`. */
  declare environment: LedyerEnvironment;
  /** Overrides the script URL; `data-env="localhost"` then. */
  declare bootstrapUrl: string | null;
  /** `#rrggbb` colour of the buy button. */
  declare buyButtonColor: string | null;
  /** Removes the checkout's default padding. */
  declare noPadding: boolean;
  /** Milliseconds the merchant's validation may take before `validationTimeoutAction` applies. */
  declare validationTimeout: number;
  /** `deny` (default) or `proceed` when validation throws, rejects or times out. */
  declare validationTimeoutAction: ValidationTimeoutAction;
  /** Milliseconds until the iframe must have loaded, else `load-timeout`. */
  declare loadTimeout: number;
  /** Asked on every client-validation request, together with the `ledyer-validate` listeners. */
  declare validate: LedyerValidateHandler | undefined;

  #state: LedyerCheckoutState = 'idle';
  #error: LedyerCheckoutErrorInfo | null = null;
  #mount: Mount | null = null;
  /** The configuration last started (mounted, idle or failed), so an unchanged one is not restarted. */
  #startedKey: string | null = null;
  #reconcileQueued = false;
  #suspendCount = 0;
  #releasePreconnect: (() => void) | null = null;

  constructor() {
    super();
    this.sessionId = null;
    this.environment = 'sandbox';
    this.bootstrapUrl = null;
    this.buyButtonColor = null;
    this.noPadding = false;
    this.validationTimeout = DEFAULT_VALIDATION_TIMEOUT_MS;
    this.validationTimeoutAction = 'deny';
    this.loadTimeout = DEFAULT_LOAD_TIMEOUT_MS;
    this.validate = undefined;
  }

  /** Where the checkout is in its life; reflected to the `state` attribute. */
  get state(): LedyerCheckoutState {
    return this.#state;
  }

  /** The current error while `state` is `error`, else `null`. */
  get error(): LedyerCheckoutErrorInfo | null {
    return this.#error === null ? null : { ...this.#error };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('state', this.#state);
    // Deferred to a microtask so connect → disconnect → connect in one task (a framework
    // re-mount) injects one script, not one that is removed and one that stays.
    this.#queueReconcile();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    stopWaiting(this);
    this.#teardown();
    this.#startedKey = null;
    this.#error = null;
    this.#setState('idle');
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (MOUNT_PROPERTIES.some((name) => changed.has(name))) this.#queueReconcile();
  }

  /** Dims the checkout (Ledyer shows a spinner). Counted: every `suspend()` needs its `resume()`. */
  suspend(): void {
    this.#suspendCount += 1;
    if (this.#suspendCount !== 1) return;
    const mount = this.#mount;
    if (mount === null || !mount.ready) return;
    this.#callLedyer(mount.bridge.suspend(), 'suspend');
    if (this.#state === 'ready') this.#setState('suspended');
  }

  /** Undoes one `suspend()`; the checkout resumes when the last one is undone. */
  resume(): void {
    if (this.#suspendCount === 0) {
      devWarn(this, 'resume-without-suspend', 'resume() was called more often than suspend(); the extra call is ignored.');
      return;
    }
    this.#suspendCount -= 1;
    if (this.#suspendCount !== 0) return;
    const mount = this.#mount;
    if (mount === null || !mount.ready) return;
    this.#callLedyer(mount.bridge.resume(), 'resume');
    if (this.#state === 'suspended') this.#setState('ready');
  }

  /** Suspends while `fn` runs (e.g. a cart update), and resumes even if it throws. */
  async withSuspended<T>(fn: () => T | Promise<T>): Promise<T> {
    this.suspend();
    try {
      return await fn();
    } finally {
      this.resume();
    }
  }

  /** Tears the checkout down and mounts it again: the retry after an error. */
  reload(): void {
    if (!this.isConnected) return;
    this.#reconcile(true);
  }

  /** @internal Called when the page's active checkout left. */
  pageReleased(): void {
    if (this.isConnected && this.#error?.code === 'another-checkout-active') this.#reconcile(true);
  }

  protected override render() {
    const loading = this.#state === 'loading';
    const error = this.#state === 'error' ? this.#error : null;
    return html`
      <div part="base" class="base ${loading ? 'loading' : ''}" role="region" aria-label="Ledyer Checkout" aria-busy=${loading ? 'true' : 'false'}>
        <div part="status" role="status">
          ${loading
            ? html`<div class="skeleton" aria-hidden="true">
                  <div class="bar"></div>
                  <div class="bar"></div>
                  <div class="bar short"></div>
                </div>
                <span class="visually-hidden">Loading checkout…</span>`
            : nothing}
        </div>
        <div part="error" class="error" role="alert" ?hidden=${error === null}>
          <slot name="error">
            ${error === null
              ? nothing
              : html`<p>${VISIBLE_MESSAGES[error.code]}</p>
                  ${error.recoverable ? html`<button type="button" part="retry" @click=${() => this.reload()}>Try again</button>` : nothing}`}
          </slot>
        </div>
        <div part="checkout" class="checkout" ?hidden=${error !== null}><slot name="checkout"></slot></div>
      </div>
    `;
  }

  #configKey(): string {
    return JSON.stringify(MOUNT_PROPERTIES.map((name) => this[name]));
  }

  #queueReconcile(): void {
    if (this.#reconcileQueued) return;
    this.#reconcileQueued = true;
    queueMicrotask(() => {
      this.#reconcileQueued = false;
      this.#reconcile(false);
    });
  }

  #reconcile(force: boolean): void {
    if (!this.isConnected) return;
    const key = this.#configKey();
    if (!force && this.#startedKey === key) return;
    this.#teardown();
    this.#startedKey = key;
    this.#start(key);
  }

  #start(key: string): void {
    this.#error = null;
    const sessionId = this.sessionId;
    const resolution = resolveBootstrap(this.environment, this.bootstrapUrl, document.baseURI);
    if (sessionId === null || sessionId === undefined) {
      // The element may be in the page before the session exists: warm up the connection.
      if (resolution.ok) this.#releasePreconnect = holdPreconnect(resolution.target.url);
      this.#setState('idle');
      this.requestUpdate();
      return;
    }
    if (!SESSION_ID_PATTERN.test(sessionId)) {
      this.#fail(key, 'invalid-session-id', `session-id "${sessionId}" is not a session id (empty, spaces or unexpected characters).`, false);
      return;
    }
    if (!resolution.ok) {
      this.#fail(key, resolution.reason, resolution.message, false);
      return;
    }
    if (this.getRootNode() !== document) {
      // Ledyer's script finds its container with document.getElementById, which does not
      // look into shadow roots: mounted there, the checkout would never appear.
      this.#fail(
        key,
        'inside-shadow-root',
        '<ledyer-checkout> is inside a shadow root; Ledyer finds its container with document.getElementById, so the element must be in the document\'s light DOM.',
        false,
      );
      return;
    }
    this.#warnAboutConfiguration(resolution.target);
    if (!claimPage(this)) {
      this.#fail(
        key,
        'another-checkout-active',
        'Another <ledyer-checkout> is active on this page; Ledyer allows one checkout per page. This one mounts when that one is removed.',
        true,
      );
      return;
    }

    mountCounter += 1;
    const container = document.createElement('div');
    container.id = `ledyer-checkout-container-${mountCounter}-${Math.random().toString(36).slice(2, 8)}`;
    container.slot = 'checkout';
    container.dataset['ledyerCheckout'] = '';
    const mount: Mount = {
      key,
      sessionId,
      container,
      bridge: new LedyerBridge((signal) => this.#onLedyerSignal(mount, signal)),
      observer: new MutationObserver(() => this.#watchForIframe(mount)),
      script: null,
      loadTimer: undefined,
      ready: false,
      validation: null,
    };
    this.#mount = mount;
    this.append(container);
    mount.observer.observe(container, { childList: true, subtree: true });
    const loadTimeout = Number.isFinite(this.loadTimeout) && this.loadTimeout > 0 ? this.loadTimeout : DEFAULT_LOAD_TIMEOUT_MS;
    mount.loadTimer = setTimeout(() => {
      if (this.#mount !== mount) return;
      this.#fail(key, 'load-timeout', `Ledyer's checkout did not load within ${loadTimeout} ms.`, true);
    }, loadTimeout);
    this.#setState('loading');
    // A state-change listener may have removed the element or changed its session.
    if (this.#mount !== mount) return;
    const color = this.buyButtonColor;
    mount.script = injectBootstrapScript({
      target: resolution.target,
      sessionId,
      containerId: container.id,
      buyButtonColor: color !== null && color !== undefined && BUY_BUTTON_COLOR_PATTERN.test(color) ? color : null,
      noPadding: this.noPadding,
      signal: mount.bridge.signal,
      onLoad: () => {
        if (this.#mount === mount) this.dispatchEvent(new LedyerLoadEvent(sessionId, resolution.target.url));
      },
      onError: () => {
        if (this.#mount !== mount) return;
        this.#fail(key, 'script-load-failed', `Ledyer's script could not be loaded from ${resolution.target.url}.`, true);
      },
    });
  }

  #watchForIframe(mount: Mount): void {
    if (this.#mount !== mount || mount.ready) return;
    const iframe = mount.container.querySelector('iframe');
    if (iframe === null || iframe.dataset['ledyerCheckoutWatched'] !== undefined) return;
    iframe.dataset['ledyerCheckoutWatched'] = '';
    iframe.addEventListener('load', () => this.#onIframeLoaded(mount), { once: true, signal: mount.bridge.signal });
  }

  #onIframeLoaded(mount: Mount): void {
    if (this.#mount !== mount || mount.ready) return;
    mount.ready = true;
    clearTimeout(mount.loadTimer);
    mount.observer.disconnect();
    if (this.#suspendCount > 0) {
      // A suspend() that came while loading applies now that Ledyer's API exists.
      this.#callLedyer(mount.bridge.suspend(), 'suspend');
      this.#setState('suspended');
    } else {
      this.#setState('ready');
    }
    this.dispatchEvent(new LedyerReadyEvent(mount.sessionId));
  }

  #onLedyerSignal(mount: Mount, signal: LedyerSignal): void {
    // Ledyer's events carry nothing that says which checkout sent them; until this mount's
    // iframe has loaded they can only come from a torn-down one, so they are dropped.
    if (this.#mount !== mount || !mount.ready) return;
    switch (signal) {
      case 'waiting-for-client-validation':
        void this.#runValidation(mount);
        return;
      case 'order-complete':
      case 'order-pending':
        // Ledyer may have proceeded on its own (10 s rule): a late answer is pointless.
        mount.validation?.abort();
        mount.validation = null;
        this.#setState('complete');
        this.dispatchEvent(new LedyerConfirmationEvent(mount.sessionId, signal === 'order-complete' ? 'complete' : 'pending'));
        return;
      case 'customer-updated':
        this.dispatchEvent(new LedyerCustomerChangeEvent(mount.sessionId));
        return;
      case 'billing-updated':
        this.dispatchEvent(new LedyerBillingChangeEvent(mount.sessionId));
        return;
      case 'shipping-updated':
        this.dispatchEvent(new LedyerShippingChangeEvent(mount.sessionId));
        return;
    }
  }

  async #runValidation(mount: Mount): Promise<void> {
    // Ledyer waits for one answer per request; a repeat while one is pending is the same request.
    if (mount.validation !== null) return;
    const controller = new AbortController();
    mount.validation = controller;
    this.#setState('validating');

    const answers: Array<Promise<unknown>> = [];
    const detail = { sessionId: mount.sessionId };
    if (typeof this.validate === 'function') {
      try {
        answers.push(Promise.resolve(this.validate(detail, controller.signal)));
      } catch (error) {
        answers.push(Promise.reject(error));
      }
    }
    const event = new LedyerValidateEvent(mount.sessionId, controller.signal);
    this.dispatchEvent(event);
    answers.push(...event.takeResponses());
    // A listener may have changed the session id or removed the element.
    if (this.#mount !== mount || controller.signal.aborted) return;

    if (answers.length === 0) {
      // Nobody asked to validate: never make the buyer wait for Ledyer's 10 s.
      this.#answer(mount, event.defaultPrevented ? { shouldProceed: false } : { shouldProceed: true });
      return;
    }

    const timeout = this.#validationTimeout();
    const settled = await settleWithin(answers, timeout, controller.signal);
    if (this.#mount !== mount || settled.kind === 'aborted') return;
    controller.abort();
    if (settled.kind === 'failed' || !settled.results.every(isValidationResult)) {
      const reason = settled.kind === 'failed' ? settled.reason : 'an answer was not { proceed: boolean }';
      const proceed = this.#validationTimeoutAction() === 'proceed';
      this.#answer(mount, { shouldProceed: proceed });
      this.dispatchEvent(
        new LedyerErrorEvent('validation-failed', `Client validation failed (${reason}); the purchase was ${proceed ? 'allowed' : 'denied'}.`, true),
      );
      return;
    }
    const denial = settled.results.find((result): result is Extract<ValidationResult, { proceed: false }> => !result.proceed);
    if (denial === undefined && !event.defaultPrevented) {
      this.#answer(mount, { shouldProceed: true });
      return;
    }
    const denialWithText = settled.results.find(
      (result): result is Extract<ValidationResult, { proceed: false }> =>
        !result.proceed && (result.title !== undefined || result.message !== undefined),
    );
    this.#answer(
      mount,
      denialWithText === undefined
        ? { shouldProceed: false }
        : { shouldProceed: false, message: { title: denialWithText.title ?? null, body: denialWithText.message ?? '' } },
    );
  }

  #answer(mount: Mount, answer: ClientValidationAnswer): void {
    mount.validation?.abort();
    mount.validation = null;
    this.#callLedyer(mount.bridge.clientValidation(answer), 'clientValidation');
    if (this.#state === 'validating') this.#setState(this.#suspendCount > 0 ? 'suspended' : 'ready');
  }

  #validationTimeout(): number {
    const ms = this.validationTimeout;
    return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_VALIDATION_TIMEOUT_MS;
  }

  #validationTimeoutAction(): ValidationTimeoutAction {
    return this.validationTimeoutAction === 'proceed' ? 'proceed' : 'deny';
  }

  #callLedyer(called: boolean, method: string): void {
    if (!called) {
      devWarn(this, 'ledyer-api-missing', `window.ledyer.api.${method} is not on the page; Ledyer's script did not define it.`);
    }
  }

  #warnAboutConfiguration(target: BootstrapTarget): void {
    if (this.environment === 'production' && target.loopback) {
      devWarn(this, 'production-with-loopback-bootstrap', 'environment="production" with a loopback bootstrap-url: this checkout talks to a local sandbox, not to Ledyer.');
    } else if (this.environment === 'production' && this.bootstrapUrl) {
      devWarn(this, 'bootstrap-url-overrides-environment', 'bootstrap-url is set, so environment="production" is ignored and data-env is "localhost".');
    }
    const color = this.buyButtonColor;
    if (color !== null && color !== undefined && !BUY_BUTTON_COLOR_PATTERN.test(color)) {
      devWarn(this, 'invalid-buy-button-color', `buy-button-color "${color}" is not #rrggbb; Ledyer's default colour is used.`);
    }
    const action: unknown = this.validationTimeoutAction;
    if (action !== 'deny' && action !== 'proceed') {
      devWarn(this, 'invalid-validation-timeout-action', `validation-timeout-action "${String(action)}" is not "deny" or "proceed"; "deny" is used.`);
    }
    if (this.#validationTimeout() >= LEDYER_VALIDATION_LIMIT_MS) {
      devWarn(this, 'validation-timeout-too-long', `validation-timeout ${this.validationTimeout} ms is not below Ledyer's own 10 s, after which the purchase proceeds regardless.`);
    }
  }

  #fail(key: string, code: LedyerErrorCode, message: string, recoverable: boolean): void {
    this.#teardown();
    this.#startedKey = key;
    this.#error = { code, message, recoverable };
    this.#setState('error');
    this.requestUpdate();
    this.dispatchEvent(new LedyerErrorEvent(code, message, recoverable));
  }

  /** Removes everything this element added to the page: script, container, listeners, timers, hints. */
  #teardown(): void {
    this.#releasePreconnect?.();
    this.#releasePreconnect = null;
    releasePage(this);
    const mount = this.#mount;
    if (mount === null) return;
    this.#mount = null;
    mount.validation?.abort();
    clearTimeout(mount.loadTimer);
    mount.observer.disconnect();
    mount.bridge.close();
    mount.script?.remove();
    mount.container.remove();
  }

  #setState(next: LedyerCheckoutState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.setAttribute('state', next);
    this.requestUpdate();
    this.dispatchEvent(new LedyerStateChangeEvent(next, previous));
  }
}

// `ledyer-checkout/element` is this module: its users get the event classes and types too.
export {
  LedyerBillingChangeEvent,
  LedyerConfirmationEvent,
  LedyerCustomerChangeEvent,
  LedyerErrorEvent,
  LedyerLoadEvent,
  LedyerReadyEvent,
  LedyerShippingChangeEvent,
  LedyerStateChangeEvent,
  LedyerValidateEvent,
} from './events.js';
export type * from './types.js';
