/**
 * Registers `<ledyer-checkout>`. Importing this module is the side effect; the guard makes a
 * second import (or a second copy of the package on the page) harmless. Nothing runs in
 * Node, where there is no registry: server rendering may import the package.
 */
import { LedyerCheckout } from './ledyer-checkout.js';

if (typeof customElements !== 'undefined') LedyerCheckout.define();

declare global {
  interface HTMLElementTagNameMap {
    'ledyer-checkout': LedyerCheckout;
  }
}
