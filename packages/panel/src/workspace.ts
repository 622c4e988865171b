/**
 * What the panel keeps beside the conversations: each interaction's
 * customer card (fetched once, handed to the host as screen-pop), its
 * internal notes, unread counts, the missed list, canned responses, and the
 * alerts an offer or a message raises. Talks to the server and the browser
 * through injected clients, so it is unit-tested in Node.
 */
import type {
  CannedResponse,
  CustomerCard,
  Interaction,
  Message,
  MissedEntry,
  Note,
  StatePayload,
} from '@parley/protocol';

export interface WorkspaceRest {
  customerCard(interactionId: string): Promise<CustomerCard>;
  notes(interactionId: string): Promise<Note[]>;
  addNote(interactionId: string, body: string): Promise<Note>;
  cannedResponses(): Promise<CannedResponse[]>;
  missed(): Promise<MissedEntry[]>;
}

/** The browser's part: sounds, desktop notifications, the tab title (alerts.ts). */
export interface AlertsLike {
  /** An offer rings (every channel) until `settled`. */
  offer(i: Interaction): void;
  /** A customer wrote in a conversation the agent is not looking at. */
  message(i: Interaction, m: Message): void;
  /** No offer rings any more (accepted, rejected, gone). */
  settled(): void;
}

export interface WorkspaceState {
  /** Customer cards by interaction id; null: it has none (an agent-to-agent leg). */
  readonly cards: Readonly<Record<string, CustomerCard | null>>;
  /** Internal notes by interaction id, oldest first. */
  readonly notes: Readonly<Record<string, readonly Note[]>>;
  /** Customer messages the agent has not seen yet, by interaction id. */
  readonly unread: Readonly<Record<string, number>>;
  /** Missed offers and abandoned contacts, newest first. */
  readonly missed: readonly MissedEntry[];
}

export const INITIAL_WORKSPACE: WorkspaceState = { cards: {}, notes: {}, unread: {}, missed: [] };

export interface WorkspaceHooks {
  readonly get: () => WorkspaceState & {
    readonly interactions: readonly Interaction[];
    readonly active: string | null;
  };
  readonly set: (patch: Partial<WorkspaceState>) => void;
  /** Tells the host (the bridge's emitState). */
  readonly emit: (payload: StatePayload) => void;
  /** Whether the agent can see the panel now (focused, not hidden). */
  readonly visible: () => boolean;
}

/** The host's missed event as a missed-list entry. */
export function missedEntry(i: Interaction, reason: MissedEntry['reason'], at: string): MissedEntry {
  return {
    interaction_id: i.id,
    reason,
    at,
    channel_type: i.channel_type,
    remote_address: i.remote_address,
    queue_id: i.queue_id,
    queue_name: i.queue_name,
    customer_id: i.customer_id ?? null,
    state: i.state,
  };
}

export class Workspace {
  readonly #rest: WorkspaceRest;
  readonly #alerts: AlertsLike | undefined;
  readonly #h: WorkspaceHooks;
  /** Interactions whose card was asked for (once each). */
  readonly #asked = new Set<string>();
  #canned: Promise<CannedResponse[]> | null = null;

  constructor(rest: WorkspaceRest, hooks: WorkspaceHooks, alerts?: AlertsLike) {
    this.#rest = rest;
    this.#h = hooks;
    this.#alerts = alerts;
  }

  /** After login: the missed list as the server keeps it. */
  async start(): Promise<void> {
    this.#canned = null;
    const missed = await this.#rest.missed().catch(() => null);
    if (missed) this.#h.set({ missed });
  }

  /** Clears what belonged to the agent who logged out. */
  reset(): void {
    this.#asked.clear();
    this.#canned = null;
    this.#h.set(INITIAL_WORKSPACE);
  }

  /** Host events the session produced: offers ring and pop the customer card; missed ones join the list. */
  observe(events: readonly StatePayload[], now = new Date()): void {
    for (const e of events) {
      if (e.attribute === 'status' && (e.value === 'incoming' || e.value === 'outgoing' || e.value === 'accepted'))
        void this.card(e.interaction);
      if (e.attribute === 'status' && e.value === 'incoming') this.#alerts?.offer(e.interaction);
      if (e.attribute === 'missed') {
        const entry = missedEntry(e.interaction, e.value.reason, now.toISOString());
        const rest = this.#h.get().missed.filter((m) => m.interaction_id !== entry.interaction_id);
        this.#h.set({ missed: [entry, ...rest].slice(0, 50) });
      }
      if (e.attribute === 'status' && e.value === 'handled') this.#forget(e.interaction.id);
    }
    const { interactions } = this.#h.get();
    if (!interactions.some((i) => i.state === 'alerting' && i.direction === 'inbound')) this.#alerts?.settled();
  }

