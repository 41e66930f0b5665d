// @ts-check
/**
 * The postMessage protocol between bootstrap.js (on the merchant's page) and the hosted
 * checkout page (in the iframe). This file is the only definition of it: the page imports
 * it as a module, and `GET /bootstrap.js` inlines it into the classic bootstrap script
 * (browser-routes.ts strips the `export` keywords), so the two sides cannot drift apart.
 *
 * Every message is `{ v: 1, nonce, type, ...payload }`. A receiver first checks the
 * sender's origin and window itself, then hands `event.data` to `readPageMessage` or
 * `readParentMessage`, which answer `null` for anything that is not exactly a known
 * message of this version and this mount's nonce. Payloads are checked field by field
 * because a message is untrusted input until proven otherwise.
 */

export const PROTOCOL_VERSION = 1;

/** @typedef {'customer' | 'billing' | 'shipping'} ChangedPart */
/** @typedef {{ title: string | null, body: string }} ValidationMessage */

/**
 * Page → parent.
 * @typedef {{ type: 'ready' }
 *   | { type: 'resize', height: number }
 *   | { type: 'customer-updated', changed: ChangedPart[] }
 *   | { type: 'waiting-for-validation' }
 *   | { type: 'complete' }
 *   | { type: 'pending' }
 *   | { type: 'redirect', location: string }} PageMessageBody
 */

/**
 * Parent → page.
 * @typedef {{ type: 'suspend' }
 *   | { type: 'resume' }
 *   | { type: 'validation-result', shouldProceed: boolean, message: ValidationMessage | null }} ParentMessageBody
 */

/** @typedef {PageMessageBody & { v: 1, nonce: string }} PageMessage */
/** @typedef {ParentMessageBody & { v: 1, nonce: string }} ParentMessage */

/** Heights above this are treated as garbage rather than followed. */
export const MAX_FRAME_HEIGHT = 100000;

/** @type {readonly ChangedPart[]} */
export const CHANGED_PARTS = ['customer', 'billing', 'shipping'];

/**
 * @template {{ type: string }} T
 * @param {string} nonce
 * @param {T} body
 * @returns {T & { v: 1, nonce: string }}
 */
export function envelope(nonce, body) {
  return { ...body, v: PROTOCOL_VERSION, nonce };
}

/**
 * @param {unknown} data
 * @param {string} nonce
 * @returns {Record<string, unknown> | null}
 */
function header(data, nonce) {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = /** @type {Record<string, unknown>} */ (data);
  if (record.v !== PROTOCOL_VERSION) return null;
  if (typeof nonce !== 'string' || nonce === '' || record.nonce !== nonce) return null;
  if (typeof record.type !== 'string') return null;
  return record;
}

/**
 * @param {unknown} data `event.data` of a message that came from the checkout iframe
 * @param {string} nonce this mount's nonce
 * @returns {PageMessage | null}
 */
export function readPageMessage(data, nonce) {
  const record = header(data, nonce);
  if (!record) return null;
  /** @type {PageMessageBody | null} */
  let body = null;
  switch (record.type) {
    case 'ready':
    case 'waiting-for-validation':
    case 'complete':
    case 'pending':
      body = { type: record.type };
      break;
    case 'resize': {
      const height = record.height;
      if (typeof height === 'number' && Number.isFinite(height) && height >= 0 && height <= MAX_FRAME_HEIGHT) {
        body = { type: 'resize', height: Math.ceil(height) };
      }
      break;
    }
    case 'customer-updated': {
      const changed = record.changed;
      if (Array.isArray(changed) && changed.length <= CHANGED_PARTS.length && changed.every((part) => CHANGED_PARTS.includes(part))) {
        body = { type: 'customer-updated', changed: /** @type {ChangedPart[]} */ ([...new Set(changed)]) };
      }
      break;
    }
    case 'redirect': {
      const location = record.location;
      if (typeof location === 'string' && isHttpUrl(location)) body = { type: 'redirect', location };
      break;
    }
    default:
      break;
  }
  return body ? { ...body, v: PROTOCOL_VERSION, nonce } : null;
}

/**
 * @param {unknown} data `event.data` of a message that came from the merchant's page
 * @param {string} nonce this mount's nonce
 * @returns {ParentMessage | null}
 */
export function readParentMessage(data, nonce) {
  const record = header(data, nonce);
  if (!record) return null;
  /** @type {ParentMessageBody | null} */
  let body = null;
  switch (record.type) {
    case 'suspend':
    case 'resume':
      body = { type: record.type };
      break;
    case 'validation-result': {
      const message = readValidationMessage(record.message);
      if (typeof record.shouldProceed === 'boolean' && message !== undefined) {
        body = { type: 'validation-result', shouldProceed: record.shouldProceed, message };
      }
      break;
    }
    default:
      break;
  }
  return body ? { ...body, v: PROTOCOL_VERSION, nonce } : null;
}

/**
 * The `message` of `clientValidation(...)`: absent/null, or `{ title: string | null, body: string }`.
 * Answers `undefined` when the value is neither (so the caller can reject it).
 * @param {unknown} value
 * @returns {ValidationMessage | null | undefined}
 */
export function readValidationMessage(value) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = /** @type {Record<string, unknown>} */ (value);
  const title = record.title === undefined || record.title === null ? null : record.title;
  if (title !== null && typeof title !== 'string') return undefined;
  if (typeof record.body !== 'string') return undefined;
  return { title, body: record.body };
}

/**
 * Only http(s) locations may be followed: a `javascript:` URL in a redirect would run in
 * the merchant's page.
 * @param {string} value
 */
export function isHttpUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
