/**
 * The media plane: calls terminate here (back-to-back), so the server
 * controls every call. It follows the interaction state machine on the bus
 * and turns it into audio: who hears whom ({@link planAudio}), hold music,
 * in-band DTMF toward the far party, recordings; and it tells the state
 * machine what the outside world did (answered, hung up, pressed a key).
 *
 * Agents have one media leg per panel ("station"), set up after login and
 * kept across calls: a call reaches the agent by re-planning, not by a new
 * negotiation. When a panel goes away its customers hear hold music; a
 * panel that comes back (reload, network) offers again and the call goes
 * on; after `reattachSeconds` the call goes back to its queue.
 */
import { isTerminalState, type Interaction } from '@parley/protocol';
import type { BusEvents } from '../bus/index.ts';
import { findQueueByAddress } from '../queues/index.ts';
import { dtmfFrames } from './dsp.ts';
import { MediaError } from './errors.ts';
import { answerOffer, type Leg } from './leg.ts';
import { Mixer, type MixSink } from './mixer.ts';
import { MonitorBook } from './monitors.ts';
import { callLine, planAudio, recordingParties, type CallLine } from './plan.ts';
import { VirtualPstn } from './pstn.ts';
import type { OutsideCall, Trunk } from './trunk.ts';
import { customerFollows, isLive, rowEnded, type TopologyStep } from './topology.ts';
import { CallJournal } from './journal.ts';
import type { MediaPlaneOptions, MediaStats, Station } from './plane-options.ts';

export type { MediaPlaneOptions, MediaStats } from './plane-options.ts';

export class MediaPlane {
  readonly #o: MediaPlaneOptions;
  readonly #mixer = new Mixer();
  /** The station carrying each agent's calls: their newest panel's. */
  readonly #stations = new Map<string, Station>();
  /** The agent's other panels' stations (an embedded panel beside its pop-out), newest last: one takes over when the active one goes. */
  readonly #standby = new Map<string, Station[]>();
  /** Phone interactions as last seen on the bus. */
  readonly #lines = new Map<string, Interaction & { tenantId: string }>();
  /** The outside call on the far side of an interaction. */
  readonly #remote = new Map<string, OutsideCall>();
  /** Outside calls and the tenant they belong to. */
  readonly #calls = new Map<OutsideCall, string>();
  /** Outside calls put through to each other. */
  readonly #bridges = new Map<OutsideCall, OutsideCall>();
  /** A number consultation joined: the original's id → the consulted number's call. */
  readonly #joining = new Map<string, OutsideCall>();
  readonly #pstn = new Map<string, VirtualPstn>();
  readonly #recordings = new Map<string, MixSink>();
  /** Supervisors on calls. */
  readonly #monitors = new MonitorBook();
  readonly #reattach = new Map<string, NodeJS.Timeout>();
  readonly #unsubscribe: () => void;
  #chain: Promise<void> = Promise.resolve();
  /** The calls with media in progress, on disk; and those a previous process left there. */
  readonly #journal: CallJournal;

