/**
 * `parley simulate`: realistic traffic against a running Parley server, over
 * its public interfaces only. Agent bots log in, go ready, accept offers,
 * answer, end and wrap up with a code; customers arrive (Poisson) by web
 * chat (REST + customer WebSocket), SMS (the demo handset, so demo mode) and
 * email (SMTP), write, wait, and give up when their patience runs out.
 * Progress goes to a callback every second; the run ends with a summary.
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import WebSocket from 'ws';
import { draw, nextArrival, type Scenario } from './scenario.ts';

export interface SimulateOptions {
  /** The server's (tenant's) base URL, ending in `/`. */
  readonly baseUrl: string;
  readonly admin: { readonly username: string; readonly password: string };
  /** The inbound SMTP port (for email customers). */
  readonly smtpPort?: number;
  readonly smtpHost?: string;
  /** Called about every second. */
  readonly onProgress?: (p: Progress) => void;
  /** Seconds → ms; tests may speed time up. */
  readonly timeScale?: number;
}

export interface Progress {
  readonly elapsedSeconds: number;
  readonly arrivals: number;
  readonly waiting: number;
  readonly handled: number;
  readonly abandoned: number;
  readonly errors: number;
  readonly waitP50: number | null;
  readonly waitP99: number | null;
}

export interface Summary {
  readonly scenario: string;
  readonly durationSeconds: number;
  readonly agents: number;
  readonly arrivals: Record<'chat' | 'sms' | 'email' | 'total', number>;
  readonly handled: number;
  readonly abandoned: number;
  /** Arrived but neither handled nor abandoned when the drain time ran out. */
  readonly unfinished: number;
  readonly messages: { readonly customer: number; readonly agent: number };
  readonly waitSeconds: { readonly p50: number | null; readonly p99: number | null; readonly max: number | null };
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frames are read structurally
type Frame = any;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: readonly number[], q: number): number | null =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null) : null;

class Stats {
  arrivals = { chat: 0, sms: 0, email: 0 };
  handled = 0;
  abandoned = 0;
  customerMessages = 0;
  agentMessages = 0;
  waits: number[] = [];
  errors = 0;
  samples: string[] = [];
  get total() {
    return this.arrivals.chat + this.arrivals.sms + this.arrivals.email;
  }
  error(what: string) {
    this.errors += 1;
    if (this.samples.length < 10) this.samples.push(what);
  }
}

