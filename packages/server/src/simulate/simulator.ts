/**
 * `parley simulate`: realistic traffic against a running Parley server, over
 * its public interfaces only. Agent bots log in, go ready, accept offers,
 * answer, hold calls, transfer some contacts, end and wrap up with a code;
 * customers arrive (Poisson) by web chat (REST + customer WebSocket), SMS
 * (the demo handset, so demo mode), email (SMTP) and phone calls (the
 * virtual PSTN, with real G.711 audio both ways from werift softphones),
 * write or talk, wait, and give up when their patience runs out. Progress
 * goes to a callback every second; the run ends with a summary.
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import WebSocket from 'ws';
import { HandsetDevice } from '../demo/index.ts';
import { Softphone } from '../media/index.ts';
import { draw, nextArrival, type Scenario, type SimChannel } from './scenario.ts';
import { AGENT_TONE_HZ, CALLER_TONE_HZ, sleep, listen, quantile, Stats } from './stats.ts';

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
  readonly arrivals: Record<SimChannel | 'total', number>;
  /** Contacts finished: the last interaction of each wrapped up with the code (transferred legs count once). */
  readonly handled: number;
  /** Contacts a bot transferred to its queue before another bot finished them. */
  readonly transferred: number;
  /** Calls a bot put on hold and took back. */
  readonly held: number;
  /** Calls answered; in how many the caller heard the agent's tone, and the agent the caller's. */
  readonly calls: { readonly connected: number; readonly callerHeardAgent: number; readonly agentHeardCaller: number };
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
    const type = channel === 'call' ? 'phone' : channel;
    const q = served.find((x) => x.type === type && x.addresses[0]);
    if (!q) throw new Error(`customers.${channel}: none of agents.queues is a ${type} queue with an address`);
    return q.addresses[0]?.address ?? '';
  };
  const targets = Object.fromEntries(Object.keys(scenario.customers).map((c) => [c, addressOf(c)]));

  const callTraffic = scenario.customers.call;
  /** The longest a call can last from the bot's side: hold, talk, and a margin. */
  const callLimitSeconds = callTraffic
    ? callTraffic.talkSeconds[1] + scenario.agents.holdSeconds[1] + scenario.agents.replyAfterSeconds[1] + 30
    : 0;
  const run = randomBytes(3).toString('hex');
  const password = randomBytes(12).toString('base64url');
  const bots: Array<{ ws: WebSocket; token: string; station: Softphone | null }> = [];
  /** Bots waiting for an interaction of theirs to end (the caller hung up). */
  const endings = new Map<string, () => void>();
  const wsBase = base.replace(/^http/, 'ws');
  /** Resolves when the interaction ends (the customer hung up), or after `ms`. */
  const ended = (id: string, ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        endings.delete(id);
        resolve(false);
      }, ms);
      endings.set(id, () => {
        clearTimeout(timer);
        endings.delete(id);
        resolve(true);
      });
    });
  const act = (token: string, id: string, action: string, extra: Record<string, unknown> = {}) =>
    call(token, 'POST', `api/v1/interactions/${id}/actions`, { action, ...extra });
  const wrapUp = async (token: string, id: string) => {
    await sleep(s(draw(scenario.agents.wrapupSeconds)));
    await act(token, id, 'handle', { code: scenario.agents.wrapupCode });
  };

  /** One offer, from accept to wrap-up. */
  const work = async (token: string, interaction: Frame, station: () => Softphone | null) => {
    const id = interaction.id as string;
    const isCall = interaction.channel_type === 'phone';
    try {
      await sleep(s(draw(scenario.agents.acceptAfterSeconds)));
      // Listen for the end before accepting: a caller may hang up at any moment from here.
      const callEnded = isCall ? ended(id, s(callLimitSeconds)) : null;
      try {
        await act(token, id, 'accept');
      } catch (err) {
        // The customer left, or the offer timed out: not this bot's to finish.
        if ((err as { status?: number }).status === 409) return;
        throw err;
      }
      // A transferred contact waited before, in its first leg: count its wait once.
      if (!interaction.transferred_from) stats.waits.push((Date.now() - Date.parse(interaction.created)) / 1000);
      if (!interaction.transferred_from && Math.random() < scenario.agents.transferRatio) {
        // Back to the queue: another bot takes over; this leg is wrapped up with the code.
        await sleep(s(draw(scenario.agents.replyAfterSeconds)));
        try {
          await act(token, id, 'transfer', { to: { queue_id: interaction.queue_id } });
          stats.transferred += 1;
          await wrapUp(token, id);
          return;
        } catch (err) {
          if ((err as { status?: number }).status !== 409) throw err;
          // The customer went first: finish as usual.
        }
      }
      if (isCall) {
        if (Math.random() < scenario.agents.holdRatio) {
          await sleep(s(draw(scenario.agents.replyAfterSeconds)));
          try {
            await act(token, id, 'hold');
            await sleep(s(draw(scenario.agents.holdSeconds)));
            await act(token, id, 'unhold');
            stats.held += 1;
          } catch (err) {
            if ((err as { status?: number }).status !== 409) throw err; // hung up on hold
          }
        }
        // The caller says goodbye; a call that runs on past every caller's limit is ended by the bot.
        const phone = station();
        if (phone && (await listen(phone, CALLER_TONE_HZ, callEnded ?? Promise.resolve(true))))
          stats.agentHeardCaller += 1;
        if (!(await callEnded)) await act(token, id, 'hangup').catch(() => undefined);
        await wrapUp(token, id);
        stats.handled += 1;
        return;
      }
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
      await act(token, id, 'hangup').catch((err: { status?: number }) => {
        if (err.status !== 409) throw err;
      });
      await wrapUp(token, id);
      stats.handled += 1;
    } catch (err) {
      stats.error(err instanceof Error ? err.message : String(err));
    }
  };

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
    const ws = new WebSocket(`${wsBase}ws/agent`, { headers: { authorization: `Bearer ${token}` } });
    const replies = new Map<string, (frame: Frame) => void>();
    let station: Softphone | null = null;
    const hello = new Promise<void>((resolve, reject) => {
      ws.on('message', (raw) => {
        const frame: Frame = JSON.parse(String(raw));
        if (frame.re !== undefined) replies.get(frame.re)?.(frame);
        else if (frame.type === 'hello') resolve();
        else if (frame.type === 'interaction' && frame.data.event === 'offered')
          void work(token, frame.data.interaction, () => station);
        else if (frame.type === 'interaction' && frame.data.event === 'ended')
          endings.get(frame.data.interaction.id)?.();
      });
      ws.once('error', reject);
    });
    await hello;
    ws.on('error', () => undefined);
    // A bot that takes calls has a station, as a panel does: a softphone speaking its tone.
    if (scenario.customers.call) {
      station = new Softphone(AGENT_TONE_HZ);
      const offer = await station.offer();
      const reply = await new Promise<Frame>((resolve) => {
        replies.set('station', resolve);
        ws.send(JSON.stringify({ id: 'station', type: 'media.offer', data: { sdp: offer } }));
      });
      if (!reply.ok) throw new Error(`${username}: the server refused the station: ${reply.error?.message}`);
      await station.answer(reply.data.sdp);
    }
    bots.push({ ws, token, station });
    await call(token, 'PUT', 'api/v1/me/state', { ready: true });
  }

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
  const handsets = new HandsetDevice(base);
  const smsCustomer = async () => {
    const n = ++customerSeq;
    try {
      const from = `+4917${String(100_000_000 + (Date.now() % 100_000) * 1000 + (n % 1000)).slice(0, 9)}`;
      // As the handset page does: this device claims the number, then texts from it.
      const sent = await handsets.send(from, targets['sms'] ?? '', `Hello from simulated handset ${n}.`);
      if (!sent.ok) throw new Error(`demo/handset/messages: ${sent.status} ${(await sent.text()).slice(0, 200)}`);
      stats.arrivals.sms += 1;
      stats.customerMessages += 1;
    } catch (err) {
      stats.error(`sms customer: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const callCustomer = async () => {
    const traffic = callTraffic;
    if (!traffic) return;
    const n = ++customerSeq;
    const phone = new Softphone(CALLER_TONE_HZ);
    const ws = new WebSocket(`${wsBase}ws/phone`);
    ws.on('error', () => undefined);
    const frames: Frame[] = [];
    let notify: (() => void) | null = null;
    ws.on('message', (raw) => {
      frames.push(JSON.parse(String(raw)));
      notify?.();
    });
    /** The next frame matching, or null after `ms`. */
    const next = (match: (f: Frame) => boolean, ms: number) =>
      new Promise<Frame | null>((resolve) => {
        const check = () => {
          const found = frames.findIndex(match);
          if (found < 0) return false;
          clearTimeout(timer);
          notify = null;
          resolve(frames.splice(found, 1)[0]);
          return true;
        };
        const timer = setTimeout(() => {
          notify = null;
          resolve(null);
        }, ms);
        if (!check()) notify = check;
      });
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const callId = `sim-${n}`;
      ws.send(JSON.stringify({ type: 'dial', call_id: callId, to: targets['call'], sdp: await phone.offer() }));
      const answer = await next((f) => f.type === 'answer' || f.type === 'error', 10_000);
      if (answer?.type !== 'answer') throw new Error(answer ? `${answer.code}: ${answer.message}` : 'no answer');
      await phone.answer(answer.sdp);
      stats.arrivals.call += 1;
      const connected = await next(
        (f) => (f.type === 'progress' && f.status === 'connected') || f.type === 'ended',
        s(traffic.patienceSeconds),
      );
      if (connected?.type !== 'progress') {
        if (!connected) ws.send(JSON.stringify({ type: 'hangup', call_id: callId }));
        stats.abandoned += 1;
        return;
      }
      stats.connected += 1;
      phone.forget();
      const endedEarly = next((f) => f.type === 'ended', s(draw(traffic.talkSeconds)));
      if (await listen(phone, AGENT_TONE_HZ, endedEarly)) stats.callerHeardAgent += 1;
      if (!(await endedEarly)) ws.send(JSON.stringify({ type: 'hangup', call_id: callId }));
    } catch (err) {
      stats.error(`call customer: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      ws.close();
      await phone.close();
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
  const customer = { chat: chatCustomer, sms: smsCustomer, email: emailCustomer, call: callCustomer };
  const arrive = async (channel: SimChannel, perSecond: number) => {
    const end = started + s(scenario.durationSeconds);
    for (;;) {
      await sleep(s(nextArrival(perSecond)));
      if (Date.now() >= end || stopping) return;
      customersRunning.push(customer[channel]());
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
      Object.entries(scenario.customers).map(([channel, t]) => arrive(channel as SimChannel, t.perSecond)),
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
      await bot.station?.close();
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
    transferred: stats.transferred,
    held: stats.held,
    calls: {
      connected: stats.connected,
      callerHeardAgent: stats.callerHeardAgent,
      agentHeardCaller: stats.agentHeardCaller,
    },
    abandoned: stats.abandoned,
    unfinished: Math.max(0, stats.total - stats.handled - stats.abandoned),
    messages: { customer: stats.customerMessages, agent: stats.agentMessages },
    waitSeconds: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? null },
    errors: stats.errors,
    errorSamples: stats.samples,
  };
}