  constructor(options: MediaPlaneOptions) {
    this.#o = options;
    // Read before anything can rewrite it: these calls died with the last process.
    this.#journal = new CallJournal(options.journal, options.log);
    this.#unsubscribe = options.bus.subscribe('interaction.changed', (e) => {
      if (e.interaction.channel_type !== 'phone') return;
      // One event at a time, in order: each may dial, bridge or record.
      this.#chain = this.#chain
        .then(() => this.#onEvent(e))
        .catch((err: unknown) => options.log.error({ err, interaction: e.interaction.id }, 'media plane event failed'));
    });
    this.#mixer.start();
  }

  /**
   * Ends the interactions of calls that were in progress when the last
   * process died (their media went with it): waiting ones are abandoned,
   * talking ones end as hung up by the far party and go to wrap-up. Returns
   * how many were ended.
   */
  async recover(): Promise<number> {
    let ended = 0;
    for (const { t, id } of this.#journal.takeOrphans()) {
      try {
        await this.#o.interactions.remote(t, id, 'hangup');
        ended += 1;
      } catch (err) {
        // Already over (a wrap-up, a hang-up stored before the crash): nothing to end.
        this.#o.log.debug({ err, interaction: id }, 'a call left by the last process needed no ending');
      }
    }
    this.#writeJournal();
    return ended;
  }

  /** Waits until every bus event seen so far has been acted on (tests). */
  settled(): Promise<void> {
    return this.#chain;
  }

  get stats(): MediaStats {
    const s = this.#mixer.stats;
    return {
      legs: this.#stations.size + this.#calls.size,
      stations: this.#stations.size,
      calls: this.#calls.size,
      relayed: s.relayed,
      mixed: s.mixed,
      late: s.late,
    };
  }

  /** The tenant's virtual PSTN (the `/ws/phone` pages). */
  pstn(tenantId: string): VirtualPstn {
    let pstn = this.#pstn.get(tenantId);
    if (!pstn) {
      pstn = new VirtualPstn({
        network: this.#o.network,
        log: this.#o.log.child({ subsystem: 'pstn' }),
        registration: this.#o.virtualPstn,
        ringSeconds: this.#o.ringSeconds,
        dialsPerMinute: this.#o.dialsPerMinute,
        hooks: {
          resolve: async (to) => {
            if (!(await this.#phoneQueue(tenantId, to)))
              throw new MediaError('not_found', `${to} is not a number of this contact center.`);
          },
          incoming: (call) => this.#incoming(tenantId, call),
        },
      });
      this.#pstn.set(tenantId, pstn);
    }
    return pstn;
  }

  #trunk(tenantId: string): Trunk {
    return this.pstn(tenantId);
  }

  /** Whether an outbound call to `number` can ring now (callOut answers `unreachable` otherwise). */
  reachable(tenantId: string, number: string): boolean {
    return this.#trunk(tenantId).reachable(number.replace(/[\s()-]/g, ''));
  }

  async #phoneQueue(tenantId: string, address: string) {
    const queue = await findQueueByAddress(this.#o.db, tenantId, address);
    return queue && queue.channel === 'phone' ? queue : null;
  }

  // ── agents ───────────────────────────────────────────────────────────────

  /** An agent's panel offers its media leg; the newest one serves the agent's calls. */
  async attachStation(tenantId: string, userId: string, offer: unknown, owner: object): Promise<string> {
    const { leg, sdp } = await answerOffer(offer as string, this.#o.network);
    const key = `${tenantId}:${userId}`;
    // A connection has one station: a new offer from it replaces its own earlier one.
    const standby = (this.#standby.get(key) ?? []).filter((s) => {
      if (s.owner !== owner) return true;
      this.#dropLeg(s.leg);
      return false;
    });
    const old = this.#stations.get(key);
    if (old && old.owner === owner) this.#dropLeg(old.leg);
    else if (old) standby.push(old);
    if (standby.length > 0) this.#standby.set(key, standby);
    else this.#standby.delete(key);
    this.#stations.set(key, { leg, tenantId, userId, owner });
    this.#mixer.add(leg);
    leg.onGone = () => this.#stationGone(key, leg);
    const timer = this.#reattach.get(key);
    if (timer) clearTimeout(timer);
    this.#reattach.delete(key);
    this.#replan();
    return sdp;
  }

  /** A panel's connection closed: its station goes, if it was the one serving the agent. */
  detachStation(tenantId: string, userId: string, owner: object): void {
    const key = `${tenantId}:${userId}`;
    const station = [this.#stations.get(key), ...(this.#standby.get(key) ?? [])].find((s) => s?.owner === owner);
    if (station) this.#stationGone(key, station.leg);
  }

  #stationGone(key: string, leg: Leg): void {
    const standby = this.#standby.get(key) ?? [];
    const waiting = standby.findIndex((s) => s.leg === leg);
    if (waiting >= 0) {
      standby.splice(waiting, 1);
      if (standby.length === 0) this.#standby.delete(key);
      this.#dropLeg(leg);
      return;
    }
    const station = this.#stations.get(key);
    if (!station || station.leg !== leg) return;
    this.#stations.delete(key);
    this.#dropLeg(leg);
    // Another panel of the agent's still has a station: it carries the calls now.
    const next = standby.pop();
    if (standby.length === 0) this.#standby.delete(key);
    if (next) {
      this.#stations.set(key, next);
      this.#replan();
      return;
    }
    this.#replan();
    // Calls in progress wait for the panel to come back, then go back to their queue.
    const calls = [...this.#lines.values()].filter(
      (l) =>
        l.tenantId === station.tenantId &&
        l.agent_id === station.userId &&
        (l.state === 'accepted' || l.state === 'held'),
    );
    if (calls.length === 0) return;
    const timer = setTimeout(() => {
      this.#reattach.delete(key);
      if (this.#stations.has(key)) return;
      for (const l of calls)
        void this.#o.interactions
          .requeue(station.tenantId, l.id, 'agent_media_lost')
          .catch((err: unknown) => this.#o.log.warn({ err, interaction: l.id }, 'cannot requeue a call'));
    }, this.#o.reattachSeconds * 1000);
    timer.unref();
    this.#reattach.set(key, timer);
  }

  #dropLeg(leg: Leg): void {
    this.#mixer.remove(leg.id);
    void leg.close();
  }

  // ── the outside world ──────────────────────────────────────────────────────

  /** A call to a queue number: it becomes an interaction and waits in the queue with music. */
  async #incoming(tenantId: string, call: OutsideCall): Promise<void> {
    const queue = await this.#phoneQueue(tenantId, call.local);
    if (!queue) throw new MediaError('not_found', `${call.local} is not a number of this contact center.`);
    this.#adopt(tenantId, call);
    const created = await this.#o.interactions.inbound(tenantId, {
      queueId: queue.id,
      from: call.remote,
      to: call.local,
    });
    if (call.ended) {
      await this.#o.interactions.remote(tenantId, created.id, 'hangup').catch(() => undefined);
      return;
    }
    this.#remote.set(created.id, call);
    call.progress('queued', { queue: queue.name });
    this.#replan();
  }

  /** Starts tracking an outside call: its media, keys and hang-up. */
  #adopt(tenantId: string, call: OutsideCall): void {
    this.#calls.set(call, tenantId);
    const addLeg = (leg: Leg) => {
      this.#mixer.add(leg);
      this.#replan();
    };
    if (call.leg) addLeg(call.leg);
    const onAnswer = call.onAnswer;
    call.onAnswer = (leg) => {
      addLeg(leg);
      onAnswer?.(leg);
    };
    call.onDtmf = (key) => {
      const id = this.#interactionOf(call);
      if (id)
        void this.#o.interactions
          .remoteTones(tenantId, id, key)
          .catch((err: unknown) => this.#o.log.debug({ err }, 'cannot record a key press'));
    };
    const onEnd = call.onEnd;
    call.onEnd = (reason) => {
      onEnd?.(reason);
      void this.#outsideEnded(tenantId, call);
    };
  }

  /** The live interaction whose far party is `call`. */
  #interactionOf(call: OutsideCall): string | null {
    let found: string | null = null;
    for (const [id, c] of this.#remote) {
      if (c !== call) continue;
      const line = this.#lines.get(id);
      if (!line || isLive(line.state)) found = id;
    }
    return found;
  }

  async #outsideEnded(tenantId: string, call: OutsideCall): Promise<void> {
    if (call.leg) this.#mixer.remove(call.leg.id);
    this.#calls.delete(call);
    const other = this.#bridges.get(call);
    if (other) {
      this.#bridges.delete(call);
      this.#bridges.delete(other);
      other.hangup('hangup');
    }
    const id = this.#interactionOf(call);
    for (const [key, c] of this.#remote) if (c === call && key !== id) this.#remote.delete(key);
    this.#replan();
    // An outbound call that never answered was reported by #ringFor already.
    if (id && (call.leg || call.direction === 'inbound')) {
      await this.#o.interactions
        .remote(tenantId, id, 'hangup')
        .catch((err: unknown) => this.#o.log.debug({ err, interaction: id }, 'far hang-up not applied'));
    }
  }

  /** Rings a number for an interaction (callOut, consultation of a number). */
  #ringFor(tenantId: string, line: Interaction): void {
    if (this.#o.scriptedFarParty && !this.#trunk(tenantId).reachable(line.remote_address)) return;
    const call = this.#trunk(tenantId).dial(line.remote_address, line.local_address);
    this.#remote.set(line.id, call);
    const remote = (event: 'answer' | 'reject' | 'no_answer' | 'fail' | 'hangup') =>
      this.#o.interactions
        .remote(tenantId, line.id, event)
        .catch((err: unknown) => this.#o.log.debug({ err, interaction: line.id, event }, 'far event not applied'));
    call.onAnswer = () => void remote('answer');
    call.onEnd = (reason) => {
      if (call.leg === null)
        void remote(
          reason === 'rejected'
            ? 'reject'
            : reason === 'no_answer'
              ? 'no_answer'
              : reason === 'hangup'
                ? 'reject'
                : 'fail',
        );
    };
    // Adopted last: the plane's own handlers wrap the ones above.
    this.#adopt(tenantId, call);
  }

  /** Rings a number and puts `customer` through to it when it answers (blind transfer, joined number consultation). */
  #putThrough(tenantId: string, customer: OutsideCall, to: string, from: string): void {
    const call = this.#trunk(tenantId).dial(to, from);
    this.#calls.set(call, tenantId);
    customer.progress('ringing');
    call.onAnswer = (leg) => {
      this.#mixer.add(leg);
      this.#bridges.set(customer, call);
      this.#bridges.set(call, customer);
      customer.progress('connected');
      this.#replan();
    };
    call.onEnd = () => {
      this.#calls.delete(call);
      if (call.leg) this.#mixer.remove(call.leg.id);
      this.#bridges.delete(call);
      this.#bridges.delete(customer);
      customer.hangup('hangup');
      this.#replan();
    };
    this.#replan();
  }

  // ── the state machine's news ──────────────────────────────────────────────

  async #onEvent(e: BusEvents['interaction.changed']): Promise<void> {
    const line = { ...e.interaction, tenantId: e.tenantId };
    this.#monitors.apply(e);
    const before = this.#lines.get(line.id);
    if (isTerminalState(line.state)) this.#lines.delete(line.id);
    else this.#lines.set(line.id, line);

    const view = { remote: this.#remote, joining: this.#joining, lines: this.#lines };
    this.#follow(e.tenantId, customerFollows(view, e.event, line));

    // An outbound call (or a consultation of a number) rings its number. A consultation of an
    // agent rings too, but that agent's panel is its far end: it has a peer and no number to ring.
    if (
      line.direction === 'outbound' &&
      line.state === 'alerting' &&
      before?.state !== 'alerting' &&
      !line.peer_id &&
      !this.#remote.has(line.id)
    )
      this.#ringFor(e.tenantId, line);

    const call = this.#remote.get(line.id);
    const ended = !isLive(line.state);
    // A hang-up is always the event `ended`; why (transferred, joined, requeued…) is its cause.
    const cause = e.event === 'ended' ? (e.detail?.cause ?? '') : e.event;
    if (ended && before && isLive(before.state)) {
      await this.#stopRecording(line.id, true);
      const target = e.event === 'ended' ? e.detail?.target : undefined;
      this.#follow(e.tenantId, rowEnded(view, line, cause, target));
    }
    if (!ended && call) {
      if (line.state === 'accepted' || line.state === 'held') call.progress('connected');
    }

    if (line.recording && isLive(line.state) && !this.#o.recorder.isRecording(line.id)) {
      const sink = await this.#o.recorder.start(e.tenantId, line.id, line.agent_id ?? null);
      this.#recordings.set(line.id, sink);
      this.#mixer.addSink(sink);
    } else if (!line.recording && this.#recordings.has(line.id)) await this.#stopRecording(line.id, false);

    if (e.event === 'dtmf' && typeof e.detail?.['digits'] === 'string') {
      const far = call?.leg?.id ?? this.#farStation(line);
      if (far)
        this.#mixer.overlay(
          far,
          [...e.detail['digits']].flatMap((d) => dtmfFrames(d)),
        );
    }
    this.#replan();
  }

  /** An agent's far party when it is another agent (consultation). */
  #farStation(line: Interaction): string | null {
    const peer = line.peer_id ? this.#lines.get(line.peer_id) : undefined;
    return peer?.agent_id ? (this.#stations.get(`${peer.tenantId}:${peer.agent_id}`)?.leg.id ?? null) : null;
  }

  /** Carries out what the call topology says (see topology.ts). */
  #follow(tenantId: string, steps: ReadonlyArray<TopologyStep<OutsideCall>>): void {
    for (const step of steps) {
      switch (step.op) {
        case 'follow':
          this.#remote.set(step.id, step.call);
          break;
        case 'forget':
          this.#remote.delete(step.id);
          break;
        case 'put_through':
          this.#putThrough(tenantId, step.call, step.to, step.from);
          break;
        case 'await_join':
          this.#joining.set(step.original, step.call);
          break;
        case 'bridge':
          this.#joining.delete(step.joined);
          this.#bridges.set(step.a, step.b);
          this.#bridges.set(step.b, step.a);
          break;
        case 'hang_up':
          step.call.hangup('hangup');
          break;
      }
    }
  }

  async #stopRecording(id: string, finish: boolean): Promise<void> {
    const sink = this.#recordings.get(id);
    if (sink) {
      this.#mixer.removeSink(sink);
      this.#recordings.delete(id);
    }
    if (finish) await this.#o.recorder.finish(id);
    else await this.#o.recorder.pause(id);
  }

  #replan(): void {
    const lines: CallLine[] = [];
    for (const l of this.#lines.values())
      lines.push(callLine(l, this.#remote.get(l.id)?.leg?.id ?? null, this.#monitors.of(l.tenantId, l.id)));
    const stations = new Map<string, string>();
    for (const [key, s] of this.#stations) stations.set(key, s.leg.id);
    const customerLegs: string[] = [];
    for (const [call] of this.#calls) if (call.leg && call.direction === 'inbound') customerLegs.push(call.leg.id);
    // Waiting for a number to answer (a blind transfer): the customer hears music meanwhile.
    const bridges: Array<[string, string]> = [];
    for (const [a, b] of this.#bridges) if (a.leg && b.leg && a.id < b.id) bridges.push([a.leg.id, b.leg.id]);
    const plan = planAudio({ lines, stations, customerLegs, bridges });
    this.#mixer.setPlan(plan);
    this.#writeJournal();
    // Recordings take the voices of the legs of their call.
    for (const [id, sink] of this.#recordings) {
      const l = this.#lines.get(id);
      const mine = l?.agent_id ? this.#stations.get(`${l.tenantId}:${l.agent_id}`)?.leg.id : undefined;
      sink.parties = recordingParties(plan, this.#remote.get(id)?.leg?.id, mine);
    }
  }

  /** Keeps the journal equal to the calls with media in progress. */
  #writeJournal(): void {
    const live: Array<{ t: string; id: string }> = [];
    for (const [id, call] of this.#remote) {
      const tenantId = this.#calls.get(call);
      const state = this.#lines.get(id)?.state;
      if (tenantId && !call.ended && (state === undefined || isLive(state))) live.push({ t: tenantId, id });
    }
    this.#journal.write(live);
  }

  /** Ends everything (server shutdown): outside calls are hung up and recordings completed. */
  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#chain.catch(() => undefined);
    this.#mixer.stop();
    for (const t of this.#reattach.values()) clearTimeout(t);
    for (const pstn of this.#pstn.values()) pstn.close();
    for (const s of [...this.#stations.values(), ...[...this.#standby.values()].flat()]) void s.leg.close();
    this.#stations.clear();
    this.#standby.clear();
    await this.#o.recorder.finishAll();
  }
}
