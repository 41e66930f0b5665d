/** Shared helpers for the element's browser tests: the test double, page queries, waits. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../src/index.js';
import type { LedyerCheckout, LedyerCheckoutState } from '../../src/index.js';

export const FAKE_BOOTSTRAP = new URL('/test/element/fixtures/fake-bootstrap.js', location.origin).href;

export interface FakeRun {
  sessionId?: string;
  containerId?: string;
  env?: string;
  buyButtonColor?: string;
  noPadding?: string;
  containerFound: boolean | null;
}

export interface FakeCall {
  method: 'suspend' | 'resume' | 'clientValidation';
  sessionId: string;
  answer?: { shouldProceed: boolean; message?: { title: string | null; body: string } };
}

interface FakeLog {
  runs: FakeRun[];
  calls: FakeCall[];
}

export function fakeLog(): FakeLog {
  const page = window as { __fakeLedyer?: FakeLog };
  page.__fakeLedyer ??= { runs: [], calls: [] };
  return page.__fakeLedyer;
}

/** Forgets what earlier tests' scripts did, including the page-global API. */
export function resetPage(): void {
  (window as { __fakeLedyer?: FakeLog }).__fakeLedyer = { runs: [], calls: [] };
  delete (window as { ledyer?: unknown }).ledyer;
}

export function fakeUrl(params: Record<string, string> = {}): string {
  const url = new URL(FAKE_BOOTSTRAP);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

export interface CheckoutOptions {
  sessionId?: string;
  bootstrapUrl?: string;
  environment?: string;
  buyButtonColor?: string;
  noPadding?: boolean;
  validationTimeout?: number;
  validationTimeoutAction?: string;
  loadTimeout?: number;
}

/** A checkout on the test double (unless told otherwise), awaited until rendered. */
export function mountCheckout(options: CheckoutOptions = {}): Promise<LedyerCheckout> {
  return fixture<LedyerCheckout>(html`<ledyer-checkout
    session-id=${ifDefined(options.sessionId)}
    bootstrap-url=${ifDefined(options.bootstrapUrl ?? fakeUrl())}
    environment=${ifDefined(options.environment)}
    buy-button-color=${ifDefined(options.buyButtonColor)}
    ?no-padding=${options.noPadding ?? false}
    validation-timeout=${ifDefined(options.validationTimeout)}
    validation-timeout-action=${ifDefined(options.validationTimeoutAction)}
    load-timeout=${ifDefined(options.loadTimeout)}
  ></ledyer-checkout>`);
}

export async function readyCheckout(options: CheckoutOptions = {}): Promise<LedyerCheckout> {
  const el = await mountCheckout({ sessionId: 'cs_test', ...options });
  await waitForState(el, 'ready');
  return el;
}

export function waitForState(el: LedyerCheckout, state: LedyerCheckoutState, timeout = 5000): Promise<void> {
  return waitUntil(() => el.state === state, `state never became ${state} (is ${el.state})`, { timeout });
}

export const scripts = (): HTMLScriptElement[] => [...document.querySelectorAll<HTMLScriptElement>('script[data-ledyer-checkout]')];
export const containers = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('[data-ledyer-checkout]:not(script):not(link)')];
export const iframes = (): HTMLIFrameElement[] => [...document.querySelectorAll<HTMLIFrameElement>('ledyer-checkout iframe')];

/** Fires one of Ledyer's page-global events as its bootstrap.js would. */
export function ledyerFires(name: string): void {
  document.dispatchEvent(new CustomEvent(name, { detail: { unknown: true } }));
}

/** Collects every event of `type` the element fires. */
export function record<K extends keyof GlobalEventHandlersEventMap>(el: EventTarget, type: K): Array<GlobalEventHandlersEventMap[K]> {
  const seen: Array<GlobalEventHandlersEventMap[K]> = [];
  el.addEventListener(type, (event) => seen.push(event as GlobalEventHandlersEventMap[K]));
  return seen;
}

/** What a sighted user sees: the text of visible nodes in the element's shadow and light DOM. */
export function visibleText(el: LedyerCheckout): string {
  const parts: string[] = [];
  const visit = (node: Node): void => {
    if (node instanceof HTMLSlotElement) {
      const assigned = node.assignedNodes({ flatten: true });
      (assigned.length > 0 ? assigned : [...node.childNodes]).forEach(visit);
      return;
    }
    if (node instanceof Text) {
      const parent = node.parentElement;
      if (parent !== null && parent.getClientRects().length > 0 && node.data.trim() !== '') parts.push(node.data.trim());
      return;
    }
    if (node instanceof Element && node.shadowRoot) {
      node.shadowRoot.childNodes.forEach(visit);
      return;
    }
    node.childNodes.forEach(visit);
  };
  visit(el);
  return parts.join(' ');
}

export const nextTask = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
