/**
 * Closes live sockets whose session ended by a path this process did not
 * see (the CLI, another node, an expiry). Every gateway (agents, the
 * console) registers its sockets here; one set of timers checks them all.
 */
import type { Logger } from '../log/index.ts';

/** What a gateway hands in for one socket. */
export interface WatchedSocket {
  readonly tenantId: string;
  readonly userId: string;
  readonly sessionHash: string;
  /** When the session's absolute lifetime ends, ms since the epoch. */
  readonly sessionExpiresAt: number;
  /** Closes the socket with `sessionEnded` and the reason, and forgets it. */
  end(reason: string): void;
}

/** Where ended sessions are read from (auth's session store). */
export interface SessionSource {
  /** The sessions that ended since `cursor` (the log's position), by whatever process. */
  endedSince(cursor: number | null): Promise<{ seq: number; tokenHashes: string[] }>;
  /** Checks these sessions in full (idle lifetime, rows gone missing): the ended ones with a reason. */
  sweep(tokenHashes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** A user's socket closed because their session ended. */
  ended(tenantId: string, userId: string): Promise<void>;
  /** How often the log is read (500 ms by default, so a socket closes within a second). */
  checkMs?: number;
  /** How often every socket's session is checked in full (15 s by default). */
  sweepMs?: number;
}

export class SessionWatch {
  readonly #watched = new Set<WatchedSocket>();
  readonly #timers: NodeJS.Timeout[] = [];
  #cursor: number | null = null;
  #checking = false;
  #closed = false;

  constructor(
    private readonly source: SessionSource,
    private readonly log: Logger,
  ) {
    const { checkMs = 500, sweepMs = 15_000 } = source;
    this.#timers.push(
      setInterval(() => void this.check(false), checkMs),
      setInterval(() => void this.check(true), sweepMs),
    );
    for (const t of this.#timers) t.unref();
    void this.check(false);
  }

  /** Watches a socket until the returned function is called. */
  add(socket: WatchedSocket): () => void {
    this.#watched.add(socket);
    return () => this.#watched.delete(socket);
  }

  /** Reads the log of ended sessions (and with `full`, every watched session) and ends what ended. */
  async check(full: boolean): Promise<void> {
    if (this.#checking || this.#closed) return;
    this.#checking = true;
    try {
      const ended = new Map<string, string>();
      const log = await this.source.endedSince(this.#cursor);
      this.#cursor = log.seq;
      for (const hash of log.tokenHashes) ended.set(hash, 'session ended');
      const now = Date.now();
      for (const w of this.#watched)
        if (w.sessionExpiresAt <= now && !ended.has(w.sessionHash)) ended.set(w.sessionHash, 'session expired');
      if (full && this.#watched.size > 0) {
        const hashes = [...new Set([...this.#watched].map((w) => w.sessionHash))];
        for (const [hash, reason] of await this.source.sweep(hashes)) if (!ended.has(hash)) ended.set(hash, reason);
      }
      if (ended.size === 0 || this.#closed) return;
      const users = new Map<string, { tenantId: string; userId: string }>();
      for (const w of [...this.#watched]) {
        const reason = ended.get(w.sessionHash);
        if (reason === undefined) continue;
        this.log.info({ userId: w.userId, reason }, 'closing a socket whose session ended');
        this.#watched.delete(w);
        w.end(reason);
        users.set(`${w.tenantId}:${w.userId}`, { tenantId: w.tenantId, userId: w.userId });
      }
      for (const { tenantId, userId } of users.values()) await this.source.ended(tenantId, userId);
    } catch (err) {
      this.log.warn({ err }, 'cannot check the sessions of open sockets');
    } finally {
      this.#checking = false;
    }
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    this.#watched.clear();
  }
}
