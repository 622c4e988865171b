/**
 * Which of an agent's connections carries their calls. The media plane's
 * rule, mirrored so the connections can be told: the newest station serves;
 * the one it replaced waits on standby and serves again when the newer one
 * goes away. Pure bookkeeping, keyed by `tenant:user`.
 */
export class StationOrder<C> {
  readonly #byUser = new Map<string, C[]>();

  /** `conn` attached a station; returns the connection it took the calls from, if another. */
  attached(key: string, conn: C): C | null {
    const list = this.#byUser.get(key) ?? [];
    const before = list.at(-1) ?? null;
    const at = list.indexOf(conn);
    if (at >= 0) list.splice(at, 1);
    list.push(conn);
    this.#byUser.set(key, list);
    return before !== null && before !== conn ? before : null;
  }

  /** `conn` went away; returns the connection that carries the calls now, when that changed. */
  detached(key: string, conn: C): C | null {
    const list = this.#byUser.get(key);
    if (!list) return null;
    const active = list.at(-1) === conn;
    const at = list.indexOf(conn);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.#byUser.delete(key);
    return active ? (list.at(-1) ?? null) : null;
  }
}
