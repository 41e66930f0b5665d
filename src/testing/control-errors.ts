/**
 * The one error a control call rejects with: what was asked, what the sandbox answered, and
 * its own message, so a failed test reads like the sandbox's answer. The control API takes no
 * credentials, so none can end up in a message.
 */
import type { SandboxDriver } from './control-types.js';

export type SandboxControlErrorCode =
  /** The sandbox answered with an error (`status` and the sandbox's `code` say which). */
  | 'sandbox-refused'
  /** Nothing answered at the sandbox's URL, or not in time. */
  | 'sandbox-unreachable'
  /** Something answered, but not as the sandbox does. */
  | 'unexpected-answer'
  /** `close()` was called on this handle. */
  | 'closed'
  /** `waitForNotification` saw no matching delivery in time. */
  | 'timeout';

export class SandboxControlError extends Error {
  override readonly name = 'SandboxControlError';
  /** What was asked, e.g. `sandbox.complete("cs_…")`. */
  readonly call: string;
  readonly code: SandboxControlErrorCode;
  /** The sandbox's HTTP status, when it answered. */
  readonly status: number | null;
  /** The sandbox's own error code, e.g. `not_found`, `purchase_failed`, `page_timeout`. */
  readonly sandboxCode: string | null;
  /** The sandbox's own message(s), joined. */
  readonly sandboxMessage: string | null;
  /** For `complete` / `pending`: who was buying when it failed. */
  readonly drivenBy: SandboxDriver | null;

  constructor(
    call: string,
    code: SandboxControlErrorCode,
    message: string,
    details: { status?: number | null; sandboxCode?: string | null; sandboxMessage?: string | null; drivenBy?: SandboxDriver | null; cause?: unknown } = {},
  ) {
    super(`${call}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.call = call;
    this.code = code;
    this.status = details.status ?? null;
    this.sandboxCode = details.sandboxCode ?? null;
    this.sandboxMessage = details.sandboxMessage ?? null;
    this.drivenBy = details.drivenBy ?? null;
  }
}
