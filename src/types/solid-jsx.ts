/**
 * `<ledyer-checkout>` in Solid's JSX: its attributes, `validate`, a `prop:` form of every
 * property, and an `on:ledyer-*` handler per event, typed with its event class. Types only:
 * `import type {} from 'ledyer-checkout/solid'` once.
 *
 * The events are declared on this element alone rather than in Solid's global
 * `JSX.CustomEvents`, which would offer `on:ledyer-confirmation` on every `<div>` too.
 */
import type { JSX } from 'solid-js';
import type { LedyerCheckout, LedyerCheckoutEventMap } from '../element/ledyer-checkout.js';
import type { LedyerCheckoutAttributes, LedyerCheckoutProperties } from './element-props.js';

/** `prop:sessionId`, `prop:validate`, …: Solid sets these as properties, never as attributes. */
export type LedyerCheckoutSolidProperties = {
  [Name in keyof LedyerCheckoutProperties as `prop:${Name}`]: LedyerCheckoutProperties[Name];
};

/**
 * `on:ledyer-confirmation`, …: Solid's way to listen to a custom element's event, by its
 * exact name, with `addEventListener` on the element itself (no delegation).
 */
export type LedyerCheckoutSolidEvents = {
  [Name in keyof LedyerCheckoutEventMap as `on:${Name}`]?: JSX.EventHandlerWithOptionsUnion<LedyerCheckout, LedyerCheckoutEventMap[Name]>;
};

/** What `<ledyer-checkout>` takes in Solid's JSX. */
export type LedyerCheckoutSolidProps = JSX.HTMLAttributes<LedyerCheckout> &
  LedyerCheckoutAttributes &
  LedyerCheckoutSolidProperties &
  LedyerCheckoutSolidEvents;

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
      'ledyer-checkout': LedyerCheckoutSolidProps;
    }
  }
}
