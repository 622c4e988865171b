/**
 * `webex.cc`: the Webex Contact Center plugin on Parley's headless agent
 * client. Every method is one or a few Parley calls, mapped as
 * docs/dialects/webex.md describes; failures reject with a
 * ContactCenterError (Parley's code, a message that says what to fix, a
 * trackingId) and emit the matching `*Failed` event.
 */
import { Agent, requestId } from '@parley/agent';
import type { Interaction, Queue, User } from '@parley/protocol';
import { ContactCenterError, toContactCenterError } from './errors.ts';
import { EventEmitter } from './events.ts';
import { buddiesOf, deviceProblem, queuePage, type Directory } from './directory.ts';
import { ClientLog } from './log.ts';
import {
  BUDDY_MEDIA,
  findCode,
  profileOf,
  stateChangeOf,
  subStatusOf,
  taskDataOf,
  type Code,
  type LoginOption,
  type Profile,
  type WireTeam,
} from './mapping.ts';
import type { Task, TaskHost, TaskResponse } from './task.ts';
import { TaskManager } from './task-manager.ts';

/** Where the plugin gets its server and token from (the Webex object). */
export interface Credentials {
  readonly baseUrl: string;
  readonly token: () => string | undefined;
  readonly getToken: (() => Promise<string>) | undefined;
}

export class ContactCenter extends EventEmitter {
  /** The plugin's namespace in the Webex SDK. */
  readonly namespace = 'ContactCenter';
  /** The agent's profile once registered (what register() resolved with, kept current). */
  agentConfig: Profile | undefined;
  /** The plugin's logger: what it writes goes into the log uploadLogs() sends. */
  readonly LoggerProxy = {
    log: (message: string) => this.#log.add('info', String(message)),
    info: (message: string) => this.#log.add('info', String(message)),
    warn: (message: string) => this.#log.add('warn', String(message)),
    error: (message: string) => this.#log.add('error', String(message)),
  };

  readonly #credentials: Credentials;
  readonly #log = new ClientLog();
  readonly #tasks: TaskManager;
  #agent: Agent | null = null;
  #offs: Array<() => void> = [];
  #teams: WireTeam[] = [];
  #idle: Code[] = [];
  #wrapUp: Code[] = [];
  #queues: Queue[] = [];
  #names = new Map<string, string>();
  #loginOption: LoginOption | undefined;
  #teamId: string | undefined;
  #trackingId = '';
  #lastState = '';

