/**
 * The Node-style EventEmitter the Webex SDK's objects extend (`on`, `once`,
 * `off`, `removeListener`, `removeAllListeners`, `emit`, `listenerCount`):
 * integration code written for Webex calls these by name. A listener that
 * throws never stops the others, nor reaches the dialect.
 */
type Listener = (...args: never[]) => void;

export class EventEmitter {
  readonly #listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>();

  on(name: string, fn: Listener): this {
    return this.#add(name, fn, false);
  }
  addListener(name: string, fn: Listener): this {
    return this.#add(name, fn, false);
  }
  once(name: string, fn: Listener): this {
    return this.#add(name, fn, true);
  }
  off(name: string, fn: Listener): this {
    const list = this.#listeners.get(name);
    const at = list?.findIndex((l) => l.fn === fn) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    return this;
  }
  removeListener(name: string, fn: Listener): this {
    return this.off(name, fn);
  }
  removeAllListeners(name?: string): this {
    if (name === undefined) this.#listeners.clear();
    else this.#listeners.delete(name);
    return this;
  }
  listenerCount(name: string): number {
    return this.#listeners.get(name)?.length ?? 0;
  }

  emit(name: string, ...args: unknown[]): boolean {
    const list = this.#listeners.get(name);
    if (!list || list.length === 0) return false;
    for (const l of [...list]) {
      if (l.once) this.off(name, l.fn);
      try {
        (l.fn as (...a: unknown[]) => void)(...args);
      } catch (err) {
        console.error(`[parley webex] a "${name}" listener threw:`, err);
      }
    }
    return true;
  }

  #add(name: string, fn: Listener, once: boolean): this {
    if (typeof fn !== 'function') return this;
    let list = this.#listeners.get(name);
    if (!list) this.#listeners.set(name, (list = []));
    list.push({ fn, once });
    return this;
  }
}
