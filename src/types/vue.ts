/**
 * `<ledyer-checkout>` in Vue templates: `vue-tsc` checks its props (`:session-id`, …) and
 * its `@ledyer-*` handlers. Types only: `import type {} from 'ledyer-checkout/vue'` once,
 * e.g. in `env.d.ts`. Vue must still be told the tag is a custom element at run time
 * (`compilerOptions.isCustomElement`), see the README.
 */
import type { DefineComponent } from 'vue';
import type { LedyerCheckoutEventCallbacks, LedyerCheckoutProperties } from './element-props.js';

/** What `<ledyer-checkout>` takes in a Vue template; Vue maps `session-id` to `sessionId` and `@ledyer-ready` to `onLedyerReady`. */
export type LedyerCheckoutVueProps = LedyerCheckoutProperties & LedyerCheckoutEventCallbacks;

declare module 'vue' {
  interface GlobalComponents {
    'ledyer-checkout': DefineComponent<LedyerCheckoutVueProps>;
  }
}
