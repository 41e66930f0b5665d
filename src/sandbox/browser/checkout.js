// @ts-check
/**
 * The hosted checkout page's behaviour (a module, served from /checkout/assets/). The HTML
 * is rendered and escaped by browser-routes.ts; this script wires the form to the sandbox's
 * JSON routes, to bootstrap.js on the merchant's page through the protocol in protocol.js,
 * and to the sandbox's live channel (Server-Sent Events), through which the control API
 * drives the page and expires it.
 *
 * What the buyer sees is what is bought: the page shows one version of the session, re-reads
 * it when the merchant resumes the checkout, and sends that version with the purchase; the
 * sandbox refuses a purchase of a version the session has moved on from (409 session_changed).
 */
import { envelope, isHttpUrl, readParentMessage } from './protocol.js';

/** @typedef {import('./protocol.js').PageMessageBody} PageMessageBody */
/** @typedef {import('./protocol.js').ValidationMessage} ValidationMessage */
/** @typedef {import('./protocol.js').ChangedPart} ChangedPart */
/** @typedef {import('../checkout-service.js').CheckoutCustomer} CheckoutCustomer */
/** @typedef {import('../checkout-service.js').CheckoutAddress} CheckoutAddress */
/** @typedef {import('../checkout-service.js').CheckoutLineView} CheckoutLineView */
/** @typedef {import('../checkout-service.js').CheckoutPageState} CheckoutPageState */
/** @typedef {import('../checkout-service.js').PurchaseOutcome} PurchaseOutcome */
/** @typedef {import('../checkout-service.js').SandboxPaymentMethod} SandboxPaymentMethod */
/** @typedef {import('../live-checkouts.js').BuyCommand & { commandId: string }} BuyCommand */
/** @typedef {import('../live-checkouts.js').CommandReport} CommandReport */
/**
 * Embedded by the route as a JSON data block (not a script: the CSP allows no inline script).
 * @typedef {CheckoutPageState | { sessionId: null }} PageData
 */
