/**
 * `<ledyer-checkout>` in Preact's JSX: its attributes, the `validate` property and the
 * `onledyer-*` handlers (Preact adds a listener for `on` + the rest of the name on a custom
 * element). Types only: `import type {} from 'ledyer-checkout/preact'` once.
 */
import type { HTMLAttributes } from 'preact';
import type { LedyerCheckout } from '../element/ledyer-checkout.js';
import type { LedyerCheckoutAttributes, LedyerCheckoutEventAttributes } from './element-props.js';

/** What `<ledyer-checkout>` takes in Preact's JSX. */
export type LedyerCheckoutPreactProps = HTMLAttributes<LedyerCheckout> & LedyerCheckoutAttributes & LedyerCheckoutEventAttributes;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'ledyer-checkout': LedyerCheckoutPreactProps;
    }
  }
}
