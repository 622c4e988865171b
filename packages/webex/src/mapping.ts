/**
 * Parley's objects as the Webex Contact Center SDK shapes them: the agent
 * `Profile`, `agent:stateChange` payloads and a task's `data`. Pure, so the
 * shapes are table-tested without a browser. Field names follow the Webex
 * JS SDK document (`../shared/seeds/webex-js-sdk.txt`); docs/dialects/webex.md
 * says where a value comes from in Parley.
 */
import type { ChannelType, Interaction, Queue, User } from '@parley/protocol';

export interface Entity {
  readonly id: string;
  readonly name: string;
  readonly isSystem: boolean;
  readonly isDefault: boolean;
}

export interface Team {
  readonly teamId: string;
  readonly teamName: string;
}

/** Reason codes as GET api/v1/reason-codes answers them. */
export interface Code {
  readonly id: string;
  readonly code: string;
  readonly label: string;
}

/** A team as GET api/v1/teams answers it. */
export interface WireTeam {
  readonly id: string;
  readonly name: string;
  readonly members: ReadonlyArray<{ readonly user_id: string; readonly supervisor: boolean }>;
}

/** Login options; only the browser station exists until Parley has a SIP edge. */
export const LOGIN_OPTIONS = ['AGENT_DN', 'EXTENSION', 'BROWSER'] as const;
export type LoginOption = (typeof LOGIN_OPTIONS)[number];

/** Webex's media types for Parley's channels. */
export const MEDIA_TYPE: Readonly<Record<ChannelType, string>> = {
  phone: 'telephony',
  chat: 'chat',
  email: 'email',
  sms: 'sms',
  whatsapp: 'whatsapp',
};

/** Webex's `mediaType` filter of getBuddyAgents, as Parley channels. */
export const BUDDY_MEDIA: Readonly<Record<string, readonly ChannelType[]>> = {
  telephony: ['phone'],
  chat: ['chat'],
  email: ['email'],
  social: ['sms', 'whatsapp'],
};

const entity = (c: Code, isDefault = false): Entity => ({ id: c.id, name: c.label, isSystem: false, isDefault });

/** The agent's profile, as `cc.register()` resolves it and `cc.agentConfig` keeps it. */
export function profileOf(input: {
  user: User;
  orgId: string;
  teams: readonly WireTeam[];
  idle: readonly Code[];
  wrapUp: readonly Code[];
  queues: readonly Queue[];
  deviceType?: LoginOption;
  currentTeamId?: string;
}) {
  const { user } = input;
  const idleCodes = input.idle.map((c) => entity(c));
  const wrapupCodes = input.wrapUp.map((c, i) => entity(c, i === 0));
  const canDial = input.queues.some((q) => q.type === 'phone' && q.addresses.length > 0);
  return {
    agentId: user.id,
    agentName: user.display_name,
    agentMailId: user.email,
    agentProfileID: 'parley',
    agentDbId: user.id,
    orgId: input.orgId,
    teams: input.teams.map((t): Team => ({ teamId: t.id, teamName: t.name })),
    defaultDn: '',
    dn: '',
    forceDefaultDn: false,
    forceDefaultDnForAgent: false,
    regexUS: '^\\+?1?[0-9]{10}$',
    regexOther: '^\\+?[0-9]{3,15}$',
    dialPlan: { type: 'adhoc', dialPlanEntity: [] },
    multimediaProfileId: 'parley',
    skillProfileId: '',
    siteId: input.orgId,
    enterpriseId: input.orgId,
    privacyShieldVisible: false,
    idleCodes,
    idleCodesList: idleCodes.map((c) => c.id),
    idleCodesAccess: 'ALL' as const,
    organizationIdleCodes: idleCodes,
    wrapupCodes,
    defaultWrapupCode: wrapupCodes[0]?.id ?? '',
    agentDefaultWrapUpCode: wrapupCodes[0] ? { id: wrapupCodes[0].id, name: wrapupCodes[0].name } : undefined,
    wrapUpData: {
      wrapUpProps: {
        autoWrapup: true,
        lastAgentRoute: false,
        wrapUpReasonList: wrapupCodes,
        wrapUpCodesList: wrapupCodes.map((c) => c.id),
        idleCodesAccess: 'ALL' as const,
        allowCancelAutoWrapup: false,
      },
    },
    isOutboundEnabledForTenant: true,
    isOutboundEnabledForAgent: canDial,
    isAdhocDialingEnabled: canDial,
    isAgentAvailableAfterOutdial: false,
    isCampaignManagementEnabled: false,
    outDialEp: '',
    isEndCallEnabled: true,
    isEndConsultEnabled: true,
    allowConsultToQueue: true,
    agentPersonalStatsEnabled: false,
    isCallMonitoringEnabled: false,
    isMidCallMonitoringEnabled: false,
    isBargeInEnabled: false,
    isManagedTeamsEnabled: user.rights.includes('supervisor'),
    isManagedQueuesEnabled: user.rights.includes('supervisor'),
    isSendMessageEnabled: true,
    isAgentStateChangeEnabled: user.rights.includes('supervisor'),
    isSignOutAgentsEnabled: user.rights.includes('supervisor'),
    isTimeoutDesktopInactivityEnabled: false,
    isAnalyzerEnabled: false,
    tenantTimezone: 'UTC',
    loginVoiceOptions: ['BROWSER'] as LoginOption[],
    deviceType: input.deviceType,
    currentTeamId: input.currentTeamId,
    webRtcEnabled: true,
    isRecordingManagementEnabled: true,
    lostConnectionRecoveryTimeout: 120_000,
    maskSensitiveData: false,
    isAgentLoggedIn: user.work_status !== 'offline',
    lastStateAuxCodeId: auxCodeOf(user),
    lastStateChangeTimestamp: timestampOf(user.state_changed_at),
    lastIdleCodeChangeTimestamp: timestampOf(user.state_changed_at),
  };
}
export type Profile = ReturnType<typeof profileOf>;

