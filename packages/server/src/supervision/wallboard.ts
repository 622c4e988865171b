/**
 * Today's numbers per queue and per agent, folded from milestones. Pure: the
 * service feeds it live milestones and rebuilds it from the stored events at
 * start, at midnight and when a threshold changes.
 */
import type { QueueDayStats } from '@parley/protocol';
import type { Milestone } from './milestones.ts';

/** The counters of one queue for the day. */
export interface QueueDay {
  offered: number;
  answered: number;
  answeredInSl: number;
  abandoned: number;
  overflowed: number;
  handled: number;
  /** Sum of the answered contacts' waits, ms. */
  waitMs: number;
  /** Sum of the abandoned contacts' waits, ms. */
  abandonWaitMs: number;
  /** Sum of the handled contacts' handle times, ms. */
  handleMs: number;
}

/** One agent's day. */
export interface AgentDay {
  answered: number;
  handled: number;
  handleMs: number;
}

const emptyQueue = (): QueueDay => ({
  offered: 0,
  answered: 0,
  answeredInSl: 0,
  abandoned: 0,
  overflowed: 0,
  handled: 0,
  waitMs: 0,
  abandonWaitMs: 0,
  handleMs: 0,
});

export class DayBoard {
  readonly #queues = new Map<string, QueueDay>();
  readonly #agents = new Map<string, AgentDay>();

  /**
   * @param dayStart the day's first instant (ms): milestones before it are not counted
   * @param slThresholdMs a queue's service-level threshold
   */
  constructor(
    readonly dayStart: number,
    private readonly slThresholdMs: (queueId: string) => number,
  ) {}

  add(m: Milestone): void {
    if (m.at < this.dayStart) return;
    let q = this.#queues.get(m.queueId);
    if (!q) this.#queues.set(m.queueId, (q = emptyQueue()));
    switch (m.kind) {
      case 'offered':
        q.offered += 1;
        return;
      case 'overflowed':
        q.overflowed += 1;
        return;
      case 'abandoned':
        q.abandoned += 1;
        q.abandonWaitMs += m.waitMs;
        return;
      case 'answered':
        q.answered += 1;
        q.waitMs += m.waitMs;
        if (m.waitMs <= this.slThresholdMs(m.queueId)) q.answeredInSl += 1;
        if (m.agentId) this.#agent(m.agentId).answered += 1;
        return;
      case 'handled': {
        q.handled += 1;
        q.handleMs += m.handleMs;
        if (m.agentId) {
          const a = this.#agent(m.agentId);
          a.handled += 1;
          a.handleMs += m.handleMs;
        }
        return;
      }
    }
  }

  queue(queueId: string): Readonly<QueueDay> {
    return this.#queues.get(queueId) ?? emptyQueue();
  }

  agent(agentId: string): Readonly<AgentDay> {
    return this.#agents.get(agentId) ?? { answered: 0, handled: 0, handleMs: 0 };
  }

  #agent(agentId: string): AgentDay {
    let a = this.#agents.get(agentId);
    if (!a) this.#agents.set(agentId, (a = { answered: 0, handled: 0, handleMs: 0 }));
    return a;
  }
}

/**
 * The wire form of a queue's day: the counters, the sums (so a reader adds
 * queues up, e.g. per channel) and the ratios. Service level is the share of
 * answered-within-threshold among contacts answered or abandoned; null while
 * there were none.
 */
export function dayStats(q: Readonly<QueueDay>): QueueDayStats {
  const decided = q.answered + q.abandoned;
  const avg = (sum: number, n: number) => (n === 0 ? null : Math.round(sum / n / 100) / 10);
  return {
    offered: q.offered,
    answered: q.answered,
    answered_in_sl: q.answeredInSl,
    abandoned: q.abandoned,
    overflowed: q.overflowed,
    handled: q.handled,
    wait_ms_total: q.waitMs,
    abandon_wait_ms_total: q.abandonWaitMs,
    handle_ms_total: q.handleMs,
    service_level: decided === 0 ? null : Math.round((q.answeredInSl / decided) * 1000) / 1000,
    asa_s: avg(q.waitMs, q.answered),
    aht_s: avg(q.handleMs, q.handled),
    avg_abandon_s: avg(q.abandonWaitMs, q.abandoned),
  };
}

/**
 * The first instant (ms) of the day `now` falls in, in an IANA time zone
 * (the tenant's `time_zone` setting; UTC when it has none or an unknown one).
 */
export function dayStartIn(now: number, timeZone: string | null): number {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : 'UTC';
  const parts = zoned(now, zone);
  const midnightUtc = Date.UTC(parts.year, parts.month - 1, parts.day);
  // The zone's offset at that midnight (two passes settle a change of offset during the day).
  let guess = midnightUtc - offsetMs(midnightUtc, zone);
  guess = midnightUtc - offsetMs(guess, zone);
  return guess;
}

function zoned(at: number, timeZone: string) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const get = (type: string) => Number(fmt.formatToParts(at).find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, ms. */
function offsetMs(at: number, timeZone: string): number {
  const p = zoned(at, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at / 1000) * 1000;
}

/** Whether Intl knows the time zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
