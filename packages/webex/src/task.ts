/**
 * `Task`: one interaction (call, chat, SMS, WhatsApp, email) as the Webex
 * SDK hands it to the host — an EventEmitter with `data` and the call
 * controls. Each control is one Parley action on the interaction; it
 * resolves with the updated task data, or rejects with a
 * ContactCenterError and emits the matching `task:*Failed` event.
 */
import type { Interaction } from '@parley/protocol';
import { EventEmitter } from './events.ts';
import { targetOf, type TaskData } from './mapping.ts';

/** What a task needs of its contact center (the plugin implements it). */
export interface TaskHost {
  /** Runs a Parley call as a Webex operation: logs it, maps failures, emits `failEvent` on the task when it fails. */
  run(task: Task, operation: string, failEvent: string, call: () => Promise<Interaction>): Promise<TaskResponse>;
  /** Wrap-up code by id, code or label. */
  wrapUpCode(wanted: unknown): string | null;
  /** A failure before any call (a malformed argument). */
  refuse(task: Task, operation: string, failEvent: string, message: string): Promise<never>;
  readonly agent: TaskAgent;
}

/** The headless agent calls a task uses. */
export interface TaskAgent {
  accept(id: string): Promise<Interaction>;
  reject(id: string): Promise<Interaction>;
  hold(id: string): Promise<Interaction>;
  unhold(id: string): Promise<Interaction>;
  mute(id: string): Promise<Interaction>;
  unmute(id: string): Promise<Interaction>;
  hangup(id: string): Promise<Interaction>;
  wrapUp(d: { code?: string; notes?: string }, id: string): Promise<Interaction>;
  transfer(to: NonNullable<ReturnType<typeof targetOf>>, id: string): Promise<Interaction>;
  consult(to: NonNullable<ReturnType<typeof targetOf>>, id: string): Promise<Interaction>;
  cancelConsult(id: string): Promise<Interaction>;
  join(id: string): Promise<Interaction>;
  conference(id: string): Promise<Interaction>;
  startRecording(id: string): Promise<Interaction>;
  stopRecording(id: string): Promise<Interaction>;
}

/** What a control resolves with: the Webex AgentContact message around the task's data. */
export interface TaskResponse {
  readonly type: string;
  readonly orgId: string;
  readonly trackingId: string;
  readonly data: TaskData;
}

export class Task extends EventEmitter {
  data: TaskData;
  /** Webex keeps task → call ids here; Parley's station carries every call, so it is the interaction id. */
  readonly webCallMap: Record<string, string> = {};
  readonly #host: TaskHost;

  constructor(host: TaskHost, data: TaskData) {
    super();
    this.#host = host;
    this.data = data;
    this.webCallMap[data.interactionId] = data.interactionId;
  }

  /** Also on the task itself, as some Webex examples read it. */
  get interactionId(): string {
    return this.data.interactionId;
  }

  /** Merges (or with `shouldOverwrite`, replaces) the task's data; returns the task. */
  updateTaskData(newData: TaskData, shouldOverwrite = false): this {
    this.data = shouldOverwrite ? newData : { ...this.data, ...newData };
    return this;
  }

  accept(): Promise<TaskResponse> {
    return this.#run('accept', 'task:acceptFailed', (a, id) => a.accept(id));
  }
  decline(): Promise<TaskResponse> {
    return this.#run('decline', 'task:declineFailed', (a, id) => a.reject(id));
  }
  hold(): Promise<TaskResponse> {
    return this.#run('hold', 'task:holdFailed', (a, id) => a.hold(id));
  }
  resume(): Promise<TaskResponse> {
    return this.#run('resume', 'task:resumeFailed', (a, id) => a.unhold(id));
  }
  /** Mutes the agent in the call (on the server, so recordings and the customer hear silence), or unmutes. */
  toggleMute(): Promise<TaskResponse> {
    const muted = this.data.isWebCallMute;
    return this.#run('toggleMute', 'task:muteFailed', (a, id) => (muted ? a.unmute(id) : a.mute(id)));
  }
  end(): Promise<TaskResponse> {
    return this.#run('end', 'task:endFailed', (a, id) => a.hangup(id));
  }

