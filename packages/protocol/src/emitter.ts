/** Every host this runs in (browsers, Node) has timers; protocol's lib (ES2022 only) does not declare them. */
declare function setTimeout(callback: () => void, ms?: number): unknown;

/** A typed event emitter: one callback map, `on()` returns its own unsubscribe function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listener maps are contravariant by nature
export type EventMap<E> = { [K in keyof E]: (...args: any[]) => void };

export class Emitter<E extends EventMap<E>> {
  readonly #listeners = new Map<keyof E, Set<E[keyof E]>>();
  readonly #any = new Set<(name: keyof E, ...args: unknown[]) => void>();

  /** Calls `listener` on every `name` event; returns a function that unsubscribes it. */
  on<K extends keyof E>(name: K, listener: E[K]): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => this.off(name, listener);
  }

  /** Calls `listener` on the next `name` event only. */
  once<K extends keyof E>(name: K, listener: E[K]): () => void {
    const off = this.on(name, ((...args: Parameters<E[K]>) => {
      off();
      listener(...args);
    }) as E[K]);
    return off;
  }

  /** Removes a listener added with {@link on}. */
  off<K extends keyof E>(name: K, listener: E[K]): void {
    this.#listeners.get(name)?.delete(listener);
  }

  /** Calls `listener` for every event, with its name first. */
  onAny(listener: (name: keyof E, ...args: unknown[]) => void): () => void {
    this.#any.add(listener);
    return () => this.#any.delete(listener);
  }

  /** Emits an event. A listener that throws does not stop the others, nor the SDK. */
  emit<K extends keyof E>(name: K, ...args: Parameters<E[K]>): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) safely(() => listener(...args));
    for (const listener of [...this.#any]) safely(() => listener(name, ...args));
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    // A bug in the host's listener must not break the panel connection.
    setTimeout(() => {
      throw err;
    });
  }
}
