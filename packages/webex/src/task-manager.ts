/**
 * Keeps one `Task` per interaction of the agent and turns the headless
 * client's news into the Webex task events: `task:incoming` and
 * `task:hydrate` on the plugin; `task:assigned`, `task:media`, `task:hold`,
 * `task:unhold`, `task:consultCreated`/`consulting`/`consultAccepted`/
 * `consultEnd`, `task:end`, `task:wrapup`, `task:wrappedup`,
 * `task:recordingPaused`/`Resumed`, `task:rejected` and `task:unassigned`
 * on the task.
 */
import type { Agent } from '@parley/agent';
import type { Interaction } from '@parley/protocol';
import type { EventEmitter } from './events.ts';
import { taskDataOf } from './mapping.ts';
import { Task, type TaskHost } from './task.ts';

export class TaskManager {
  readonly #tasks = new Map<string, Task>();
  readonly #host: TaskHost;
  readonly #cc: EventEmitter;
  readonly #ids: { agentId: () => string; orgId: () => string; trackingId: () => string };
  #offs: Array<() => void> = [];
  #track: MediaStreamTrack | null = null;
  readonly #assigned = new WeakSet<Task>();
  readonly #wrapping = new WeakSet<Task>();
  readonly #consultEnded = new Set<string>();
  readonly #ended = new WeakSet<Task>();
  readonly #lastEvent = new Map<string, string>();

  constructor(
    host: TaskHost,
    cc: EventEmitter,
    ids: { agentId: () => string; orgId: () => string; trackingId: () => string },
  ) {
    this.#host = host;
    this.#cc = cc;
    this.#ids = ids;
  }

