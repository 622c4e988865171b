/**
 * Every open interaction of a desk as stored (the desk writes them all),
 * and their ids by agent: the cache the desk reads instead of the store.
 */
import { isTerminalState } from '@parley/protocol';
import type { InteractionRecord } from './records.ts';
import {} from './rules.ts';

export class OpenInteractions {
  readonly #open = new Map<string, InteractionRecord>();
  readonly #byAgent = new Map<string, Set<string>>();

  get(id: string): InteractionRecord | undefined {
    return this.#open.get(id);
  }

  /** Keeps the cache in step with what was just written. */
  remember(r: InteractionRecord): void {
    const before = this.#open.get(r.id);
    if (before?.agentId) this.#byAgent.get(before.agentId)?.delete(r.id);
    if (isTerminalState(r.state)) {
      this.#open.delete(r.id);
      return;
    }
    this.#open.set(r.id, r);
    if (r.agentId) {
      let ids = this.#byAgent.get(r.agentId);
      if (!ids) this.#byAgent.set(r.agentId, (ids = new Set()));
      ids.add(r.id);
    }
  }

  /** The agent's open interactions. */
  ofAgent(agentId: string): InteractionRecord[] {
    return [...(this.#byAgent.get(agentId) ?? [])].flatMap((id) => {
      const r = this.#open.get(id);
      return r && r.agentId === agentId ? [r] : [];
    });
  }

  clear(): void {
    this.#open.clear();
    this.#byAgent.clear();
  }
}
