/**
 * `<ledyer-checkout>`: mounts Ledyer Checkout for a session and turns Ledyer's page-global
 * browser contract (LEDYER.md: a configured `<script>`, `ledyerCheckout*` events on
 * `document`, `window.ledyer.api`) into typed DOM events, a validation promise and a
 * lifecycle. This module has no side effects: `define.ts` (or `LedyerCheckout.define()`)
 * registers the tag.
 *
 * The code is written for size: it is what every storefront downloads. It builds on Lit's
 * `ReactiveElement` (attributes, properties, the update cycle, adopted styles) without
 * lit-html: its shadow DOM is a fixed frame written once, and only the loading and error
 * areas change, by hand, when the state does.
 */
import { ReactiveElement, type PropertyValues } from '@lit/reactive-element';
import { devErrorMessage } from './dev-error-messages.js';
import { devCheckConfiguration, devWarn } from './dev-warnings.js';
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
import { ledyerScript } from './script-url.js';
import { ledyerCheckoutStrings } from './strings.js';
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
const SESSION_ID = /^[A-Za-z0-9][\w.:-]{0,255}$/;
const COLOR = /^#[0-9a-f]{6}$/i;
/** Properties whose change means another checkout: tear down and mount again. */
const MOUNT_PROPERTIES = ['sessionId', 'environment', 'bootstrapUrl', 'buyButtonColor', 'noPadding'] as const;
/** Ledyer's page-global events, `ledyerCheckout` + name (LEDYER.md). */
const LEDYER_EVENTS = ['WaitingForClientValidation', 'OrderComplete', 'OrderPending', 'CustomerUpdated', 'BillingUpdated', 'ShippingUpdated'];
/**
 * The shadow DOM's fixed frame: the named region, the loading area, the error area with its
 * slot, and the slot for Ledyer's container. The areas follow the reflected `state` attribute
 * in CSS (styles.ts), so only their contents change.
 */
const FRAME =
  '<div part=base role=region aria-label="Ledyer Checkout" aria-busy=false><div part=status role=status></div>' +
  '<div part=error role=alert><slot name=error></slot></div><div part=checkout><slot name=checkout></slot></div></div>';
const SKELETON = '<div class=skeleton aria-hidden=true><i class=bar></i><i class=bar></i><i class=bar></i></div><span></span>';

/**
 * What `ledyer-error` carries as `message`. A production build says the stable code and the
 * value at fault, `invalid-session-id: "cs 1"`; a development build the long explanation
 * (dev-error-messages.ts), which compiles away with `process.env.NODE_ENV = "production"`.
 */
function errorMessage(code: LedyerErrorCode, detail: unknown): string {
  try {
    if (process.env.NODE_ENV !== 'production') return devErrorMessage(code, detail);
  } catch {
    return devErrorMessage(code, detail);
  }
  return detail === undefined ? code : `${code}: ${JSON.stringify(detail)}`;
}

const links = new Map<string, { link: HTMLLinkElement; holders: number }>();

/** A `<link>` in `<head>` shared by reference count; the returned function releases one hold. */
function holdLink(rel: string, href: string): () => void {
  const key = rel + href;
  let entry = links.get(key);
  if (!entry?.link.isConnected) {
    const link = document.createElement('link');
    link.rel = rel;
    link.href = href;
    if (rel === 'preload') link.as = 'script';
    link.dataset['ledyerCheckout'] = '';
    document.head.append(link);
    links.set(key, (entry = { link, holders: 0 }));
  }
  const held = entry;
  held.holders++;
  return () => {
    if (--held.holders) return;
    held.link.remove();
    if (links.get(key) === held) links.delete(key);
  };
}

/** The checkout that owns Ledyer's page-global script, and those waiting for it to leave. */
let owner: LedyerCheckout | null = null;
const waiting = new Set<LedyerCheckout>();
let mountCounter = 0;

/** A timeout property as the element uses it: anything but a positive finite number means the default. */
const positive = (ms: number, fallback: number): number => (ms > 0 && ms < Infinity ? ms : fallback);

