// @ts-check
/**
 * The hosted checkout page's behaviour (a module, served from /checkout/assets/). The HTML
 * is rendered and escaped by browser-routes.ts; this script wires the form to the sandbox's
 * JSON routes and to bootstrap.js on the merchant's page through the protocol in protocol.js.
 */
import { envelope, isHttpUrl, readParentMessage } from './protocol.js';

/** @typedef {import('./protocol.js').PageMessageBody} PageMessageBody */
/** @typedef {import('./protocol.js').ValidationMessage} ValidationMessage */
/** @typedef {import('./protocol.js').ChangedPart} ChangedPart */
/** @typedef {import('../checkout-service.js').CheckoutCustomer} CheckoutCustomer */
/** @typedef {import('../checkout-service.js').CheckoutAddress} CheckoutAddress */
/** @typedef {import('../checkout-service.js').PurchaseOutcome} PurchaseOutcome */
/**
 * Embedded by the route as a JSON data block (not a script: the CSP allows no inline script).
 * @typedef {{ sessionId: string, country: string, customer: CheckoutCustomer, requireClientValidation: boolean, status: 'open' | 'complete' | 'pending' } | { sessionId: null }} PageData
 */

const DEFAULT_DENIAL = {
  title: 'The order could not be placed',
  body: 'The store could not accept this order. Please check your details or contact the store.',
};
const CONTACT_FIELDS = /** @type {const} */ (['companyId', 'companyName', 'email', 'firstName', 'lastName', 'phone', 'reference1', 'reference2']);
const ADDRESS_FIELDS = /** @type {const} */ (['companyName', 'streetAddress', 'postalCode', 'city', 'country', 'careOf', 'attentionName']);
const SAVE_DELAY_MS = 250;

/** @param {string} id */
function byId(id) {
  return document.getElementById(id);
}

/** @type {PageData} */
const data = JSON.parse(byId('checkout-data')?.textContent ?? '{"sessionId":null}');
const bridge = openBridge();

applyAppearance();
observeHeight();
if (data.sessionId !== null) wireCheckout(data);
bridge?.post({ type: 'ready' });

/**
 * The nonce and the parent's origin come in the fragment from bootstrap.js. The origin is
 * cross-checked with `location.ancestorOrigins` where the browser has it, so a page that
 * frames us cannot claim to be another origin.
 */
function openBridge() {
  if (window.parent === window) return null;
  const params = new URLSearchParams(window.location.hash.slice(1));
  const nonce = params.get('nonce') ?? '';
  const claimed = params.get('parentOrigin') ?? '';
  let parentOrigin = '';
  try {
    parentOrigin = new URL(claimed).origin;
  } catch {
    return null;
  }
  if (!nonce || parentOrigin !== claimed) return null;
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== parentOrigin) return null;

  /** @type {Array<(message: import('./protocol.js').ParentMessage) => void>} */
  const handlers = [];
  window.addEventListener('message', (event) => {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    const message = readParentMessage(event.data, nonce);
    if (!message) return;
    for (const handler of handlers) handler(message);
  });
  return {
    /** @param {PageMessageBody} body */
    post(body) {
      window.parent.postMessage(envelope(nonce, body), parentOrigin);
    },
    /** @param {(message: import('./protocol.js').ParentMessage) => void} handler */
    listen(handler) {
      handlers.push(handler);
    },
  };
}

/** Buy button colour with black or white text by WCAG contrast; padding unless `noPadding`. */
function applyAppearance() {
  const query = new URLSearchParams(window.location.search);
  if (query.get('noPadding') === 'true') document.body.classList.add('no-padding');
  const color = parseHexColor(query.get('buyButtonColor') ?? '');
  if (!color) return;
  const luminance = relativeLuminance(color);
  const contrastWithBlack = (luminance + 0.05) / 0.05;
  const contrastWithWhite = 1.05 / (luminance + 0.05);
  // CSSOM writes are allowed by the CSP (style attributes in markup are not).
  document.documentElement.style.setProperty('--buy-background', `rgb(${color.join(' ')})`);
  document.documentElement.style.setProperty('--buy-text', contrastWithBlack >= contrastWithWhite ? '#000' : '#fff');
}

/**
 * @param {string} value `#rgb` or `#rrggbb`, `#` optional
 * @returns {[number, number, number] | null}
 */
function parseHexColor(value) {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match?.[1]) return null;
  const hex = match[1].length === 3 ? [...match[1]].map((digit) => digit + digit).join('') : match[1];
  const channel = (/** @type {number} */ start) => parseInt(hex.slice(start, start + 2), 16);
  return [channel(0), channel(2), channel(4)];
}

