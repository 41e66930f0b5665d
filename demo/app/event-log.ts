/**
 * The live event log: every `ledyer-*` event the element fires, newest last, with its
 * payload and the element's `state` at that moment. It is what a developer copying this
 * demo watches to learn the element's contract.
 */
import { h } from './dom.js';

/** Every event the element documents (DESIGN.md, "The element"). */
export const LEDYER_EVENTS = [
  'ledyer-load',
  'ledyer-ready',
  'ledyer-validate',
  'ledyer-confirmation',
  'ledyer-customer-change',
  'ledyer-billing-change',
  'ledyer-shipping-change',
  'ledyer-error',
  'ledyer-state-change',
] as const;

const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 });

/** The event's own fields (the element's events carry typed fields, not `detail`). */
export function eventPayload(event: Event): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    // `isTrusted` is an own property of every Event; it says nothing about the element.
    if (typeof value === 'function' || key === 'isTrusted') continue;
    // `ledyer-validate` carries its AbortSignal; what matters in a log is whether it fired.
    payload[key] = value instanceof AbortSignal ? { aborted: value.aborted } : value;
  }
  if (event instanceof CustomEvent && event.detail !== null && event.detail !== undefined) payload['detail'] = event.detail;
  return payload;
}

function stringify(payload: Record<string, unknown>): string {
  if (Object.keys(payload).length === 0) return '{}';
  return JSON.stringify(payload, (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message } : value));
}

export class EventLog {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly stateOutput: HTMLElement,
  ) {}

  /** Listens to every `ledyer-*` event on `element` until `signal` aborts. */
  watch(element: HTMLElement, signal: AbortSignal): void {
    for (const name of LEDYER_EVENTS) {
      element.addEventListener(name, (event) => this.add(event, element.getAttribute('state') ?? 'idle'), { signal });
    }
  }

  add(event: Event, state: string): void {
    this.showState(state);
    const payload = eventPayload(event);
    const entry = h(
      'li',
      { class: 'log-entry', 'data-event': event.type },
      h('time', { class: 'log-time' }, time.format(new Date())),
      h('code', { class: 'log-name' }, event.type),
      h('span', { class: 'log-state' }, `state: ${state}`),
      h('pre', { class: 'log-payload' }, stringify(payload)),
    );
    this.list.append(entry);
    // The list scrolls on its own; scrolling the page would pull the buyer away from the checkout.
    this.list.scrollTop = this.list.scrollHeight;
  }

  showState(state: string): void {
    this.stateOutput.textContent = state;
    this.stateOutput.dataset['state'] = state;
  }

  clear(): void {
    this.list.replaceChildren();
  }
}