  /** Ends wrap-up with a wrap-up code (`auxCodeId`: its id, or its code or name in any case) and notes. */
  wrapup(payload: { wrapUpReason?: string; auxCodeId?: string } = {}): Promise<TaskResponse> {
    const { auxCodeId, wrapUpReason } = payload ?? {};
    let code: string | undefined;
    if (auxCodeId !== undefined && auxCodeId !== '') {
      const found = this.#host.wrapUpCode(auxCodeId);
      if (!found)
        return this.#host.refuse(
          this,
          'wrapup',
          'task:wrapupFailed',
          `auxCodeId ${JSON.stringify(auxCodeId)} is not a wrap-up code; use an id from cc.agentConfig.wrapupCodes.`,
        );
      code = found;
    }
    const notes = typeof wrapUpReason === 'string' && wrapUpReason !== '' ? wrapUpReason.slice(0, 2000) : undefined;
    return this.#run('wrapup', 'task:wrapupFailed', (a, id) =>
      a.wrapUp({ ...(code ? { code } : {}), ...(notes ? { notes } : {}) }, id),
    );
  }

  pauseRecording(): Promise<TaskResponse> {
    return this.#run('pauseRecording', 'task:recordingPauseFailed', (a, id) => a.stopRecording(id));
  }
  resumeRecording(_payload: { autoResumed?: boolean } = {}): Promise<TaskResponse> {
    return this.#run('resumeRecording', 'task:recordingResumeFailed', (a, id) => a.startRecording(id));
  }

  /** Consults an agent, a queue or a number (`destinationType` `agent`, `queue`, `dialNumber`, any case). */
  async consult(payload: { to?: string; destinationType?: string; holdParticipants?: boolean }): Promise<TaskResponse> {
    const to = targetOf(payload?.to, payload?.destinationType);
    if (!to) return this.#refuseTarget('consult', 'task:consultFailed');
    const response = await this.#run('consult', 'task:consultFailed', (a, id) => a.consult(to, id));
    this.emit('task:consultCreated', this);
    return response;
  }

  /** Ends the consultation: the consulting agent takes the customer back; the consulted agent leaves. */
  endConsult(_payload: { isConsult?: boolean; taskId?: string; queueId?: string } = { isConsult: true, taskId: '' }) {
    if (this.data.isConsulted) return this.#run('endConsult', 'task:consultEndFailed', (a, id) => a.hangup(id));
    return this.#run('endConsult', 'task:consultEndFailed', (a, id) => a.cancelConsult(id));
  }

  /** Completes a consultative transfer: the customer stays with the consulted party, this agent wraps up. */
  consultTransfer(_payload?: { to?: string; destinationType?: string }): Promise<TaskResponse> {
    return this.#run('consultTransfer', 'task:consultTransferFailed', (a, id) => a.join(id));
  }

  /** Turns the consultation into a conference of customer, agent and consulted party. */
  consultConference(): Promise<TaskResponse> {
    return this.#run('consultConference', 'task:conferenceFailed', (a, id) => a.conference(id));
  }

  /** Blind transfer to an agent, a queue or a number. */
  transfer(payload: { to?: string; destinationType?: string }): Promise<TaskResponse> {
    const to = targetOf(payload?.to, payload?.destinationType);
    if (!to) return this.#refuseTarget('transfer', 'task:transferFailed');
    return this.#run('transfer', 'task:transferFailed', (a, id) => a.transfer(to, id));
  }

  #refuseTarget(operation: string, failEvent: string): Promise<never> {
    return this.#host.refuse(
      this,
      operation,
      failEvent,
      `${operation} needs {to, destinationType}: destinationType 'agent', 'queue' or 'dialNumber' and to an id, address or number.`,
    );
  }

  #run(
    operation: string,
    failEvent: string,
    call: (agent: TaskAgent, id: string) => Promise<Interaction>,
  ): Promise<TaskResponse> {
    return this.#host.run(this, operation, failEvent, () => call(this.#host.agent, this.data.interactionId));
  }
}
