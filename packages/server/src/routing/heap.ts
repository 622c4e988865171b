/**
 * A binary min-heap ordered by `before`. Used for timers with lazy deletion:
 * callers push freely and skip entries that no longer mean anything when
 * they come up.
 */
export class MinHeap<T> {
  readonly #items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = items[parent] as T;
      if (!this.before(item, up)) break;
      items[i] = up;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const child = r < items.length && this.before(items[r] as T, items[l] as T) ? r : l;
      const down = items[child] as T;
      if (!this.before(down, last)) break;
      items[i] = down;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
