/**
 * `<ledyer-checkout>` in React's JSX (TSX): its attributes, the `validate` property and the
 * `onledyer-*` handlers React 19 adds as listeners on a custom element. Comes with
 * `ledyer-checkout/react`; `import type {} from 'ledyer-checkout/react'` brings it alone.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { LedyerCheckout } from '../element/ledyer-checkout.js';
import type { LedyerCheckoutAttributes, LedyerCheckoutEventAttributes } from './element-props.js';

/** What `<ledyer-checkout>` takes in TSX. */
export type LedyerCheckoutJsxProps = DetailedHTMLProps<HTMLAttributes<LedyerCheckout>, LedyerCheckout> &
  LedyerCheckoutAttributes &
  LedyerCheckoutEventAttributes;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'ledyer-checkout': LedyerCheckoutJsxProps;
    }
  }
}
