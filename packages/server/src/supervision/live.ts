/**
 * The live side of supervision: one day board per tenant someone looked at,
 * rebuilt from the stored events (at first sight, at the tenant's midnight,
 * when a queue's threshold changes) and kept current from the bus; watchers
 * hear when the wallboard changed (at most every `delayMs`) and which agents
 * changed.
 */
import type { AgentRow, Interaction, QueueBoard, WaitingRow } from '@parley/protocol';
import type { Bus, BusEvents } from '../bus/index.ts';
import type { Logger } from '../log/index.ts';
import type { Db } from '../store/index.ts';
import { milestonesOf, type ContactView } from './milestones.ts';
import type { Scope } from './scope.ts';
import { agentRows, waitingRows, wallboardTiles } from './views.ts';
import { StaffBook } from './staff.ts';
import { DayBoard, dayStartIn } from './wallboard.ts';

export interface SupervisionOptions {
  readonly db: Db;
  readonly bus: Bus;
  readonly log: Logger;
  /** Users of a tenant with a panel connected now. */
  readonly online: (tenantId: string) => ReadonlySet<string>;
  /** A tenant's IANA time zone (its day starts at midnight there), or null for UTC. */
  readonly timeZone: (tenantId: string) => Promise<string | null>;
  readonly now?: () => number;
  /** How long wallboard news waits to gather changes, ms (500). */
  readonly delayMs?: number;
}

/** What a watcher (a console socket) hears. */
export interface Watcher {
  /** The wallboard changed: read it again. */
  wallboard(): void;
  /** These agents' rows changed. */
  agents(ids: ReadonlySet<string>): void;
}

/** A wallboard read is reused at most this long without a change (a day turning over needs no event). */
const TILES_MAX_AGE_MS = 5_000;

const COUNTED = ['created', 'overflowed', 'moved', 'accepted', 'picked', 'missed', 'handled'];

interface TenantBoard {
  board: DayBoard;
  /** Live events that came while the board was being read from the store. */
  pending: Array<BusEvents['interaction.changed']> | null;
  ready: Promise<void>;
}

export class Supervision {
  readonly #o: SupervisionOptions;
  readonly #boards = new Map<string, TenantBoard>();
  readonly #watchers = new Map<string, Set<Watcher>>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #dirtyAgents = new Map<string, Set<string>>();
  readonly #unsubscribe: Array<() => void>;
  /** Each tenant's serving members by status, once read. */
  readonly #staff = new Map<string, Promise<StaffBook>>();
  /** The last wallboard read per tenant and scope, until the tenant's next change. */
  readonly #tiles = new Map<string, { tenantId: string; at: number; tiles: Promise<QueueBoard[]> }>();

