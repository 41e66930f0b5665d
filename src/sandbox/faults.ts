/**
 * Injected faults for client retry tests: the next `count` calls of a path
 * - `status`: answer with that status and an `{ errors }` body, doing nothing;
 * - `delay`: wait `ms` before the request is read, then run normally;
 * - `drop`: have their connection destroyed before anything is done;
 * - `lose-answer`: run in full (the effect stays), then have their connection destroyed
 *   before any byte of the answer: the fault `Idempotency-Key` exists for.
 * Sandbox-only; `/sandbox/...` routes are never faulted so a test can always clean up.
 */
import { z } from 'zod';

export const faultSpecSchema = z
  .strictObject({
    /** Exact pathname, or a prefix ending in `*` (e.g. `/v1/orders/*`). */
    path: z.string().startsWith('/', 'path must start with /'),
    method: z
      .string()
      .transform((method) => method.toUpperCase())
      .optional(),
    count: z.int('count must be a whole number').min(1, 'count must be at least 1').max(10_000).default(1),
    kind: z.enum(['status', 'delay', 'drop', 'lose-answer'], 'kind must be "status", "delay", "drop" or "lose-answer"'),
    status: z.int().min(400, 'status must be 400..599').max(599, 'status must be 400..599').optional(),
    ms: z.int().min(0).max(120_000, 'ms must be at most 120000').optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.kind === 'status' && spec.status === undefined) ctx.addIssue({ code: 'custom', path: ['status'], message: 'status is required for kind "status"' });
    if (spec.kind === 'delay' && spec.ms === undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'ms is required for kind "delay"' });
  });
export type FaultSpec = z.output<typeof faultSpecSchema>;
export type FaultSpecInput = z.input<typeof faultSpecSchema>;

export interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: this.nextId++, remaining: spec.count };
    this.faults.push(fault);
    return fault;
  }

  /** The first matching fault, used up by one call; null when the call runs normally. */
  take(method: string, pathname: string): ActiveFault | null {
    const fault = this.faults.find((candidate) => matches(candidate, method, pathname));
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }

  list(): ActiveFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}

function matches(fault: ActiveFault, method: string, pathname: string): boolean {
  if (fault.method && fault.method !== method) return false;
  return fault.path.endsWith('*') ? pathname.startsWith(fault.path.slice(0, -1)) : pathname === fault.path;
}