  /** The agent's tasks, oldest first. */
  list(): Task[] {
    return [...this.#tasks.values()];
  }

  get(id: string): Task | undefined {
    return this.#tasks.get(id);
  }

  /** Follows an agent: what it has now comes as `task:hydrate` (a reload re-attaches), then every change. */
  follow(agent: Agent): void {
    this.stop();
    this.#offs = [
      agent.on('interaction:update', ({ event, interaction }) => this.#update(interaction, event)),
      agent.on('interaction:status', ({ status, interaction }) => this.#status(status, interaction)),
      agent.audio.on('track', (track) => {
        this.#track = track;
        for (const task of this.#tasks.values()) if (this.#talking(task.data.parley)) task.emit('task:media', track);
      }),
    ];
    this.#track = agent.audio.track;
    for (const interaction of agent.interactions) {
      if (this.#consultParent(interaction)) continue;
      // Registering again keeps the tasks the host already holds.
      if (this.#tasks.has(interaction.id)) continue;
      const task = this.#create(interaction);
      if (interaction.state !== 'alerting') this.#assigned.add(task);
      if (interaction.state === 'wrap_up') this.#wrapping.add(task);
      this.#cc.emit('task:hydrate', task);
    }
  }

  /** Wraps a new outbound interaction (startOutdial) before its events arrive. */
  adopt(interaction: Interaction): Task {
    const task = this.#tasks.get(interaction.id) ?? this.#create(interaction);
    task.updateTaskData(this.#data(interaction));
    return task;
  }

  stop(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  /** Forgets every task (deregister). */
  clear(): void {
    this.stop();
    for (const task of this.#tasks.values()) task.removeAllListeners();
    this.#tasks.clear();
  }

  #data(i: Interaction) {
    return taskDataOf(i, {
      agentId: this.#ids.agentId(),
      orgId: this.#ids.orgId(),
      trackingId: this.#ids.trackingId(),
    });
  }

  #create(i: Interaction): Task {
    const task = new Task(this.#host, this.#data(i));
    this.#tasks.set(i.id, task);
    return task;
  }

  #talking(i: Interaction): boolean {
    return i.channel_type === 'phone' && (i.state === 'accepted' || i.state === 'held' || i.state === 'outgoing');
  }

  /**
   * The consulting agent's own leg of a consultation (Parley keeps it as an
   * interaction of theirs): Webex shows it on the customer's task instead.
   */
  #consultParent(i: Interaction): Task | null {
    if (!i.consultation_of || i.direction !== 'outbound' || i.agent_id !== this.#ids.agentId()) return null;
    return this.#tasks.get(i.consultation_of) ?? null;
  }

  #consultLeg(status: string, parent: Task, i: Interaction): void {
    if (status === 'accepted') parent.emit('task:consulting', parent);
    else if (status === 'rejected') parent.emit('task:consultFailed', parent);
    else if (status === 'ended' || (status === 'handled' && !this.#consultEnded.has(i.id))) {
      this.#consultEnded.add(i.id);
      parent.emit('task:consultEnd', parent);
    }
  }

  /** Data first, then what changed on a call in progress: hold, recording. */
  #update(i: Interaction, event: string): void {
    if (this.#consultParent(i)) return;
    const task = this.#tasks.get(i.id);
    if (!task) {
      if (event !== 'snapshot' || i.state === 'alerting') return;
      const hydrated = this.#create(i);
      this.#assigned.add(hydrated);
      if (i.state === 'wrap_up') this.#wrapping.add(hydrated);
      this.#cc.emit('task:hydrate', hydrated);
      return;
    }
    const before = task.data.parley;
    this.#lastEvent.set(i.id, event);
    task.updateTaskData(this.#data(i));
    if (before.held !== i.held) task.emit(i.held ? 'task:hold' : 'task:unhold', task);
    if (before.recording !== i.recording && i.channel_type === 'phone' && before.date_accepted)
      task.emit(i.recording ? 'task:recordingResumed' : 'task:recordingPaused', task);
    // A call that ended first and went into wrap-up after ('task:end' came with the end).
    if (before.state === 'ended' && i.state === 'wrap_up' && !this.#wrapping.has(task)) {
      this.#wrapping.add(task);
      task.emit('task:wrapup', task);
    }
  }

  #status(status: string, i: Interaction): void {
    const parent = this.#consultParent(i);
    if (parent) return this.#consultLeg(status, parent, i);
    let task = this.#tasks.get(i.id);
    switch (status) {
      case 'incoming':
        task ??= this.#create(i);
        this.#cc.emit('task:incoming', task);
        if (i.consultation_of) task.emit('task:offerConsult', task);
        return;
      case 'outgoing':
        task ??= this.adopt(i);
        task.emit('task:ringing', task);
        if (this.#track && i.channel_type === 'phone') task.emit('task:media', this.#track);
        return;
      case 'accepted':
        if (!task) return;
        // Once per task: a consultation accepted on the customer's leg is 'task:consulting' (above).
        if (this.#assigned.has(task)) return;
        this.#assigned.add(task);
        if (i.consultation_of && i.direction === 'inbound') task.emit('task:consultAccepted', task);
        task.emit('task:assigned', task);
        task.emit('task:established', task);
        if (this.#track && i.channel_type === 'phone') task.emit('task:media', this.#track);
        return;
      case 'rejected':
        if (!task) return;
        this.#tasks.delete(i.id);
        // Declined by the agent, or withdrawn because nobody answered in time (RONA).
        task.emit('task:rejected', this.#lastEvent.get(i.id) === 'rejected' ? 'declined' : 'RONA');
        this.#lastEvent.delete(i.id);
        return;
      case 'ended':
        if (!task) return;
        this.#ended.add(task);
        task.emit('task:end', task);
        task.emit('task:ended', task);
        if (i.state === 'wrap_up') {
          this.#wrapping.add(task);
          task.emit('task:wrapup', task);
        } else if (i.state !== 'ended') this.#tasks.delete(i.id);
        return;
      case 'handled':
        if (!task) return;
        this.#tasks.delete(i.id);
        if (this.#wrapping.has(task)) return void task.emit('task:wrappedup', task);
        // Gone without wrap-up (transferred away, taken over): it ended for the host all the same.
        if (!this.#ended.has(task)) {
          task.emit('task:end', task);
          task.emit('task:ended', task);
        }
        task.emit('task:unassigned', task);
        return;
      default:
        return;
    }
  }
}