/** `Available` while ready for contacts, else `Idle` (with the not-ready reason as the idle code). */
export function subStatusOf(user: User): 'Available' | 'Idle' {
  return user.ready === true || user.work_status === 'ready' ? 'Available' : 'Idle';
}

/** The idle code of the agent's state: `'0'` for Available (as the Webex examples send), else the reason id. */
export function auxCodeOf(user: User): string {
  return subStatusOf(user) === 'Available' ? '0' : (user.not_ready_reason ?? '');
}

function timestampOf(iso: string | null | undefined): number | undefined {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/**
 * An `agent:stateChange` payload (also what setAgentState resolves with):
 * who changed it (`changedBy…`: the agent, or the supervisor who forced it)
 * and Parley's own `workStatus` (busy and wrap-up, which Webex shows elsewhere).
 */
export function stateChangeOf(
  user: User,
  input: { orgId: string; trackingId: string; names: ReadonlyMap<string, string>; reason?: string },
) {
  const byId = user.state_changed_by ?? user.id;
  const subStatus = subStatusOf(user);
  return {
    type: 'AgentStateChangeSuccess',
    eventType: 'AgentDesktopMessage',
    agentId: user.id,
    orgId: input.orgId,
    trackingId: input.trackingId,
    status: user.work_status === 'offline' ? 'LoggedOut' : 'LoggedIn',
    subStatus,
    state: subStatus,
    auxCodeId: auxCodeOf(user),
    workStatus: user.work_status,
    lastStateChangeTimestamp: timestampOf(user.state_changed_at),
    lastIdleCodeChangeTimestamp: timestampOf(user.state_changed_at),
    lastStateChangeReason: input.reason ?? (user.state_changed_by ? 'changed by a supervisor' : ''),
    changedBy: byId === user.id ? 'self' : 'supervisor',
    changedById: byId,
    changedByName: byId === user.id ? user.display_name : (input.names.get(byId) ?? byId),
  };
}
export type StateChange = ReturnType<typeof stateChangeOf>;

/** Webex's interaction state for Parley's. */
export function interactionStateOf(i: Interaction): string {
  switch (i.state) {
    case 'incoming':
    case 'alerting':
    case 'outgoing':
      return 'new';
    case 'accepted':
      return i.conference ? 'conference' : i.consultation_of ? 'consulting' : 'connected';
    case 'held':
      return 'hold';
    case 'ended':
    case 'wrap_up':
      return 'wrapUp';
    default:
      return 'ended';
  }
}

/** A task's `data`: the Webex AgentContact fields, and Parley's own interaction as `parley`. */
export function taskDataOf(i: Interaction, input: { agentId: string; orgId: string; trackingId: string }) {
  const mediaType = MEDIA_TYPE[i.channel_type];
  const inbound = i.direction === 'inbound';
  const customer = i.remote_address;
  const owner = i.agent_id ?? '';
  const ronaMs = i.offer_expires ? Date.parse(i.offer_expires) - Date.now() : NaN;
  const ronaTimeout = Number.isFinite(ronaMs) ? Math.max(0, Math.round(ronaMs / 1000)) : undefined;
  return {
    interactionId: i.id,
    mediaResourceId: i.id,
    agentId: input.agentId,
    destAgentId: owner,
    owner,
    orgId: input.orgId,
    trackingId: input.trackingId,
    eventType: 'RoutingMessage',
    type: typeOf(i),
    queueMgr: 'parley',
    queueName: i.queue_name ?? undefined,
    ronaTimeout,
    consultMediaResourceId: i.peer_id ?? '',
    isConsulted: i.consultation_of !== undefined && inbound,
    isConferencing: i.conference === true,
    isOnHold: i.held,
    isWebCallMute: i.muted,
    wrapUpRequired: i.state === 'wrap_up' || i.state === 'ended',
    interaction: {
      interactionId: i.id,
      orgId: input.orgId,
      mediaType,
      mediaChannel: mediaType,
      state: interactionStateOf(i),
      isTerminated: i.state === 'ended' || i.state === 'wrap_up' || interactionStateOf(i) === 'ended',
      isFcManaged: false,
      previousVTeams: [] as string[],
      currentVTeam: i.queue_id ?? '',
      owner,
      mainInteractionId: i.consultation_of ?? i.id,
      createdTimestamp: Date.parse(i.created),
      contactDirection: { type: inbound ? 'INBOUND' : 'OUTBOUND' },
      participants: {
        ...(owner ? { [owner]: { id: owner, pType: 'Agent', type: 'Agent', hasJoined: i.state !== 'alerting' } } : {}),
        [customer]: { id: customer, pType: 'Customer', type: 'Customer', hasJoined: true },
      },
      media: {
        [i.id]: {
          mediaResourceId: i.id,
          mediaType,
          mediaMgr: 'parley',
          participants: [customer, ...(owner ? [owner] : [])],
          mType: i.consultation_of ? 'consult' : 'mainCall',
          isHold: i.held,
          holdTimestamp: null,
        },
      },
      callAssociatedDetails: {
        ani: customer,
        dn: i.local_address,
        virtualTeamName: i.queue_name ?? '',
        ...(i.subject ? { subject: i.subject } : {}),
      },
      callProcessingDetails: {
        ani: customer,
        displayAni: customer,
        dnis: i.local_address,
        customerNumber: customer,
        fromAddress: customer,
        QueueId: i.queue_id ?? '',
        QMgrName: 'parley',
        virtualTeamName: i.queue_name ?? '',
        ronaTimeout: ronaTimeout === undefined ? '' : String(ronaTimeout),
        isConferencing: String(i.conference === true),
        recordInProgress: String(i.recording),
        isPaused: String(!i.recording),
        pauseResumeEnabled: String(i.channel_type === 'phone'),
        ...(i.consultation_of ? { parentInteractionId: i.consultation_of, relationshipType: 'consult' } : {}),
      },
      callFlowParams: {},
    },
    parley: i,
  };
}
export type TaskData = ReturnType<typeof taskDataOf>;

function typeOf(i: Interaction): string {
  if (i.state === 'alerting' || i.state === 'incoming')
    return i.consultation_of ? 'AgentOfferConsult' : 'AgentOfferContact';
  if (i.state === 'outgoing') return 'AgentOutboundContact';
  if (i.state === 'held') return 'AgentContactHeld';
  if (i.state === 'ended' || i.state === 'wrap_up') return 'AgentWrapup';
  if (i.state === 'accepted') return i.consultation_of ? 'AgentConsulting' : 'AgentContactAssigned';
  return 'AgentContactEnded';
}

/** Webex's destination types (`DESTINATION_TYPE`), any case, as a Parley target. */
export function targetOf(
  to: unknown,
  destinationType: unknown,
): { queue_id: string } | { agent_id: string } | { number: string } | { address: string } | null {
  if (typeof to !== 'string' || to.trim() === '') return null;
  const kind = typeof destinationType === 'string' ? destinationType.toLowerCase() : '';
  const value = to.trim();
  const hex = /^[0-9a-f]{32}$/.test(value);
  if (kind === 'queue') return hex ? { queue_id: value } : { address: value };
  if (kind === 'agent') return hex ? { agent_id: value } : { address: value };
  if (kind === 'dialnumber' || kind === 'entrypoint') return { number: value };
  return null;
}

/** Finds a code by id, or by its code or label in any case (`'RESOLVED'` finds `resolved`). */
export function findCode(codes: readonly Code[], wanted: unknown): Code | null {
  if (typeof wanted !== 'string' || wanted === '') return null;
  const w = wanted.toLowerCase();
  return (
    codes.find((c) => c.id === wanted) ??
    codes.find((c) => c.code.toLowerCase() === w || c.label.toLowerCase() === w) ??
    null
  );
}