  constructor(credentials: Credentials) {
    super();
    this.#credentials = credentials;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the task host's getter reads the current agent
    const self = this;
    const host: TaskHost = {
      run: (task, operation, failEvent, call) => this.#taskOp(task, operation, failEvent, call),
      refuse: (task, operation, failEvent, message) =>
        this.#op(
          operation,
          failEvent,
          () => Promise.reject(new ContactCenterError('invalid_argument', message, '', operation)),
          task,
        ),
      wrapUpCode: (wanted) => findCode(this.#wrapUp, wanted)?.code ?? null,
      get agent() {
        return self.#need();
      },
    };
    this.#tasks = new TaskManager(host, this, {
      agentId: () => this.#agent?.user.id ?? '',
      orgId: () => this.#credentials.baseUrl,
      trackingId: () => this.#trackingId,
    });
  }

  /** Parley's own client under the dialect (Parley's addition): chat messages, presence, everything Webex has no call for. */
  get parley(): Agent | null {
    return this.#agent;
  }

  /** The agent's open tasks (Parley's addition; Webex hosts keep their own list from task:incoming). */
  get tasks(): Task[] {
    return this.#tasks.list();
  }

  /** Connects to Parley with the token, loads the profile and follows the agent's tasks. */
  register(): Promise<Profile> {
    return this.#op('register', null, async () => {
      if (!this.#agent) await this.#connect();
      const agent = this.#need();
      const [teams, idle, wrapUp, queues, directory] = await Promise.all([
        agent.request('GET', 'api/v1/teams?mine=true') as Promise<WireTeam[]>,
        agent.request('GET', 'api/v1/reason-codes?kind=not_ready') as Promise<Code[]>,
        agent.request('GET', 'api/v1/reason-codes?kind=wrap_up') as Promise<Code[]>,
        agent.request('GET', 'api/v1/me/queues') as Promise<Queue[]>,
        agent.request('GET', 'api/v1/users') as Promise<Directory[]>,
      ]);
      this.#teams = teams;
      this.#idle = idle;
      this.#wrapUp = wrapUp;
      this.#queues = queues;
      this.#names = new Map(directory.map((d) => [d.id, d.display_name]));
      this.#refreshProfile();
      this.#tasks.follow(agent);
      // A reload in the middle of a call: the station comes back so the call is heard again.
      if (
        agent.interactions.some((i) => i.channel_type === 'phone' && (i.state === 'accepted' || i.state === 'held'))
      ) {
        this.#loginOption ??= 'BROWSER';
        await agent.audio.start().catch((err: unknown) => this.#log.add('warn', `audio after reload: ${String(err)}`));
      }
      return this.agentConfig as Profile;
    });
  }

  /** Closes the connection and forgets the tasks; the agent stays logged in (stationLogout logs out). */
  deregister(): Promise<void> {
    return this.#op('deregister', null, async () => {
      this.#tasks.clear();
      this.#detach();
      this.#agent?.close();
      this.#agent = null;
      this.agentConfig = undefined;
    });
  }

  /** Logs the agent in to a station: `BROWSER` (WebRTC in this page) works; desk phones need a SIP edge. */
  stationLogin(login: { teamId?: string; loginOption?: string; dialNumber?: string }): Promise<unknown> {
    return this.#op('stationLogin', 'agent:stationLoginFailed', async (trackingId) => {
      if (!this.agentConfig)
        throw new ContactCenterError('invalid_state', 'Call cc.register() first.', trackingId, 'stationLogin');
      const option = this.#checkDevice(login, 'stationLogin');
      // After a stationLogout the session is over: log in again with the credentials.
      if (!this.#agent) {
        await this.#connect();
        this.#tasks.follow(this.#need());
      }
      const agent = this.#need();
      await agent.audio.start();
      this.#loginOption = option;
      this.#teamId = login.teamId ?? this.#teams[0]?.id;
      this.#refreshProfile();
      const user = agent.user;
      const result = {
        type: 'AgentStationLoginSuccess',
        eventType: 'AgentDesktopMessage',
        agentId: user.id,
        orgId: this.#credentials.baseUrl,
        trackingId,
        teamId: this.#teamId ?? '',
        loginOption: option,
        deviceType: option,
        dn: login.dialNumber ?? '',
        status: 'LoggedIn',
        subStatus: subStatusOf(user),
        auxCodeId: this.agentConfig?.lastStateAuxCodeId ?? '',
        interactionIds: agent.interactions.map((i) => i.id),
        lastStateChangeTimestamp: this.agentConfig?.lastStateChangeTimestamp,
      };
      this.emit('agent:stationLoginSuccess', result);
      return result;
    });
  }

  /** Logs the agent out (the Parley session ends; a later stationLogin needs a token again). */
  stationLogout(logout: { logoutReason?: string } = {}): Promise<unknown> {
    return this.#op('stationLogout', 'agent:logoutFailed', async (trackingId) => {
      const agent = this.#need();
      const busy = agent.interactions.filter((i) => i.state !== 'wrap_up');
      if (busy.length > 0)
        throw new ContactCenterError(
          'invalid_state',
          `End your ${busy.length} task(s) first: an agent cannot log out in the middle of a contact.`,
          trackingId,
          'stationLogout',
        );
      const agentId = agent.user.id;
      this.#tasks.clear();
      this.#detach();
      this.#agent = null;
      await agent.logout();
      this.#loginOption = undefined;
      // agentConfig stays, so stationLogin can log in again; deregister forgets it.
      const result = {
        type: 'AgentLogoutSuccess',
        eventType: 'AgentDesktopMessage',
        agentId,
        orgId: this.#credentials.baseUrl,
        trackingId,
        status: 'LoggedOut',
        logoutReason: typeof logout?.logoutReason === 'string' ? logout.logoutReason.slice(0, 200) : '',
      };
      this.emit('agent:logoutSuccess', result);
      return result;
    });
  }

  /** Changes the device (only `BROWSER` exists until the SIP edge does) or the team. */
  updateAgentProfile(update: { loginOption?: string; dialNumber?: string; teamId?: string }): Promise<unknown> {
    return this.#op('updateAgentProfile', 'agent:updateDeviceTypeFailed', async (trackingId) => {
      const option = this.#checkDevice(
        { ...(this.#teamId ? { teamId: this.#teamId } : {}), ...update },
        'updateAgentProfile',
      );
      await this.#need().audio.start();
      this.#loginOption = option;
      if (update.teamId) this.#teamId = update.teamId;
      this.#refreshProfile();
      return {
        type: 'AgentDeviceTypeUpdateSuccess',
        trackingId,
        loginOption: option,
        deviceType: option,
        dialNumber: update.dialNumber ?? '',
        teamId: this.#teamId ?? '',
      };
    });
  }

  /** `Available`, or `Idle` with an idle code (its id, or its code or name in any case). */
  setAgentState(change: { state?: string; auxCodeId?: string; lastStateChangeReason?: string }): Promise<unknown> {
    return this.#op('setAgentState', 'agent:stateChangeFailed', async (trackingId) => {
      const agent = this.#need();
      const state = change?.state;
      let user: User;
      if (state === 'Available') user = await agent.setReady(true);
      else if (state === 'Idle') {
        const wanted = change.auxCodeId;
        const code = wanted === undefined || wanted === '' || wanted === '0' ? null : findCode(this.#idle, wanted);
        if (wanted && wanted !== '0' && !code)
          throw new ContactCenterError(
            'invalid_argument',
            `auxCodeId ${JSON.stringify(wanted)} is not an idle code; use an id from cc.agentConfig.idleCodes.`,
            trackingId,
            'setAgentState',
          );
        user = await agent.setReady(false, code?.code);
      } else
        throw new ContactCenterError(
          'invalid_argument',
          `state must be 'Available' or 'Idle', not ${JSON.stringify(state)}.`,
          trackingId,
          'setAgentState',
        );
      const reason = typeof change.lastStateChangeReason === 'string' ? change.lastStateChangeReason : undefined;
      const result = stateChangeOf(user, {
        orgId: this.#credentials.baseUrl,
        trackingId,
        names: this.#names,
        ...(reason ? { reason } : {}),
      });
      this.emit('agent:stateChangeSuccess', result);
      return result;
    });
  }

  /** Other agents to consult or transfer to: Available and Idle by default, or the one `state`. */
  getBuddyAgents(query: { mediaType?: string; state?: string } = {}): Promise<unknown> {
    return this.#op('getBuddyAgents', 'agent:buddyAgentsRetrieveFailed', async (trackingId) => {
      const agent = this.#need();
      const media = query?.mediaType ?? 'telephony';
      if (!BUDDY_MEDIA[media])
        throw new ContactCenterError(
          'invalid_argument',
          `mediaType must be one of ${Object.keys(BUDDY_MEDIA).join(', ')}.`,
          trackingId,
          'getBuddyAgents',
        );
      const directory = (await agent.request('GET', 'api/v1/users')) as Directory[];
      this.#names = new Map(directory.map((d) => [d.id, d.display_name]));
      const agentList = buddiesOf(directory, {
        me: agent.user.id,
        teams: this.#teams,
        siteId: this.#credentials.baseUrl,
        ...(query?.state ? { state: query.state } : {}),
      });
      return { type: 'BuddyAgents', trackingId, data: { agentList } };
    });
  }

  /** Queues to consult or transfer to, by name search, page by page. */
  getQueues(search?: string, _filter?: string, page = 0, pageSize = 100): Promise<unknown[]> {
    return this.#op('getQueues', null, async () => {
      const all = (await this.#need().request('GET', 'api/v1/queues')) as Queue[];
      return queuePage(all, search, page, pageSize);
    });
  }

  /** Calls a number; resolves with the call's task. */
  startOutdial(destination: string): Promise<Task> {
    return this.#op('startOutdial', 'task:outdialFailed', async (trackingId) => {
      if (typeof destination !== 'string' || !/^\+?[0-9 ()-]{2,36}$/.test(destination))
        throw new ContactCenterError(
          'invalid_argument',
          'destination must be a phone number (digits, an optional +), e.g. +15555550123.',
          trackingId,
          'startOutdial',
        );
      const interaction = await this.#need().callOut(destination.replace(/[\s()-]/g, ''));
      return this.#tasks.adopt(interaction);
    });
  }

  /** Sends the plugin's recent log (calls, outcomes, events; no secrets) to Parley, where admins read it. */
  uploadLogs(): Promise<unknown> {
    return this.#op('uploadLogs', null, async () => {
      const agent = this.#need();
      const stored = (await agent.request('POST', 'api/v1/client-logs', {
        client: 'webex-cc',
        entries: this.#log.entries(),
      })) as { id: string; tracking_id: string };
      return {
        trackingid: stored.tracking_id,
        trackingId: stored.tracking_id,
        feedbackId: stored.id,
        correlationId: stored.id,
        userId: agent.user.id,
        url: `${this.#credentials.baseUrl}api/v1/client-logs/${stored.id}`,
      };
    });
  }

  override emit(name: string, ...args: unknown[]): boolean {
    this.#log.add('info', `event ${name}`);
    return super.emit(name, ...args);
  }

  async #connect(): Promise<void> {
    const token = this.#credentials.token();
    const getToken = this.#credentials.getToken;
    const agent = await Agent.connect({
      baseUrl: this.#credentials.baseUrl,
      ...(token ? { token } : {}),
      ...(getToken ? { getToken } : {}),
    });
    this.#agent = agent;
    let wasDown = false;
    this.#offs = [
      agent.on('agent:user', (user) => void this.#stateChanged(user)),
      // What the socket said, for uploadLogs (ids and states, never content).
      agent.on('interaction:update', ({ event, interaction: i }) =>
        this.#log.add('info', `frame interaction ${event} ${i.id} ${i.channel_type} ${i.state}`),
      ),
      agent.on('multi_login', ({ active }) => {
        if (!active)
          this.emit('agent:multiLogin', {
            type: 'AgentMultiLoginCloseSession',
            agentId: agent.user.id,
            reason: 'Another client of this agent logged in to a station; it carries the calls now.',
          });
      }),
      agent.on('connection', (state) => {
        this.#log.add(state === 'online' ? 'info' : 'warn', `connection ${state}`);
        if (state === 'reconnecting') wasDown = true;
        if (state === 'online' && wasDown) {
          wasDown = false;
          this.emit('agent:reloginSuccess', { type: 'AgentReloginSuccess', agentId: agent.user.id, trackingId: '' });
        }
      }),
      agent.on('session:ended', () => {
        this.#tasks.clear();
        this.#detach();
        this.#agent = null;
        this.emit('agent:logoutSuccess', {
          type: 'AgentLogoutSuccess',
          agentId: agent.user.id,
          status: 'LoggedOut',
          logoutReason: 'The session ended (logged out elsewhere, by a supervisor, or the token expired).',
        });
      }),
    ];
  }

  #detach(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  async #stateChanged(user: User): Promise<void> {
    const by = user.state_changed_by;
    if (by && !this.#names.has(by)) {
      const directory = (await this.#agent?.request('GET', 'api/v1/users').catch(() => [])) as Directory[] | undefined;
      for (const d of directory ?? []) this.#names.set(d.id, d.display_name);
    }
    this.#refreshProfile();
    const change = stateChangeOf(user, { orgId: this.#credentials.baseUrl, trackingId: '', names: this.#names });
    // Webex's state is the agent's choice (and who made it); busy and wrap-up come with the tasks, not here.
    const key = `${change.status} ${change.subStatus} ${change.auxCodeId} ${change.changedById} ${change.lastStateChangeTimestamp}`;
    if (key === this.#lastState) return;
    this.#lastState = key;
    this.emit('agent:stateChange', change);
  }

  #refreshProfile(): void {
    const agent = this.#agent;
    if (!agent) return;
    this.agentConfig = profileOf({
      user: agent.user,
      orgId: this.#credentials.baseUrl,
      teams: this.#teams,
      idle: this.#idle,
      wrapUp: this.#wrapUp,
      queues: this.#queues,
      ...(this.#loginOption ? { deviceType: this.#loginOption } : {}),
      ...(this.#teamId ? { currentTeamId: this.#teamId } : {}),
    });
  }

  #checkDevice(login: { teamId?: string; loginOption?: string; dialNumber?: string }, operation: string): LoginOption {
    const problem = deviceProblem(login, this.#teams);
    if (problem) throw new ContactCenterError(problem.code, problem.message, this.#trackingId, operation);
    return login.loginOption as LoginOption;
  }

  #need(): Agent {
    if (!this.#agent)
      throw new ContactCenterError(
        'invalid_state',
        this.agentConfig ? 'The agent is logged out: call cc.stationLogin() again.' : 'Call cc.register() first.',
        '',
        'request',
      );
    return this.#agent;
  }

  /** One operation: a tracking id, a log line each way, failures mapped and emitted as `failEvent`. */
  async #op<T>(
    operation: string,
    failEvent: string | null,
    run: (trackingId: string) => Promise<T>,
    on: EventEmitter = this,
  ): Promise<T> {
    const trackingId = requestId('wx');
    this.#trackingId = trackingId;
    this.#log.add('info', `${operation} [${trackingId}]`);
    try {
      const result = await run(trackingId);
      this.#log.add('info', `${operation} ok [${trackingId}]`);
      return result;
    } catch (err) {
      const error = toContactCenterError(err, trackingId, operation);
      const mapped =
        error.trackingId === trackingId
          ? error
          : new ContactCenterError(error.code, error.message, trackingId, operation);
      this.#log.add('error', `${operation} failed: ${mapped.code}: ${mapped.message} [${trackingId}]`);
      if (failEvent) on.emit(failEvent, mapped);
      throw mapped;
    }
  }

  #taskOp(task: Task, operation: string, failEvent: string, call: () => Promise<Interaction>): Promise<TaskResponse> {
    return this.#op(
      operation,
      failEvent,
      async (trackingId) => {
        const interaction = await call();
        // A consult answers with the new consultation leg: the task keeps its own interaction.
        if (interaction.id === task.data.interactionId)
          task.updateTaskData(
            taskDataOf(interaction, {
              agentId: this.#agent?.user.id ?? '',
              orgId: this.#credentials.baseUrl,
              trackingId,
            }),
          );
        return { type: task.data.type, orgId: this.#credentials.baseUrl, trackingId, data: task.data };
      },
      task,
    );
  }
}
