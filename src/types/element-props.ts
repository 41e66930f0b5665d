/**
 * The element's inputs and events as template types: one place that the React component,
 * the JSX and the Vue declarations build on, all derived from the element's own types so
 * they cannot drift from it. Types only.
 */
import type { LedyerCheckout, LedyerCheckoutEventMap } from '../element/ledyer-checkout.js';

/** The properties a template or a component may set, camelCase, as on the element. */
export type LedyerCheckoutProperties = Partial<
  Pick<
    LedyerCheckout,
    | 'sessionId'
    | 'environment'
    | 'bootstrapUrl'
    | 'buyButtonColor'
    | 'noPadding'
    | 'validationTimeout'
    | 'validationTimeoutAction'
    | 'loadTimeout'
    | 'validate'
  >
>;

/** The same as HTML attributes, kebab-case: what a server renders. `validate` is a property only. */
export interface LedyerCheckoutAttributes {
  'session-id'?: string | null;
  environment?: LedyerCheckout['environment'];
  'bootstrap-url'?: string | null;
  'buy-button-color'?: string | null;
  'no-padding'?: boolean;
  'validation-timeout'?: number;
  'validation-timeout-action'?: LedyerCheckout['validationTimeoutAction'];
  'load-timeout'?: number;
  validate?: LedyerCheckout['validate'];
}

/** `ledyer-state-change` → `LedyerStateChange`. */
export type PascalCase<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${PascalCase<Tail>}` : Capitalize<Name>;

/** One callback per event, `on` + the event name in PascalCase: `onLedyerConfirmation`. */
export type LedyerCheckoutEventCallbacks = {
  [Name in keyof LedyerCheckoutEventMap as `on${PascalCase<Name>}`]?: (event: LedyerCheckoutEventMap[Name]) => void;
};

/** One handler per event as React 19 takes them on a custom element: `on` + the event name, `onledyer-confirmation`. */
export type LedyerCheckoutEventAttributes = {
  [Name in keyof LedyerCheckoutEventMap as `on${Name}`]?: (event: LedyerCheckoutEventMap[Name]) => void;
};
