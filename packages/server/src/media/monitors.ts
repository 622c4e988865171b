/**
 * Which supervisors are on which call, as the interaction events tell it
 * (`monitor` with a mode, or null when they leave); a call that is over has
 * none. The plan reads it per line.
 */
import type { MonitorMode } from '@parley/protocol';
import { isTerminalState } from '@parley/protocol';
import type { CallLine } from './plan.ts';

export class MonitorBook {
  /** `tenant:interaction` → supervisor (`tenant:user`, like stations) → mode. */
  readonly #lines = new Map<string, Map<string, MonitorMode>>();

  /** Takes one interaction event in. */
  apply(e: {
    readonly tenantId: string;
    readonly event: string;
    readonly detail?: unknown;
    readonly interaction: { readonly id: string; readonly state: string };
  }): void {
    const key = `${e.tenantId}:${e.interaction.id}`;
    if (isTerminalState(e.interaction.state) || e.interaction.state === 'ended') {
      this.#lines.delete(key);
      return;
    }
    if (e.event !== 'monitor') return;
    const d = e.detail as { supervisor_id?: unknown; mode?: unknown } | undefined;
    if (typeof d?.supervisor_id !== 'string') return;
    const supervisor = `${e.tenantId}:${d.supervisor_id}`;
    let on = this.#lines.get(key);
    if (typeof d.mode === 'string') {
      if (!on) this.#lines.set(key, (on = new Map()));
      on.set(supervisor, d.mode as MonitorMode);
    } else {
      on?.delete(supervisor);
      if (on?.size === 0) this.#lines.delete(key);
    }
  }

  /** The supervisors on a line, for the plan. */
  of(tenantId: string, id: string): NonNullable<CallLine['monitors']> {
    const on = this.#lines.get(`${tenantId}:${id}`);
    return on ? [...on].map(([supervisor, mode]) => ({ supervisor, mode })) : [];
  }
}
