'use client';
/**
 * `ledyer-checkout/react`: `<LedyerCheckout>` for React 19, safe under server rendering and
 * hydration. As Stripe's `EmbeddedCheckout` does, the server renders a stable host (the
 * `<ledyer-checkout>` tag with only `className`, `style` and children) and the checkout is
 * mounted on the client, in an effect: the element adds Ledyer's container to its light DOM
 * only once it has a session id, and it gets that id after hydration, so React never finds
 * DOM it did not render. StrictMode's effect replay sets the same properties again, which
 * the element treats as no change: one script, one iframe.
 *
 * Written with `createElement` rather than JSX so the library needs no JSX build setting.
 */
import { createElement, useImperativeHandle, useLayoutEffect, useRef, type CSSProperties, type ReactNode, type Ref } from 'react';
import '../element/define.js';
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
  type LedyerCheckout as LedyerCheckoutElement,
} from '../element/ledyer-checkout.js';
import type { LedyerCheckoutEventCallbacks, LedyerCheckoutProperties } from '../types/element-props.js';
import '../types/react-jsx.js';

export type { LedyerCheckoutElement };
export type { LedyerCheckoutEventCallbacks, LedyerCheckoutProperties } from '../types/element-props.js';
export type { LedyerCheckoutJsxProps } from '../types/react-jsx.js';

/** Props of `<LedyerCheckout>`: the element's properties, one callback per event, and the host's class, style and children. */
export interface LedyerCheckoutProps extends LedyerCheckoutProperties, LedyerCheckoutEventCallbacks {
  className?: string;
  style?: CSSProperties;
  /** Rendered inside the element: e.g. `<p slot="error">…</p>` replaces its built-in error message. */
  children?: ReactNode;
  /** The `<ledyer-checkout>` element: `suspend()`, `resume()`, `withSuspended()`, `reload()`, `state`, `error`. */
  ref?: Ref<LedyerCheckoutElement>;
}

const PROPERTIES = [
  'sessionId',
  'environment',
  'bootstrapUrl',
  'buyButtonColor',
  'noPadding',
  'validationTimeout',
  'validationTimeoutAction',
  'loadTimeout',
  'validate',
] as const satisfies ReadonlyArray<keyof LedyerCheckoutProperties>;

type Callback = (event: Event) => void;

/** Every event of the element with its callback's prop name: `ledyer-state-change` → `onLedyerStateChange`. */
const EVENTS = [
  LedyerLoadEvent,
  LedyerReadyEvent,
  LedyerValidateEvent,
  LedyerConfirmationEvent,
  LedyerCustomerChangeEvent,
  LedyerBillingChangeEvent,
  LedyerShippingChangeEvent,
  LedyerErrorEvent,
  LedyerStateChangeEvent,
].map(({ eventName }) => [eventName, `on${eventName.replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase())}`] as const);

/**
 * Ledyer Checkout for one session. `sessionId` mounts it (a new one mounts the new session),
 * `onLedyerConfirmation` tells you the purchase is done; `ref` gives the element.
 */
export function LedyerCheckout({ ref, className, style, children, ...props }: LedyerCheckoutProps): ReactNode {
  const element = useRef<LedyerCheckoutElement>(null);
  /** The latest props, read by the listeners: a new callback each render re-subscribes nothing. */
  const latest = useRef(props);
  /** The element's own defaults, for a prop that is removed again. */
  const defaults = useRef<LedyerCheckoutProperties | null>(null);

  useImperativeHandle(ref, () => element.current!, []);

  useLayoutEffect(() => {
    latest.current = props;
  });

  // Listeners first: they are in place before the properties below start the checkout.
  useLayoutEffect(() => {
    const host = element.current!;
    const controller = new AbortController();
    for (const [eventName, callbackName] of EVENTS) {
      host.addEventListener(eventName, (event) => (latest.current as Record<string, Callback | undefined>)[callbackName]?.(event), { signal: controller.signal });
    }
    return () => controller.abort();
  }, []);

  // On the client only, after hydration: this is what starts the checkout.
  const values = PROPERTIES.map((name) => props[name]);
  useLayoutEffect(() => {
    const host = element.current! as unknown as Record<string, unknown>;
    const initial = (defaults.current ??= Object.fromEntries(PROPERTIES.map((name) => [name, host[name]])) as LedyerCheckoutProperties);
    PROPERTIES.forEach((name, index) => {
      const value = values[index] ?? initial[name];
      if (host[name] !== value) host[name] = value;
    });
    // The dependencies are `values`: exactly the props in PROPERTIES, in order, a list of fixed length.
  }, values);

  // The configuration as attributes, the session id not: the server's HTML then tells the
  // element, upgraded before hydration, which script to preload while it waits (it preloads
  // Ledyer's sandbox script by default), and nothing in it starts a checkout.
  const attributes = {
    environment: props.environment,
    'bootstrap-url': props.bootstrapUrl ?? undefined,
    'buy-button-color': props.buyButtonColor ?? undefined,
    'no-padding': props.noPadding || undefined,
    'validation-timeout': props.validationTimeout,
    'validation-timeout-action': props.validationTimeoutAction,
    'load-timeout': props.loadTimeout,
  };
  return createElement('ledyer-checkout', { ref: element, className, style, ...attributes }, children);
}