  /** A message arrived: the customer's (or a colleague's) words count as unread unless the agent is looking at them. */
  message(interactionId: string, m: Message): void {
    if (m.direction === 'out' && !m.internal) return;
    const { active, interactions, unread } = this.#h.get();
    if (active === interactionId && this.#h.visible()) return;
    const i = interactions.find((x) => x.id === interactionId);
    this.#h.set({ unread: { ...unread, [interactionId]: (unread[interactionId] ?? 0) + 1 } });
    if (i) this.#alerts?.message(i, m);
  }

  /** The agent looked at a conversation. */
  seen(interactionId: string): void {
    const { unread } = this.#h.get();
    if (!unread[interactionId]) return;
    const { [interactionId]: _seen, ...rest } = unread;
    this.#h.set({ unread: rest });
  }

  /** The customer card of an interaction, fetched once; the host gets it as the `customer` event. */
  async card(i: Interaction): Promise<CustomerCard | null> {
    const known = this.#h.get().cards[i.id];
    if (known !== undefined) return known;
    if (!i.customer_id || this.#asked.has(i.id)) return null;
    this.#asked.add(i.id);
    let card: CustomerCard | null;
    try {
      card = await this.#rest.customerCard(i.id);
    } catch {
      card = null;
    }
    this.#h.set({ cards: { ...this.#h.get().cards, [i.id]: card } });
    if (card) this.#h.emit({ attribute: 'customer', value: card, interaction: i });
    return card;
  }

  async loadNotes(interactionId: string): Promise<readonly Note[]> {
    const notes = await this.#rest.notes(interactionId);
    this.#h.set({ notes: { ...this.#h.get().notes, [interactionId]: notes } });
    return notes;
  }

  /** Adds an internal note; the host hears of it. */
  async addNote(i: Interaction, body: string): Promise<Note> {
    const note = await this.#rest.addNote(i.id, body);
    const notes = this.#h.get().notes;
    this.#h.set({ notes: { ...notes, [i.id]: [...(notes[i.id] ?? []), note] } });
    this.#h.emit({ attribute: 'note', value: note, interaction: i });
    return note;
  }

  /** Canned responses, loaded once per login. */
  canned(): Promise<CannedResponse[]> {
    this.#canned ??= this.#rest.cannedResponses().catch((err: unknown) => {
      this.#canned = null;
      throw err;
    });
    return this.#canned;
  }

  #forget(id: string): void {
    this.#asked.delete(id);
    const { cards, notes, unread } = this.#h.get();
    const drop = <T>(map: Readonly<Record<string, T>>) => {
      const { [id]: _gone, ...rest } = map;
      return rest;
    };
    this.#h.set({ cards: drop(cards), notes: drop(notes), unread: drop(unread) });
  }
}

/** First word of a name (`Hedy` of `Hedy Customer`); the whole when it is an address. */
function firstName(name: string): string {
  return /[@+\d]/.test(name) ? name : (name.trim().split(/\s+/)[0] ?? name);
}

/** A canned response's body with its placeholders filled in; unknown ones stay as written. */
export function fillCanned(body: string, who: { customer?: string | null; agent?: string | null }): string {
  const values: Record<string, string | null | undefined> = {
    'customer.name': who.customer,
    'customer.first_name': who.customer ? firstName(who.customer) : who.customer,
    'agent.name': who.agent,
    'agent.first_name': who.agent ? firstName(who.agent) : who.agent,
  };
  return body
    .replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (whole, key: string) => {
      const v = values[key];
      return v === undefined ? whole : (v ?? '');
    })
    .replace(/ +([,.!?])/g, '$1')
    .replace(/ {2,}/g, ' ');
}

/** The responses a `/query` in the compose box means: shortcut first, then title, at most 8. */
export function matchCanned(list: readonly CannedResponse[], text: string): CannedResponse[] | null {
  const m = /^\/([a-z0-9_-]*)$/i.exec(text);
  if (!m) return null;
  const q = (m[1] ?? '').toLowerCase();
  const starts = list.filter((c) => c.shortcut.startsWith(q));
  const titled = list.filter((c) => !starts.includes(c) && c.title.toLowerCase().includes(q));
  return [...starts, ...titled].slice(0, 8);
}