  constructor(o: SupervisionOptions) {
    this.#o = o;
    this.#unsubscribe = [
      o.bus.subscribe('interaction.changed', (e) => this.#onInteraction(e)),
      // The staff counts follow the agent first, so the push after it reads them current.
      o.bus.subscribe('user.changed', (e) => {
        const staff = this.#staff.get(e.tenantId);
        if (!staff) return this.#touch(e.tenantId, e.userId);
        void staff
          .then((book) => book.refresh(e.userId))
          .catch((err: unknown) => this.#o.log.warn({ err }, 'cannot follow an agent on the wallboard'))
          .finally(() => this.#touch(e.tenantId, e.userId));
      }),
      o.bus.subscribe('agent.connection', (e) => this.#touch(e.tenantId, e.userId)),
      o.bus.subscribe('queue.changed', (e) => {
        // A threshold may have changed: count the day again with it (and who serves, afresh).
        this.#boards.delete(e.tenantId);
        this.#staff.delete(e.tenantId);
        this.#touch(e.tenantId, null);
      }),
    ];
  }

  /** Starts telling a watcher about a tenant; returns the function that stops it. */
  watch(tenantId: string, watcher: Watcher): () => void {
    let set = this.#watchers.get(tenantId);
    if (!set) this.#watchers.set(tenantId, (set = new Set()));
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.#watchers.delete(tenantId);
    };
  }

  /**
   * The queues in scope, now and today. Read once per change for every
   * console with the same scope (ten supervisors watching cost one read),
   * and at least every few seconds.
   */
  async wallboard(tenantId: string, scope: Scope): Promise<QueueBoard[]> {
    const key = `${tenantId}|${scope.all ? '*' : [...scope.queues].sort().join(',')}`;
    const now = Date.now();
    const hit = this.#tiles.get(key);
    if (hit && now - hit.at < TILES_MAX_AGE_MS) return hit.tiles;
    const tiles = Promise.all([this.#board(tenantId), this.#staffOf(tenantId)]).then(([board, staff]) =>
      wallboardTiles(this.#o.db, tenantId, scope, board, (q) => staff.counts(q)),
    );
    this.#tiles.set(key, { tenantId, at: now, tiles });
    tiles.catch(() => this.#tiles.delete(key));
    return tiles;
  }

  /** The contacts waiting in the queues in scope. */
  waiting(tenantId: string, scope: Scope): Promise<WaitingRow[]> {
    return waitingRows(this.#o.db, tenantId, scope);
  }

  /** The agents in scope, or the one `only`. */
  async agents(tenantId: string, scope: Scope, only?: string): Promise<AgentRow[]> {
    return agentRows(this.#o.db, tenantId, scope, await this.#board(tenantId), this.#o.online(tenantId), only);
  }

  /** The first instant of the tenant's current day, ms. */
  async dayStart(tenantId: string): Promise<number> {
    return (await this.#board(tenantId)).dayStart;
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#watchers.clear();
    this.#boards.clear();
    this.#tiles.clear();
    this.#staff.clear();
  }

  #staffOf(tenantId: string): Promise<StaffBook> {
    let staff = this.#staff.get(tenantId);
    if (!staff) {
      staff = StaffBook.load(this.#o.db, tenantId);
      this.#staff.set(tenantId, staff);
      staff.catch(() => this.#staff.delete(tenantId));
    }
    return staff;
  }

  #now(): number {
    return this.#o.now?.() ?? Date.now();
  }

  /** The tenant's board for today, read from the store when there is none or the day turned. */
  async #board(tenantId: string): Promise<DayBoard> {
    const now = this.#now();
    let entry = this.#boards.get(tenantId);
    if (entry && now - entry.board.dayStart >= 24 * 3600_000) {
      // Past midnight (a day is never longer than 25 h; the next read settles the zone's exact start).
      this.#boards.delete(tenantId);
      entry = undefined;
    }
    if (!entry) {
      const fresh: TenantBoard = { board: new DayBoard(now, () => 0), pending: [], ready: Promise.resolve() };
      fresh.ready = this.#build(tenantId, fresh, now).catch((err: unknown) => {
        // Read again next time rather than keep a failure.
        if (this.#boards.get(tenantId) === fresh) this.#boards.delete(tenantId);
        throw err;
      });
      this.#boards.set(tenantId, fresh);
      entry = fresh;
    }
    await entry.ready;
    return entry.board;
  }

  async #build(tenantId: string, entry: TenantBoard, now: number): Promise<void> {
    const db = this.#o.db;
    const dayStart = dayStartIn(now, await this.#o.timeZone(tenantId));
    const thresholds = new Map(
      (await db.selectFrom('queues').select(['id', 'sl_threshold_s']).where('tenant_id', '=', tenantId).execute()).map(
        (q) => [q.id, q.sl_threshold_s * 1000],
      ),
    );
    const board = new DayBoard(dayStart, (q) => thresholds.get(q) ?? 20_000);
    // Each stored event carries the interaction as it was after it: the same view the live path reads.
    const rows = await db
      .selectFrom('interaction_events')
      .select(['seq', 'type', 'data', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where('created_at', '>=', new Date(dayStart).toISOString())
      .where('type', 'in', COUNTED)
      .orderBy('seq')
      .execute();
    let lastSeq = 0;
    for (const r of rows) {
      lastSeq = Math.max(lastSeq, Number(r.seq));
      const stored = parseStored(r.data);
      if (!stored) continue;
      for (const m of milestonesOf(
        { type: r.type, detail: stored.detail, at: Date.parse(r.created_at) },
        viewOf(stored.interaction),
      ))
        board.add(m);
    }
    // What arrived while reading: the events the query did not see yet.
    for (const e of entry.pending ?? []) if (e.seq > lastSeq) this.#apply(board, e);
    entry.pending = null;
    entry.board = board;
  }

  #onInteraction(e: BusEvents['interaction.changed']): void {
    const entry = this.#boards.get(e.tenantId);
    if (entry) {
      if (entry.pending) entry.pending.push(e);
      else this.#apply(entry.board, e);
    }
    this.#touch(e.tenantId, e.agentId ?? e.interaction.agent_id ?? null);
  }

  #apply(board: DayBoard, e: BusEvents['interaction.changed']): void {
    if (!COUNTED.includes(e.event)) return;
    const detail = (e.detail ?? null) as Readonly<Record<string, unknown>> | null;
    for (const m of milestonesOf({ type: e.event, detail, at: e.at }, viewOf(e.interaction))) board.add(m);
  }

  /** Something changed for a tenant (and one agent): its watchers hear of it soon. */
  #touch(tenantId: string, agentId: string | null): void {
    for (const [key, t] of this.#tiles) if (t.tenantId === tenantId) this.#tiles.delete(key);
    if (!this.#watchers.has(tenantId)) return;
    if (agentId) {
      let dirty = this.#dirtyAgents.get(tenantId);
      if (!dirty) this.#dirtyAgents.set(tenantId, (dirty = new Set()));
      dirty.add(agentId);
    }
    if (this.#timers.has(tenantId)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(tenantId);
      const agents = this.#dirtyAgents.get(tenantId) ?? new Set<string>();
      this.#dirtyAgents.delete(tenantId);
      for (const w of this.#watchers.get(tenantId) ?? []) {
        try {
          w.wallboard();
          if (agents.size > 0) w.agents(agents);
        } catch (err) {
          this.#o.log.warn({ err }, 'a console watcher failed');
        }
      }
    }, this.#o.delayMs ?? 500);
    timer.unref();
    this.#timers.set(tenantId, timer);
  }
}

/** What the rules read of an interaction (wire form, live or as stored with its event). */
function viewOf(i: Interaction): ContactView {
  return {
    queueId: i.queue_id,
    channel: i.channel_type,
    direction: i.direction,
    consultation: i.consultation_of !== undefined,
    agentId: i.agent_id ?? null,
    createdAt: Date.parse(i.created),
    acceptedAt: i.date_accepted ? Date.parse(i.date_accepted) : null,
  };
}

/** A stored event's interaction and detail, or null for a row without them. */
function parseStored(
  data: string,
): { interaction: Interaction; detail: Readonly<Record<string, unknown>> | null } | null {
  try {
    const parsed = JSON.parse(data) as { interaction?: unknown; detail?: unknown };
    const i = parsed.interaction;
    if (typeof i !== 'object' || i === null || typeof (i as { created?: unknown }).created !== 'string') return null;
    const detail =
      typeof parsed.detail === 'object' && parsed.detail !== null ? (parsed.detail as Record<string, unknown>) : null;
    return { interaction: i as Interaction, detail };
  } catch {
    return null;
  }
}
