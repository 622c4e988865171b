/**
 * Simulator scenarios (bench/scenarios/*.json): who works, who arrives, how
 * fast and how patient. Pure: parsing and validation with messages that name
 * the field to fix.
 */

/** A range of seconds `[min, max]`; a value is drawn uniformly from it. */
export type Range = readonly [number, number];

export interface ChannelTraffic {
  /** Mean arrivals per second (Poisson). */
  readonly perSecond: number;
  /** Messages the customer writes (chat), drawn from the range. */
  readonly messages: Range;
  /** Seconds between a customer's messages. */
  readonly thinkSeconds: Range;
  /** A waiting chat customer gives up after this many seconds. */
  readonly patienceSeconds: number;
}

/** Calls to a queue number over the virtual PSTN, with real audio (werift softphones). */
export interface CallTraffic {
  /** Mean arrivals per second (Poisson). */
  readonly perSecond: number;
  /** Seconds the caller talks once answered, then hangs up. */
  readonly talkSeconds: Range;
  /** A caller still waiting after this many seconds hangs up (abandons). */
  readonly patienceSeconds: number;
}

export type SimChannel = 'chat' | 'sms' | 'email' | 'call';

export interface Scenario {
  readonly name: string;
  /** Seconds of arrivals; then the run drains (up to `drainSeconds`) and stops. */
  readonly durationSeconds: number;
  readonly drainSeconds: number;
  readonly agents: {
    /** Agent bots created as `sim-agent-N` (admin credentials needed), serving `queues`. */
    readonly count: number;
    readonly queues: readonly string[];
    readonly acceptAfterSeconds: Range;
    readonly replyAfterSeconds: Range;
    /** Replies per conversation before the agent ends it. */
    readonly replies: Range;
    readonly wrapupSeconds: Range;
    readonly wrapupCode: string;
    /** Share of calls the bot holds once, for `holdSeconds`. */
    readonly holdRatio: number;
    readonly holdSeconds: Range;
    /** Share of contacts the first bot transfers back to their queue (another bot takes over). */
    readonly transferRatio: number;
  };
  readonly customers: Readonly<Partial<Record<'chat' | 'sms' | 'email', ChannelTraffic>>> & {
    readonly call?: CallTraffic;
  };
}

export class ScenarioError extends Error {
  readonly code = 'invalid_scenario';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(o: Json, key: string, where: string, fallback: number, min: number, max: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw new ScenarioError(`${where}.${key}: expected a number from ${min} to ${max}`);
  return v;
}

function range(o: Json, key: string, where: string, fallback: Range, max = 3600): Range {
  const v = o[key] ?? fallback;
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= max) ||
    (v[0] as number) > (v[1] as number)
  )
    throw new ScenarioError(`${where}.${key}: expected [min, max] seconds, 0 ≤ min ≤ max ≤ ${max}`);
  return [v[0] as number, v[1] as number];
}

/** Reads a scenario from parsed JSON; throws {@link ScenarioError} naming the first bad field. */
export function parseScenario(input: unknown): Scenario {
  if (!isObject(input)) throw new ScenarioError('scenario: expected a JSON object');
  const agents = input['agents'] ?? {};
  if (!isObject(agents)) throw new ScenarioError('agents: expected an object');
  const queues = agents['queues'];
  if (!Array.isArray(queues) || queues.length === 0 || !queues.every((q) => typeof q === 'string' && q !== ''))
    throw new ScenarioError('agents.queues: expected the names of the queues the bots serve');
  const customers = input['customers'];
  if (!isObject(customers) || Object.keys(customers).length === 0)
    throw new ScenarioError('customers: expected traffic for at least one of chat, sms, email, call');
  const traffic: { -readonly [K in keyof Scenario['customers']]: Scenario['customers'][K] } = {};
  for (const [channel, value] of Object.entries(customers)) {
    if (channel !== 'chat' && channel !== 'sms' && channel !== 'email' && channel !== 'call')
      throw new ScenarioError(`customers.${channel}: the simulator drives chat, sms, email and call`);
    if (!isObject(value)) throw new ScenarioError(`customers.${channel}: expected an object`);
    const where = `customers.${channel}`;
    const perSecond = num(value, 'per_second', where, NaN, 0.001, 1000);
    const patienceSeconds = num(value, 'patience_s', where, 120, 1, 3600);
    if (channel === 'call') {
      traffic.call = { perSecond, talkSeconds: range(value, 'talk_s', where, [5, 20]), patienceSeconds };
      continue;
    }
    traffic[channel] = {
      perSecond,
      messages: range(value, 'messages', where, [1, 3], 100),
      thinkSeconds: range(value, 'think_s', where, [1, 3]),
      patienceSeconds,
    };
  }
  const name = input['name'] ?? 'scenario';
  if (typeof name !== 'string') throw new ScenarioError('name: expected a string');
  const code = agents['wrapup_code'] ?? 'resolved';
  if (typeof code !== 'string') throw new ScenarioError('agents.wrapup_code: expected a wrap-up code');
  return {
    name,
    durationSeconds: num(input, 'duration_s', 'scenario', 60, 1, 24 * 3600),
    drainSeconds: num(input, 'drain_s', 'scenario', 60, 0, 3600),
    agents: {
      count: num(agents, 'count', 'agents', 5, 1, 5000),
      queues,
      acceptAfterSeconds: range(agents, 'accept_after_s', 'agents', [0.5, 2]),
      replyAfterSeconds: range(agents, 'reply_after_s', 'agents', [1, 3]),
      replies: range(agents, 'replies', 'agents', [1, 3], 100),
      wrapupSeconds: range(agents, 'wrapup_s', 'agents', [0.5, 2]),
      wrapupCode: code,
      holdRatio: num(agents, 'hold_ratio', 'agents', 0, 0, 1),
      holdSeconds: range(agents, 'hold_s', 'agents', [2, 5]),
      transferRatio: num(agents, 'transfer_ratio', 'agents', 0, 0, 1),
    },
    customers: traffic,
  };
}

/** A value drawn uniformly from a range. */
export function draw([min, max]: Range, random: () => number = Math.random): number {
  return min + (max - min) * random();
}

/** Seconds until the next Poisson arrival at `perSecond`. */
export function nextArrival(perSecond: number, random: () => number = Math.random): number {
  return -Math.log(1 - random()) / perSecond;
}
