/**
 * `<ledyer-checkout>` in Vue templates: `vue-tsc` checks its props (`:session-id`, …) and
 * its `@ledyer-*` handlers. Types only: `import type {} from 'ledyer-checkout/vue'` once,
 * e.g. in `env.d.ts`. Vue must still be told the tag is a custom element at run time
 * (`compilerOptions.isCustomElement`), see the README.
 */
import type { ComponentOptionsMixin, DefineComponent } from 'vue';
import type { LedyerCheckoutEventMap } from '../element/ledyer-checkout.js';
import type { LedyerCheckoutProperties } from './element-props.js';

/** The props `<ledyer-checkout>` takes in a Vue template; Vue maps `:session-id` to `sessionId`. */
export type LedyerCheckoutVueProps = LedyerCheckoutProperties;

/** Its events as Vue emits: `@ledyer-confirmation` gets a `LedyerConfirmationEvent`. */
export type LedyerCheckoutVueEmits = {
  [Name in keyof LedyerCheckoutEventMap]: (event: LedyerCheckoutEventMap[Name]) => void;
};

declare module 'vue' {
  interface GlobalComponents {
    'ledyer-checkout': DefineComponent<LedyerCheckoutVueProps, {}, {}, {}, {}, ComponentOptionsMixin, ComponentOptionsMixin, LedyerCheckoutVueEmits>;
  }
}