/**
 * Ledyer Checkout for one session. Put it in the page, set `session-id`, and listen for
 * `ledyer-confirmation`. One element is active per page, because Ledyer's script is.
 *
 * States: `idle` (no session id, or disconnected) → `loading` → `ready` ⇄ `suspended` /
 * `validating` → `complete`; any failure → `error` (`reload()` retries).
 *
 * Its own texts (loading, errors, "Try again") follow `lang` on the element or its nearest
 * ancestor: English, Swedish, Danish, Finnish and Norwegian built in, others and changes with
 * `setLedyerCheckoutStrings()`. While `idle` it changes nothing in its light DOM or attributes,
 * so a server-rendered page hydrates it as sent.
 *
 * @tagname ledyer-checkout
 * @summary Embeds Ledyer Checkout with typed events and a validation deadline.
 *
 * @attr {string} session-id - The session id from create session (not the order id). Changing it mounts the new checkout.
 * @attr {'sandbox'|'production'} environment - Which Ledyer serves the script; default `sandbox`.
 * @attr {string} bootstrap-url - Overrides the script URL (e.g. the local sandbox): https, or http on a loopback host. `data-env` is `localhost` for a loopback host, else `environment`.
 * @attr {string} buy-button-color - `#rrggbb`; Ledyer picks black or white text for it.
 * @attr {boolean} no-padding - Removes the checkout's default 12px padding.
 * @attr {number} validation-timeout - Milliseconds the merchant's validation may take; default 8000 (Ledyer proceeds at 10 s).
 * @attr {'deny'|'proceed'} validation-timeout-action - What to answer when validation throws or times out; default `deny`.
 * @attr {number} load-timeout - Milliseconds until the checkout iframe must have loaded; default 20000.
 * @attr {'loading'|'ready'|'suspended'|'validating'|'complete'|'error'} state - Read-only, reflected: the `state` property, absent while `idle`.
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
export class LedyerCheckout extends ReactiveElement {
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

  /**
   * Defines `tag` (default `ledyer-checkout`); a tag already defined is left as it is, so a
   * second call (or a second copy of the package) is harmless. A registry takes a constructor
   * once, so a class already registered under another tag is registered through a subclass.
   */
  static define(tag = 'ledyer-checkout', registry: CustomElementRegistry = customElements): void {
    if (registry.get(tag)) return;
    try {
      registry.define(tag, this);
    } catch {
      // Any other reason (an invalid tag name) throws again, from here, with the browser's message.
      registry.define(tag, class extends (this as typeof LedyerCheckout) {});
    }
  }

  /** The session id from create session; `null` (no attribute) waits in `idle`. */
  declare sessionId: string | null;
  /** `sandbox` (default) or `production`. */
  declare environment: LedyerEnvironment;
  /** Overrides the script URL; `data-env` is `localhost` for a loopback host, else `environment`. */
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
  /** Aborted on teardown: the current mount's listeners, timer, script and container go with it. */
  #mount: AbortController | null = null;
  /** The current mount's iframe has loaded. */
  #ready = false;
  /** The pending client validation's; aborted when its answer is no longer wanted. */
  #validation: AbortController | null = null;
  /** The configuration last started (mounted, idle or failed), so an unchanged one is not restarted. */
  #startedKey: string | null = null;
  #suspendCount = 0;
  /** Releases the connection and script hints held while waiting for a session id. */
  #releaseHints: (() => void) | undefined;

  constructor() {
    super();
    // One assignment each: custom-elements.json takes the defaults from these lines.
    this.sessionId = null;
    this.environment = 'sandbox';
    this.bootstrapUrl = null;
    this.buyButtonColor = null;
    this.noPadding = false;
    this.validationTimeout = 8000;
    this.validationTimeoutAction = 'deny';
    this.loadTimeout = 20_000;
    this.validate = undefined;
  }

  /** Where the checkout is in its life; reflected to the `state` attribute, which `idle` removes. */
  get state(): LedyerCheckoutState {
    return this.#state;
  }

  /** The current error while `state` is `error`, else `null`. */
  get error(): LedyerCheckoutErrorInfo | null {
    return this.#error && { ...this.#error };
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    (root as ShadowRoot).innerHTML = FRAME;
    return root;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconciled in the update, a microtask later, so connect → disconnect → connect in one
    // task (a framework re-mount) injects one script, not one that is removed and one that stays.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    waiting.delete(this);
    this.#teardown();
    this.#releaseHints?.();
    this.#releaseHints = this.#startedKey = this.#error = null!;
    this.#setState('idle');
  }

  protected override updated(_changed: PropertyValues<this>): void {
    this.#reconcile(false);
  }

  /** Dims the checkout (Ledyer shows a spinner). Counted: every `suspend()` needs its `resume()`. */
  suspend(): void {
    if (this.#suspendCount++ === 0 && this.#ready) {
      this.#callLedyer('suspend');
      if (this.#state === 'ready') this.#setState('suspended');
    }
  }

  /** Undoes one `suspend()`; the checkout resumes when the last one is undone. */
  resume(): void {
    if (this.#suspendCount === 0) {
      try {
        if (process.env.NODE_ENV !== 'production') devWarn(this, 'resume-without-suspend', 'resume() was called more often than suspend(); the extra call is ignored.');
      } catch {
        devWarn(this, 'resume-without-suspend', 'resume() was called more often than suspend(); the extra call is ignored.');
      }
    } else if (--this.#suspendCount === 0 && this.#ready) {
      this.#callLedyer('resume');
      if (this.#state === 'suspended') this.#setState('ready');
    }
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
    this.#reconcile(true);
  }

  /**
   * Writes the loading and error areas for the current state, in the page's language where
   * the element is (its own `lang`, an ancestor's, or `<html lang>`). Texts go in as text,
   * never as markup: a merchant's `setLedyerCheckoutStrings` may contain anything.
   */
  #render(): void {
    const [status, error] = this.renderRoot.firstChild!.childNodes as NodeListOf<HTMLElement>;
    const slot = error!.firstChild as HTMLSlotElement;
    const loading = this.#state === 'loading';
    const failure = this.#error;
    const text = ledyerCheckoutStrings(this.closest('[lang]')?.getAttribute('lang') ?? '');
    (status!.parentNode as HTMLElement).ariaBusy = `${loading}`;
    status!.innerHTML = loading ? SKELETON : '';
    if (loading) status!.lastChild!.textContent = text.loading;
    slot.innerHTML = failure ? (failure.recoverable ? '<p></p><button type=button part=retry></button>' : '<p></p>') : '';
    const [message, retry] = slot.childNodes as NodeListOf<HTMLElement>;
    if (message) message.textContent = text[failure!.code] ?? text.error;
    if (retry) {
      retry.textContent = text.retry;
      retry.onclick = () => this.reload();
    }
  }

  #reconcile(force: boolean): void {
    if (!this.isConnected) return;
    const key = JSON.stringify(MOUNT_PROPERTIES.map((name) => this[name]));
    if (!force && this.#startedKey === key) return;
    const releaseHints = this.#releaseHints;
    this.#releaseHints = undefined;
    this.#teardown();
    this.#startedKey = key;
    this.#start();
    // Released after the start: the script it injected finds its preload still in the page,
    // and a start that waits again re-holds the same links instead of re-adding them.
    releaseHints?.();
  }

  #start(): void {
    this.#error = null;
    const { sessionId } = this;
    const target = ledyerScript(this.environment, this.bootstrapUrl, document.baseURI);
    if (sessionId == null) {
      // The element may be in the page before the session exists: connect to Ledyer's
      // origin and fetch its script now, so setting the id later only has to run it.
      if (!Array.isArray(target)) {
        const { origin } = new URL(target.url);
        const releases = [holdLink('preload', target.url), origin === location.origin ? () => {} : holdLink('preconnect', origin)];
        this.#releaseHints = () => releases.forEach((release) => release());
      }
      return this.#setState('idle');
    }
    if (!SESSION_ID.test(sessionId)) return this.#fail('invalid-session-id', sessionId);
    if (Array.isArray(target)) return this.#fail(...target);
    // Ledyer's script finds its container with document.getElementById, which does not look
    // into shadow roots: mounted there, the checkout would never appear.
    if (this.getRootNode() !== document) return this.#fail('inside-shadow-root');
    try {
      if (process.env.NODE_ENV !== 'production') devCheckConfiguration(this, target.loopback);
    } catch {
      devCheckConfiguration(this, target.loopback);
    }
    if (owner && owner !== this) {
      waiting.add(this);
      return this.#fail('another-checkout-active', undefined, true);
    }
    owner = this;
    waiting.delete(this);

    const container = document.createElement('div');
    container.id = `ledyer-checkout-${++mountCounter}-${Math.random().toString(36).slice(2, 8)}`;
    container.slot = 'checkout';
    // A fresh tag each mount: Ledyer's script reads its own tag's data attributes
    // (`document.currentScript`) when it runs. No `crossorigin`, like the preload, so
    // Chromium reuses the preloaded response.
    const script = document.createElement('script');
    script.src = target.url;
    const data = script.dataset;
    // Lets a merchant (and the tests) find what the element added.
    container.dataset['ledyerCheckout'] = data['ledyerCheckout'] = '';
    data['sessionId'] = sessionId;
    data['containerId'] = container.id;
    data['env'] = target.env;
    const color = this.buyButtonColor;
    if (color && COLOR.test(color)) data['buyButtonColor'] = color;
    if (this.noPadding) data['noPadding'] = 'true';

    const { signal } = (this.#mount = new AbortController());
    const listen = (on: EventTarget, type: string, listener: (event: Event) => void, capture?: boolean) =>
      on.addEventListener(type, listener, { signal, capture });
    const ms = positive(this.loadTimeout, 20_000);
    const timer = setTimeout(() => this.#fail('load-timeout', ms, true), ms);
    // Not through `listen`: a listener added with this signal is removed before its abort event.
    signal.onabort = () => {
      clearTimeout(timer);
      script.remove();
      container.remove();
    };
    // `load` does not bubble, but a capturing listener on an ancestor still sees the
    // iframe's. An iframe without `src` yet fires one for about:blank: not the checkout.
    listen(container, 'load', ({ target: frame }) => {
      if (this.#ready || !(frame as HTMLIFrameElement).src) return;
      this.#ready = true;
      clearTimeout(timer);
      // A suspend() that came while loading applies now that Ledyer's API exists.
      if (this.#suspendCount) this.#callLedyer('suspend');
      this.#setState(this.#suspendCount ? 'suspended' : 'ready');
      this.dispatchEvent(new LedyerReadyEvent(sessionId));
    }, true);
    for (const name of LEDYER_EVENTS) listen(document, `ledyerCheckout${name}`, () => this.#onLedyerEvent(sessionId, name));
    listen(script, 'load', () => this.dispatchEvent(new LedyerLoadEvent(sessionId, target.url)));
    listen(script, 'error', () => this.#fail('script-load-failed', target.url, true));
    this.append(container);
    this.#setState('loading');
    // A state-change listener may have removed the element or changed its session.
    if (!signal.aborted) document.head.append(script);
  }

  #onLedyerEvent(sessionId: string, name: string): void {
    // Ledyer's events carry nothing that says which checkout sent them; until this mount's
    // iframe has loaded they can only come from a torn-down one, so they are dropped.
    if (!this.#ready) return;
    if (name[0] === 'W') {
      void this.#validate(sessionId);
    } else if (name[0] === 'O') {
      // Ledyer may have proceeded on its own (10 s rule): a late answer is pointless.
      this.#validation?.abort();
      this.#validation = null;
      this.#setState('complete');
      this.dispatchEvent(new LedyerConfirmationEvent(sessionId, name === 'OrderComplete' ? 'complete' : 'pending'));
    } else {
      this.dispatchEvent(new (name[0] === 'C' ? LedyerCustomerChangeEvent : name[0] === 'B' ? LedyerBillingChangeEvent : LedyerShippingChangeEvent)(sessionId));
    }
  }

  async #validate(sessionId: string): Promise<void> {
    // Ledyer waits for one answer per request; a repeat while one is pending is the same request.
    if (this.#validation) return;
    // Aborted by the answer, a completed purchase or a teardown: after any of them, say nothing.
    const { signal } = (this.#validation = new AbortController());
    this.#setState('validating');

    const answers: unknown[] = [];
    if (typeof this.validate === 'function') {
      try {
        answers.push(this.validate({ sessionId }, signal));
      } catch (error) {
        answers.push(Promise.reject(error));
      }
    }
    const event = new LedyerValidateEvent(sessionId, signal);
    this.dispatchEvent(event);
    answers.push(...event.takeResponses());
    // A listener may have changed the session id or removed the element.
    if (signal.aborted) return;
    // Nobody asked to validate: never make the buyer wait for Ledyer's 10 s.
    if (!answers.length) return this.#answer({ shouldProceed: !event.defaultPrevented });

    const ms = positive(this.validationTimeout, 8000);
    let results: ValidationResult[];
    try {
      results = await new Promise<unknown[]>((resolve, reject) => {
        const timer = setTimeout(reject, ms, `no answer within ${ms} ms`);
        // A teardown ends the wait at once (the check below returns).
        signal.addEventListener('abort', () => reject(clearTimeout(timer)));
        Promise.all(answers).then(resolve, reject).finally(() => clearTimeout(timer));
      }).then((all) => {
        if (all.every((result) => typeof (result as { proceed?: unknown } | null)?.proceed === 'boolean')) return all as ValidationResult[];
        throw 'an answer was not { proceed: boolean }';
      });
    } catch (error) {
      if (signal.aborted) return;
      const proceed = this.validationTimeoutAction === 'proceed';
      this.#answer({ shouldProceed: proceed });
      this.#report('validation-failed', `${error instanceof Error ? error.message : error}; ${proceed ? 'allowed' : 'denied'}`, true);
      return;
    }
    if (signal.aborted) return;
    const denials = results.filter((result) => !result.proceed) as Array<Extract<ValidationResult, { proceed: false }>>;
    const text = denials.find((denial) => denial.title !== undefined || denial.message !== undefined);
    this.#answer(
      denials.length || event.defaultPrevented
        ? text
          ? { shouldProceed: false, message: { title: text.title ?? null, body: text.message ?? '' } }
          : { shouldProceed: false }
        : { shouldProceed: true },
    );
  }

  #answer(answer: object): void {
    this.#validation?.abort();
    this.#validation = null;
    this.#callLedyer('clientValidation', answer);
    if (this.#state === 'validating') this.#setState(this.#suspendCount ? 'suspended' : 'ready');
  }

  /** Calls `window.ledyer.api[method]`, as a method: Ledyer's API may rely on `this`. */
  #callLedyer(method: string, ...args: unknown[]): void {
    const api = (window as { ledyer?: { api?: Record<string, unknown> } }).ledyer?.api;
    const fn = api?.[method];
    if (typeof fn === 'function') {
      fn.apply(api, args);
      return;
    }
    try {
      if (process.env.NODE_ENV !== 'production') devWarn(this, 'ledyer-api-missing', `window.ledyer.api.${method} is not on the page.`);
    } catch {
      devWarn(this, 'ledyer-api-missing', `window.ledyer.api.${method} is not on the page.`);
    }
  }

  /** Ends the checkout with an error: shown in the element, and told with `ledyer-error`. */
  #fail(code: LedyerErrorCode, detail?: unknown, recoverable = false): void {
    this.#teardown();
    this.#error = { code, message: errorMessage(code, detail), recoverable };
    // Rendered here too: an error may follow another with the state already `error`.
    this.#render();
    this.#setState('error');
    this.#report(code, detail, recoverable);
  }

  #report(code: LedyerErrorCode, detail: unknown, recoverable: boolean): void {
    this.dispatchEvent(new LedyerErrorEvent(code, errorMessage(code, detail), recoverable));
  }

  /** Removes everything this element's mount added to the page: script, container, listeners, timers. */
  #teardown(): void {
    if (owner === this) {
      owner = null;
      // A microtask, so an element that re-connects in the same task (a framework re-mount)
      // reclaims the page before the waiting ones are told.
      queueMicrotask(() => {
        for (const next of waiting) {
          if (owner) return;
          if (next.isConnected && next.#error?.code === 'another-checkout-active') next.#reconcile(true);
        }
      });
    }
    this.#validation?.abort();
    this.#mount?.abort();
    this.#validation = this.#mount = null;
    this.#ready = false;
  }

  #setState(next: LedyerCheckoutState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    // Nothing on the host while idle: a server-rendered page hydrates the element as it sent it.
    if (next === 'idle') this.removeAttribute('state');
    else this.setAttribute('state', next);
    this.#render();
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
export type { LedyerCheckoutEventMap } from './events.js';
export type * from './types.js';
export { setLedyerCheckoutStrings, type LedyerCheckoutStrings } from './strings.js';