/**
 * @typedef {{ ok: true, status: number, body: unknown }
 *   | { ok: false, status: number, code: string | null, message: string, body: unknown }} JsonAnswer
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

/** @param {CheckoutPageState} initial */
function wireCheckout(initial) {
  const parts = pageParts();
  if (!parts) return;
  const { form, buy, overlay, status, alertBox, alertTitle, alertBody, confirmation, confirmationTitle, confirmationBody } = parts;
  const shipToggle = /** @type {HTMLInputElement | null} */ (byId('ship-elsewhere'));
  const shippingFields = byId('shipping-fields');

  const base = `/checkout/${encodeURIComponent(initial.sessionId)}`;
  /** What the buyer sees: the session as of `state.version`. */
  let state = initial;
  let customer = initial.customer;
  let suspended = false;
  let busy = false;
  /** The re-read after resume() is running: buying waits for it. */
  let refreshing = false;
  let refreshGeneration = 0;
  let expired = false;
  let done = initial.status !== 'open';
  /** @type {((result: { shouldProceed: boolean, message: ValidationMessage | null }) => void) | null} */
  let validationWaiter = null;
  /** @type {Array<() => void>} */
  let idleWaiters = [];
  /** @type {Set<string>} */
  const dirty = new Set();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let saveTimer;
  /** @type {Promise<boolean>} */
  let saving = Promise.resolve(true);
  /** @type {EventSource | null} */
  let live = null;

  const setStatus = (/** @type {string} */ text) => {
    status.textContent = text;
  };
  const updateBuy = () => {
    const paused = suspended || refreshing;
    overlay.hidden = !paused;
    form.inert = paused;
    buy.disabled = paused || busy || expired || done;
    form.setAttribute('aria-busy', String(busy || refreshing));
    if (!paused && !busy) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  };
  /** Resolves once the buyer could press buy: not suspended, not re-reading, not buying. */
  const whenIdle = () =>
    new Promise((/** @type {(value?: void) => void} */ resolve) => {
      idleWaiters.push(resolve);
      updateBuy();
    });
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
    done = true;
    closeLive();
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
    updateBuy();
  };
  /** @param {string} message */
  const showExpired = (message) => {
    expired = true;
    closeLive();
    setStatus('');
    showAlert({ title: 'This checkout has expired', body: message });
    updateBuy();
  };

  bridge?.listen((message) => {
    switch (message.type) {
      case 'suspend':
        suspended = true;
        setStatus('The checkout is updating…');
        break;
      case 'resume':
        suspended = false;
        // The merchant may have updated the session while we were suspended: show it as it is now.
        void refresh();
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

  /** Re-reads the session and shows it; buying stays disabled until it is done. */
  async function refresh() {
    if (done || expired) {
      setStatus('');
      return;
    }
    const generation = ++refreshGeneration;
    refreshing = true;
    updateBuy();
    const answer = await requestJson('GET', `${base}/state`);
    // A later resume started its own re-read: that one decides what is shown.
    if (generation !== refreshGeneration) return;
    refreshing = false;
    if (answer.ok) {
      applyState(/** @type {CheckoutPageState} */ (answer.body));
      if (!suspended) setStatus('');
    } else if (answer.status === 410) {
      showExpired(answer.message);
    } else {
      setStatus('');
      showAlert({ title: 'The checkout could not be updated', body: answer.message });
    }
    updateBuy();
  }

  /**
   * Shows a newer state of the session: order lines, totals, and the customer details the
   * merchant changed (fields the buyer is editing are left alone).
   * @param {CheckoutPageState} next
   */
  function applyState(next) {
    state = next;
    renderSummary(next);
    refreshFields(customer, next.customer);
    customer = next.customer;
    if (next.status !== 'open' && !done) showConfirmation(next.status);
  }

  /** @param {string} name */
  const field = (name) => /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));

  shipToggle?.addEventListener('change', () => {
    if (shippingFields) shippingFields.hidden = !shipToggle.checked;
    dirty.add('shipping');
    scheduleSave();
  });
  form.addEventListener('change', (event) => {
    const target = event.target;
    // The payment method is not a customer detail: it goes with the purchase.
    if (!(target instanceof HTMLInputElement) || target === shipToggle || target.name === 'paymentMethod') return;
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
        ? readAddress('shipping', customer.shippingAddress ?? emptyAddress(state.country))
        : null;
    }
    dirty.clear();
    saving = saving.then(() => postCustomer(patch));
    return saving;
  }

  /** @param {Partial<CheckoutCustomer>} patch */
  async function postCustomer(patch) {
    const answer = await requestJson('POST', `${base}/customer`, patch);
    if (!answer.ok) {
      if (answer.status === 410) showExpired(answer.message);
      else showAlert({ title: 'Your details could not be saved', body: answer.message });
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

  /** @returns {SandboxPaymentMethod} */
  function paymentMethod() {
    const chosen = form.querySelector('input[name="paymentMethod"]:checked');
    return chosen instanceof HTMLInputElement && chosen.value === 'advanceInvoice' ? 'advanceInvoice' : 'invoice';
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (suspended || refreshing || busy || expired || done) return;
    if (!form.reportValidity()) return;
    void buyNow(null);
  });

  /**
   * The buy flow, the same for the buyer's click and a control API command: save the
   * details, ask the merchant's page (client validation) when the session requires it, buy.
   * A command's outcome is settled by the purchase route; what never reaches it (a denial,
   * details that could not be saved) the page reports itself.
   * @param {string | null} commandId
   */
  async function buyNow(commandId) {
    busy = true;
    updateBuy();
    hideAlert();
    /** @param {CommandReport} report */
    const tell = (report) => {
      if (commandId) void reportCommand(commandId, report);
    };
    try {
      setStatus('Saving your details…');
      if (!(await save())) {
        tell({ state: 'error', message: alertBody.textContent || 'The details could not be saved.' });
        return;
      }
      if (state.requireClientValidation && bridge) {
        setStatus('Waiting for the store to confirm the order…');
        const result = await new Promise((resolve) => {
          validationWaiter = resolve;
          bridge.post({ type: 'waiting-for-validation' });
        });
        if (!result.shouldProceed) {
          setStatus('');
          const message = result.message ?? { title: null, body: null };
          showAlert(message);
          tell({ state: 'denied', title: message.title, body: message.body });
          return;
        }
      }
      setStatus('Placing the order…');
      const answer = await requestJson('POST', `${base}/purchase`, {
        version: state.version,
        paymentMethod: paymentMethod(),
        ...(commandId ? { commandId } : {}),
      });
      if (answer.ok) {
        handleOutcome(/** @type {PurchaseOutcome} */ (answer.body));
        tell({ state: 'shown' });
        return;
      }
      setStatus('');
      if (answer.code === 'session_changed') {
        // Nothing was bought: show the order as it is now and let the buyer decide again.
        const fresh = /** @type {{ state?: CheckoutPageState }} */ (answer.body).state;
        if (fresh) applyState(fresh);
        showAlert({ title: 'The order was updated', body: answer.message });
      } else if (answer.status === 410) {
        showExpired(answer.message);
      } else {
        showAlert({ title: 'The order could not be placed', body: answer.message });
      }
      // The route could not be reached, or refused the body before buying: say it ourselves.
      if (answer.status === 0 || answer.status === 400) tell({ state: 'error', message: answer.message });
      else tell({ state: 'shown' });
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
      case 'session-changed':
        // Answered as a 409, never as a 200.
        break;
    }
  }

  /** @param {string} commandId @param {CommandReport} report */
  function reportCommand(commandId, report) {
    return requestJson('POST', `${base}/commands/${encodeURIComponent(commandId)}`, report);
  }

  /**
   * A control API command: take it (the sandbox buys server-side if we do not), wait until
   * the buyer could press buy, fill test defaults into empty required fields, and buy.
   * @param {BuyCommand} command
   */
  async function runCommand(command) {
    if (done || expired) {
      void reportCommand(command.commandId, { state: 'unavailable' });
      return;
    }
    const taken = await reportCommand(command.commandId, { state: 'started' });
    if (!taken.ok) return;
    await whenIdle();
    if (done || expired) {
      void reportCommand(command.commandId, { state: 'unavailable' });
      return;
    }
    fillTestDefaults(command);
    if (!form.reportValidity()) {
      const invalid = form.querySelector(':invalid');
      const label = invalid instanceof HTMLInputElement ? (invalid.labels?.[0]?.textContent ?? invalid.name).replace(/\s*\*$/, '') : 'a field';
      const message = invalid instanceof HTMLInputElement ? invalid.validationMessage : '';
      void reportCommand(command.commandId, { state: 'error', message: `the checkout form is not valid: ${label}: ${message}` });
      return;
    }
    await buyNow(command.commandId);
  }

  /**
   * `pending` buys as the signatory-required test company; `complete` as one that can sign
   * (the buyer's own organisation number stays unless it is the signatory-required one).
   * @param {BuyCommand} command
   */
  function fillTestDefaults(command) {
    const defaults = state.testDefaults;
    const companyId = field('companyId');
    const email = field('email');
    if (companyId) {
      const digits = (/** @type {string} */ value) => value.replace(/\D/g, '');
      const needsSignatory = companyId.value.trim() !== '' && digits(companyId.value) === digits(defaults.awaitsSignatoryCompanyId);
      if (command.outcome === 'pending') setField(companyId, defaults.awaitsSignatoryCompanyId);
      else if (companyId.value.trim() === '' || needsSignatory) setField(companyId, defaults.canSignCompanyId);
    }
    if (email && email.value.trim() === '') setField(email, defaults.email);
    if (command.paymentMethod) {
      const radio = form.querySelector(`input[name="paymentMethod"][value="${command.paymentMethod}"]`);
      if (radio instanceof HTMLInputElement) radio.checked = true;
    }
  }

  /** As if the buyer typed it: the change is saved like theirs. @param {HTMLInputElement} input @param {string} value */
  function setField(input, value) {
    if (input.value === value) return;
    input.value = value;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function openLive() {
    if (done || typeof EventSource !== 'function') return;
    const source = new EventSource(`${base}/events`);
    live = source;
    const root = document.documentElement;
    root.dataset.live = 'connecting';
    source.addEventListener('open', () => {
      root.dataset.live = 'connected';
    });
    source.addEventListener('error', () => {
      // EventSource reconnects by itself unless the server refused (e.g. 404, 410, 429).
      root.dataset.live = source.readyState === EventSource.CLOSED ? 'closed' : 'connecting';
    });
    source.addEventListener('buy', (event) => {
      const command = readBuyCommand(event.data);
      if (command) void runCommand(command);
    });
    source.addEventListener('expired', (event) => {
      const message = readJsonObject(event.data)?.['message'];
      showExpired(typeof message === 'string' ? message : 'Please return to the store and start again.');
    });
  }

  function closeLive() {
    live?.close();
    live = null;
    document.documentElement.dataset.live = 'closed';
  }

  updateBuy();
  openLive();
}

/** The elements every session page has; null on a page without a session. */
function pageParts() {
  const form = byId('checkout-form');
  const buy = byId('buy');
  const overlay = byId('overlay');
  const status = byId('status');
  const alertBox = byId('alert');
  const alertTitle = byId('alert-title');
  const alertBody = byId('alert-body');
  const confirmation = byId('confirmation');
  const confirmationTitle = byId('confirmation-title');
  const confirmationBody = byId('confirmation-body');
  if (!(form instanceof HTMLFormElement) || !(buy instanceof HTMLButtonElement)) return null;
  if (!overlay || !status || !alertBox || !alertTitle || !alertBody || !confirmation || !confirmationTitle || !confirmationBody) return null;
  return { form, buy, overlay, status, alertBox, alertTitle, alertBody, confirmation, confirmationTitle, confirmationBody };
}

/** The order summary (lines and totals) of a newer state, as the route renders it. @param {CheckoutPageState} state */
function renderSummary(state) {
  const body = byId('order-lines');
  if (body) {
    body.replaceChildren(
      ...state.orderLines.map((line) => {
        const row = document.createElement('tr');
        const cells = [
          [line.description || line.reference, ''],
          [String(line.quantity), 'amount'],
          [line.totalAmount, 'amount'],
        ];
        for (const [text, className] of cells) {
          const cell = document.createElement('td');
          cell.textContent = text ?? '';
          if (className) cell.className = className;
          row.append(cell);
        }
        return row;
      }),
    );
  }
  const totals = /** @type {const} */ ([
    ['total-excl-vat', 'totalOrderAmountExclVat'],
    ['total-vat', 'totalOrderVatAmount'],
    ['total', 'totalOrderAmount'],
  ]);
  for (const [id, key] of totals) {
    const cell = byId(id);
    if (cell) cell.textContent = state[key];
  }
}

/**
 * @param {unknown} text
 * @returns {Record<string, unknown> | null}
 */
function readJsonObject(text) {
  try {
    const value = typeof text === 'string' ? JSON.parse(text) : null;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * An event from our own origin, but still checked: a malformed command is ignored.
 * @param {unknown} text
 * @returns {BuyCommand | null}
 */
function readBuyCommand(text) {
  const data = readJsonObject(text);
  if (!data) return null;
  const { commandId, outcome, paymentMethod } = data;
  if (typeof commandId !== 'string' || commandId === '') return null;
  if (outcome !== 'complete' && outcome !== 'pending') return null;
  if (paymentMethod !== null && paymentMethod !== 'invoice' && paymentMethod !== 'advanceInvoice') return null;
  return { commandId, outcome, paymentMethod };
}

/** @param {string} country @returns {CheckoutAddress} */
function emptyAddress(country) {
  return { companyName: '', streetAddress: '', postalCode: '', city: '', country, careOf: '', attentionName: '' };
}

/**
 * @param {'GET' | 'POST'} method
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<JsonAnswer>}
 */
async function requestJson(method, url, body) {
  try {
    const response = await fetch(url, {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const parsed = await response.json().catch(() => null);
    if (response.ok) return { ok: true, status: response.status, body: parsed };
    const first = parsed && Array.isArray(parsed.errors) ? parsed.errors[0] : null;
    const message = first && typeof first.message === 'string' ? first.message : `The checkout answered ${response.status}.`;
    const code = first && typeof first.code === 'string' ? first.code : null;
    return { ok: false, status: response.status, code, message, body: parsed };
  } catch {
    return { ok: false, status: 0, code: null, message: 'The checkout could not be reached. Check your connection and try again.', body: null };
  }
}