export async function simulate(scenario: Scenario, options: SimulateOptions): Promise<Summary> {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const scale = options.timeScale ?? 1;
  const s = (seconds: number) => seconds * 1000 * scale;
  const stats = new Stats();
  let stopping = false;

  const call = async (token: string | null, method: string, path: string, body?: unknown): Promise<Frame> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok)
      throw Object.assign(new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`), { status: res.status });
    return text ? JSON.parse(text) : null;
  };
  const login = async (username: string, password: string) =>
    (await call(null, 'POST', 'api/v1/auth/login', { username, password })) as { token: string; user: { id: string } };

  // ── set-up: the queues, and agent bots that serve them ───────────────────
  const admin = await login(options.admin.username, options.admin.password);
  const queues = (await call(admin.token, 'GET', 'api/v1/queues')) as Array<{
    id: string;
    name: string;
    type: string;
    addresses: Array<{ address: string }>;
  }>;
  const served = scenario.agents.queues.map((name) => {
    const q = queues.find((x) => x.name === name);
    if (!q)
      throw new Error(
        `agents.queues: no queue named ${JSON.stringify(name)} (there are: ${queues.map((x) => x.name).join(', ')})`,
      );
    return q;
  });
  const addressOf = (channel: string) => {
    const q = served.find((x) => x.type === channel && x.addresses[0]);
    if (!q) throw new Error(`customers.${channel}: none of agents.queues is a ${channel} queue with an address`);
    return q.addresses[0]?.address ?? '';
  };
  const targets = Object.fromEntries(Object.keys(scenario.customers).map((c) => [c, addressOf(c)]));

  const run = randomBytes(3).toString('hex');
  const password = randomBytes(12).toString('base64url');
  const bots: Array<{ ws: WebSocket; token: string }> = [];
  for (let i = 1; i <= scenario.agents.count; i++) {
    const username = `sim-${run}-${i}`;
    const user = await call(admin.token, 'POST', 'api/v1/users', {
      username,
      display_name: `Sim Agent ${i}`,
      email: `${username}@sim.parley.local`,
      role: 'agent',
      password,
    });
    for (const q of served)
      await call(admin.token, 'PUT', `api/v1/queues/${q.id}/members/${user.id}`, { can_serve: true, proficiency: 3 });
    const { token } = await login(username, password);
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}ws/agent`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (raw) => {
      const frame: Frame = JSON.parse(String(raw));
      if (frame.type === 'interaction' && frame.data.event === 'offered') void work(token, frame.data.interaction);
    });
    ws.on('error', () => undefined);
    bots.push({ ws, token });
    await call(token, 'PUT', 'api/v1/me/state', { ready: true });
  }

  /** One offer, from accept to wrap-up. */
  const work = async (token: string, interaction: Frame) => {
    const id = interaction.id as string;
    try {
      await sleep(s(draw(scenario.agents.acceptAfterSeconds)));
      try {
        await call(token, 'POST', `api/v1/interactions/${id}/actions`, { action: 'accept' });
      } catch (err) {
        // The customer left, or the offer timed out: not this bot's to finish.
        if ((err as { status?: number }).status === 409) return;
        throw err;
      }
      stats.waits.push((Date.now() - Date.parse(interaction.created)) / 1000);
      const replies = Math.round(draw(scenario.agents.replies));
      for (let n = 0; n < replies; n++) {
        await sleep(s(draw(scenario.agents.replyAfterSeconds)));
        const content = `Reply ${n + 1} from the simulator.`;
        const body =
          interaction.channel_type === 'email'
            ? { content, subject: `Re: ${interaction.subject ?? 'your mail'}` }
            : { content };
        try {
          await call(token, 'POST', `api/v1/interactions/${id}/messages`, body);
          stats.agentMessages += 1;
        } catch (err) {
          if ((err as { status?: number }).status === 409) break; // the customer ended it
          throw err;
        }
      }
      await call(token, 'POST', `api/v1/interactions/${id}/actions`, { action: 'hangup' }).catch(
        (err: { status?: number }) => {
          if (err.status !== 409) throw err;
        },
      );
      await sleep(s(draw(scenario.agents.wrapupSeconds)));
      await call(token, 'POST', `api/v1/interactions/${id}/actions`, {
        action: 'handle',
        code: scenario.agents.wrapupCode,
      });
      stats.handled += 1;
    } catch (err) {
      stats.error(err instanceof Error ? err.message : String(err));
    }
  };

  // ── customers ─────────────────────────────────────────────────────────────
  let customerSeq = 0;
  const chatCustomer = async () => {
    const traffic = scenario.customers.chat;
    if (!traffic) return;
    const n = ++customerSeq;
    try {
      const { token } = await call(null, 'POST', 'api/v1/chat', {
        name: `Sim Customer ${n}`,
        address: targets['chat'],
      });
      stats.arrivals.chat += 1;
      const ws = new WebSocket(`${base.replace(/^http/, 'ws')}ws/customer`, ['parley.v1', `parley.customer.${token}`]);
      let state = 'waiting';
      let req = 0;
      const closed = new Promise<void>((resolve) => {
        ws.on('message', (raw) => {
          const f: Frame = JSON.parse(String(raw));
          if (f.type === 'state' || f.type === 'hello')
            state = f.type === 'hello' ? f.data.conversation.state : f.data.state;
          if (state === 'closed') resolve();
        });
        ws.on('close', () => resolve());
      });
      ws.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const send = (content: string) => {
        ws.send(
          JSON.stringify({ id: `c${++req}`, type: 'send', data: { content, client_message_id: `sim-${n}-${req}` } }),
        );
        stats.customerMessages += 1;
      };
      send('Hello, I have a question.');
      const deadline = Date.now() + s(traffic.patienceSeconds);
      while (state === 'waiting' && Date.now() < deadline && !stopping) await sleep(Math.min(200, s(0.2)));
      if (state === 'waiting') {
        ws.send(JSON.stringify({ id: 'end', type: 'end', data: null }));
        stats.abandoned += 1;
        await Promise.race([closed, sleep(2000)]);
        ws.close();
        return;
      }
      const more = Math.round(draw(traffic.messages)) - 1;
      for (let k = 0; k < more && state === 'connected'; k++) {
        await sleep(s(draw(traffic.thinkSeconds)));
        if (state === 'connected') send(`Follow-up ${k + 1}.`);
      }
      await closed;
      ws.close();
    } catch (err) {
      stats.error(`chat customer: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const smsCustomer = async () => {
    const n = ++customerSeq;
    try {
      await call(null, 'POST', 'demo/handset/messages', {
        from: `+4917${String(100_000_000 + (Date.now() % 100_000) * 1000 + (n % 1000)).slice(0, 9)}`,
        to: targets['sms'],
        body: `Hello from simulated handset ${n}.`,
      });
      stats.arrivals.sms += 1;
      stats.customerMessages += 1;
    } catch (err) {
      stats.error(`sms customer: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const smtp =
    scenario.customers.email && options.smtpPort
      ? nodemailer.createTransport({
          host: options.smtpHost ?? '127.0.0.1',
          port: options.smtpPort,
          secure: false,
          ignoreTLS: true,
          pool: true,
        })
      : null;
  if (scenario.customers.email && !smtp) throw new Error('customers.email: give the inbound SMTP port (--smtp-port)');
  const emailCustomer = async () => {
    const n = ++customerSeq;
    try {
      await smtp?.sendMail({
        from: `sim-customer-${run}-${n}@example.com`,
        to: targets['email'],
        subject: `Simulated request ${n}`,
        text: 'Hello, please help me with my order.',
      });
      stats.arrivals.email += 1;
      stats.customerMessages += 1;
    } catch (err) {
      stats.error(`email customer: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  // ── the run ───────────────────────────────────────────────────────────────
  // The clock starts once the bots are ready: setting them up (password hashing) takes its own time.
  const started = Date.now();
  const customersRunning: Array<Promise<void>> = [];
  const arrive = async (channel: 'chat' | 'sms' | 'email', perSecond: number) => {
    const end = started + s(scenario.durationSeconds);
    for (;;) {
      await sleep(s(nextArrival(perSecond)));
      if (Date.now() >= end || stopping) return;
      customersRunning.push(channel === 'chat' ? chatCustomer() : channel === 'sms' ? smsCustomer() : emailCustomer());
    }
  };
  const progress = () => {
    const sorted = [...stats.waits].sort((a, b) => a - b);
    options.onProgress?.({
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
      arrivals: stats.total,
      waiting: Math.max(0, stats.total - stats.waits.length - stats.abandoned),
      handled: stats.handled,
      abandoned: stats.abandoned,
      errors: stats.errors,
      waitP50: quantile(sorted, 0.5),
      waitP99: quantile(sorted, 0.99),
    });
  };
  const ticker = setInterval(progress, 1000);
  try {
    await Promise.all(
      Object.entries(scenario.customers).map(([channel, t]) =>
        arrive(channel as 'chat' | 'sms' | 'email', t.perSecond),
      ),
    );
    // Drain: what arrived is served (or gives up) before the end.
    const drainEnd = Date.now() + s(scenario.drainSeconds);
    while (stats.handled + stats.abandoned < stats.total && Date.now() < drainEnd) await sleep(100);
    stopping = true;
    await Promise.race([Promise.allSettled(customersRunning), sleep(5000)]);
  } finally {
    clearInterval(ticker);
    progress();
    for (const bot of bots) {
      await call(bot.token, 'PUT', 'api/v1/me/state', { ready: false }).catch(() => undefined);
      bot.ws.close();
    }
    smtp?.close();
  }
  const sorted = [...stats.waits].sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    agents: scenario.agents.count,
    arrivals: { ...stats.arrivals, total: stats.total },
    handled: stats.handled,
    abandoned: stats.abandoned,
    unfinished: Math.max(0, stats.total - stats.handled - stats.abandoned),
    messages: { customer: stats.customerMessages, agent: stats.agentMessages },
    waitSeconds: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? null },
    errors: stats.errors,
    errorSamples: stats.samples,
  };
}