/** @param {[number, number, number]} rgb */
function relativeLuminance(rgb) {
  const [r = 0, g = 0, b = 0] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The iframe follows the content: report the body's height whenever it changes. */
function observeHeight() {
  let last = -1;
  const report = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    bridge?.post({ type: 'resize', height });
  };
  new ResizeObserver(report).observe(document.body);
  report();
}

/** @param {Exclude<PageData, { sessionId: null }>} session */
function wireCheckout(session) {
  const form = /** @type {HTMLFormElement | null} */ (byId('checkout-form'));
  const buy = /** @type {HTMLButtonElement | null} */ (byId('buy'));
  const overlay = byId('overlay');
  const status = byId('status');
  const alertBox = byId('alert');
  const alertTitle = byId('alert-title');
  const alertBody = byId('alert-body');
  const confirmation = byId('confirmation');
  const confirmationTitle = byId('confirmation-title');
  const confirmationBody = byId('confirmation-body');
  const shipToggle = /** @type {HTMLInputElement | null} */ (byId('ship-elsewhere'));
  const shippingFields = byId('shipping-fields');
  if (!form || !buy || !overlay || !status || !alertBox || !alertTitle || !alertBody || !confirmation || !confirmationTitle || !confirmationBody) return;

  const base = `/checkout/${encodeURIComponent(session.sessionId)}`;
  let customer = session.customer;
  let suspended = false;
  let busy = false;
  /** @type {((result: { shouldProceed: boolean, message: ValidationMessage | null }) => void) | null} */
  let validationWaiter = null;
  /** @type {Set<string>} */
  const dirty = new Set();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let saveTimer;
  /** @type {Promise<boolean>} */
  let saving = Promise.resolve(true);

  const setStatus = (/** @type {string} */ text) => {
    status.textContent = text;
  };
  const updateBuy = () => {
    buy.disabled = suspended || busy;
    form.setAttribute('aria-busy', String(busy));
  };
  const hideAlert = () => {
    alertBox.hidden = true;
  };
  /** @param {{ title: string | null, body: string | null }} message */
  const showAlert = (message) => {
    alertTitle.textContent = message.title ?? DEFAULT_DENIAL.title;
    alertBody.textContent = message.body ?? DEFAULT_DENIAL.body;
    alertBox.hidden = false;
  };
  /** @param {'complete' | 'pending'} kind */
  const showConfirmation = (kind) => {
    form.hidden = true;
    hideAlert();
    confirmationTitle.textContent = kind === 'complete' ? 'Thank you for your order' : 'Your order is waiting for approval';
    confirmationBody.textContent =
      kind === 'complete'
        ? 'The order is placed. An invoice will be sent to the billing address.'
        : 'The order is placed and waits for a signatory at your company to approve it.';
    confirmation.hidden = false;
    confirmation.focus();
    setStatus('');
  };

  bridge?.listen((message) => {
    switch (message.type) {
      case 'suspend':
        suspended = true;
        overlay.hidden = false;
        form.inert = true;
        setStatus('The checkout is updating…');
        break;
      case 'resume':
        suspended = false;
        overlay.hidden = true;
        form.inert = false;
        setStatus('');
        break;
      case 'validation-result': {
        const waiter = validationWaiter;
        validationWaiter = null;
        waiter?.({ shouldProceed: message.shouldProceed, message: message.message });
        break;
      }
    }
    updateBuy();
  });

  /** @param {string} name */
  const field = (name) => /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));

  shipToggle?.addEventListener('change', () => {
    if (shippingFields) shippingFields.hidden = !shipToggle.checked;
    dirty.add('shipping');
    scheduleSave();
  });
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || target === shipToggle) return;
    if (target.name.startsWith('billing.')) dirty.add('billing');
    else if (target.name.startsWith('shipping.')) dirty.add('shipping');
    else dirty.add(target.name);
    scheduleSave();
  });

  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void save(), SAVE_DELAY_MS);
  }

  /** @param {'billing' | 'shipping'} prefix @param {CheckoutAddress} current */
  function readAddress(prefix, current) {
    /** @type {CheckoutAddress} */
    const next = { ...current };
    for (const name of ADDRESS_FIELDS) {
      const input = field(`${prefix}.${name}`);
      if (input) next[name] = input.value.trim();
    }
    return next;
  }

  /** Sends only what the buyer touched, so the sandbox can fill a new company's address. */
  function save() {
    clearTimeout(saveTimer);
    if (dirty.size === 0) return saving;
    /** @type {Partial<CheckoutCustomer>} */
    const patch = {};
    for (const name of CONTACT_FIELDS) {
      const input = field(name);
      if (dirty.has(name) && input) patch[name] = input.value.trim();
    }
    if (dirty.has('billing')) patch.billingAddress = readAddress('billing', customer.billingAddress);
    if (dirty.has('shipping')) {
      patch.shippingAddress = shipToggle?.checked
        ? readAddress('shipping', customer.shippingAddress ?? emptyAddress(session.country))
        : null;
    }
    dirty.clear();
    saving = saving.then(() => postCustomer(patch));
    return saving;
  }

  /** @param {Partial<CheckoutCustomer>} patch */
  async function postCustomer(patch) {
    const answer = await postJson(`${base}/customer`, patch);
    if (!answer.ok) {
      showAlert({ title: 'Your details could not be saved', body: answer.message });
      return false;
    }
    const body = /** @type {{ changed: ChangedPart[], customer: CheckoutCustomer }} */ (answer.body);
    refreshFields(customer, body.customer);
    customer = body.customer;
    if (body.changed.length > 0) bridge?.post({ type: 'customer-updated', changed: body.changed });
    return true;
  }

  /**
   * Shows what the sandbox saved (e.g. a new company's name and registered address). A field
   * the buyer has edited since (its value differs from the saved one we started from) is left alone.
   * @param {CheckoutCustomer} previous
   * @param {CheckoutCustomer} next
   */
  function refreshFields(previous, next) {
    /** @param {string} name @param {string} before @param {string} after */
    const set = (name, before, after) => {
      const input = field(name);
      if (input && input.value.trim() === before && !dirty.has(name)) input.value = after;
    };
    for (const name of CONTACT_FIELDS) set(name, previous[name], next[name]);
    if (!dirty.has('billing')) {
      for (const name of ADDRESS_FIELDS) set(`billing.${name}`, previous.billingAddress[name], next.billingAddress[name]);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (suspended || busy) return;
    if (!form.reportValidity()) return;
    void buyNow();
  });

  async function buyNow() {
    busy = true;
    updateBuy();
    hideAlert();
    try {
      setStatus('Saving your details…');
      if (!(await save())) return;
      if (session.requireClientValidation && bridge) {
        setStatus('Waiting for the store to confirm the order…');
        const result = await new Promise((resolve) => {
          validationWaiter = resolve;
          bridge.post({ type: 'waiting-for-validation' });
        });
        if (!result.shouldProceed) {
          setStatus('');
          showAlert(result.message ?? { title: null, body: null });
          return;
        }
      }
      setStatus('Placing the order…');
      const answer = await postJson(`${base}/purchase`, {});
      if (!answer.ok) {
        setStatus('');
        showAlert({ title: 'The order could not be placed', body: answer.message });
        return;
      }
      handleOutcome(/** @type {PurchaseOutcome} */ (answer.body));
    } finally {
      busy = false;
      updateBuy();
    }
  }

  /** @param {PurchaseOutcome} outcome */
  function handleOutcome(outcome) {
    switch (outcome.kind) {
      case 'complete':
      case 'pending':
        showConfirmation(outcome.kind);
        bridge?.post({ type: outcome.kind });
        break;
      case 'declined':
        setStatus('');
        showAlert({ title: outcome.title, body: outcome.body });
        break;
      case 'redirect':
        if (!isHttpUrl(outcome.location)) {
          showAlert({ title: 'The order could not be placed', body: 'The store answered with an invalid address.' });
          break;
        }
        setStatus('Taking you back to the store…');
        if (bridge) bridge.post({ type: 'redirect', location: outcome.location });
        else window.location.assign(outcome.location);
        break;
      case 'error':
        setStatus('');
        showAlert({ title: 'Something went wrong', body: outcome.message });
        break;
    }
  }

  if (session.status !== 'open') updateBuy();
}

/** @param {string} country @returns {CheckoutAddress} */
function emptyAddress(country) {
  return { companyName: '', streetAddress: '', postalCode: '', city: '', country, careOf: '', attentionName: '' };
}

/**
 * @param {string} url
 * @param {unknown} body
 * @returns {Promise<{ ok: true, body: unknown } | { ok: false, message: string }>}
 */
async function postJson(url, body) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    const parsed = await response.json().catch(() => null);
    if (response.ok) return { ok: true, body: parsed };
    const first = parsed && Array.isArray(parsed.errors) ? parsed.errors[0] : null;
    const message = first && typeof first.message === 'string' ? first.message : `The checkout answered ${response.status}.`;
    return { ok: false, message };
  } catch {
    return { ok: false, message: 'The checkout could not be reached. Check your connection and try again.' };
  }
}
