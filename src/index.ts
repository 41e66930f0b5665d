/**
 * `ledyer-checkout`: the browser entry. Importing it defines `<ledyer-checkout>`; the class,
 * the event classes and the types are re-exported (the element module carries them, so
 * `ledyer-checkout/element` and this entry offer the same names).
 */
import './element/define.js';

export * from './element/ledyer-checkout.js';
