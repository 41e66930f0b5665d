import { css } from '@lit/reactive-element';

// Written compact: the bundle ships this text as is. The areas follow the reflected `state`
// attribute, so the template needs no class or `hidden` bindings; `!important` as `hidden`
// had, so a merchant's `::part(error) { display: flex }` never shows an empty error box.
// While loading, the iframe lays out at full width behind the skeleton (a hidden or
// zero-size iframe would report a wrong height to Ledyer's script); the host is the
// positioned box. The skeleton's bars are grid items, so `<i>` needs no `display`; the
// only `span` is the visually hidden announcement.
export const ledyerCheckoutStyles = css`
:host{display:block;position:relative}
:host([hidden]){display:none}
:host(:not([state=error])) [part=error],:host([state=error]) [part=checkout]{display:none!important}
:host([state=loading]) [part=checkout]{position:absolute;inset:0;opacity:0;pointer-events:none}
.skeleton{display:grid;gap:12px;padding:12px;min-height:var(--ledyer-checkout-min-height,480px);box-sizing:border-box}
.bar{border-radius:var(--ledyer-checkout-skeleton-radius,6px);background:var(--ledyer-checkout-skeleton-color,#e8e8ec);height:44px;animation:pulse 1.4s ease-in-out infinite}
.bar:last-child{width:60%}
@keyframes pulse{50%{opacity:.45}}
@media (prefers-reduced-motion:reduce){.bar{animation:none}}
span{position:absolute;clip-path:inset(50%)}
[part=error]{padding:16px;border:1px solid;border-radius:6px;color:var(--ledyer-checkout-error-color,#b3261e)}
p{margin:0 0 12px}
`;
