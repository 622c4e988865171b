/**
 * Nothing is lost when the server process dies: a real server process is
 * killed with SIGKILL in the middle of work and started again on the same
 * store. Conversations, queue positions and agent states come back, panels
 * resume, waiting contacts are offered in their old order, messages go out
 * once, and a call's interaction and recording survive (its media cannot).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import WebSocket from 'ws';
import { goertzel, Softphone, readWav } from '../media/index.ts';
import { HandsetDevice } from '../demo/index.ts';
import { createPostgresDatabase, STORE_KINDS } from '../testing/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const PASSWORD = 'restart-test-password';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects are inspected structurally
type Json = any;

describe.each(STORE_KINDS)('a server killed mid-work on %s', (kind) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-restart-'));
  const cleanups: Array<() => Promise<void> | void> = [() => fs.rmSync(dir, { recursive: true, force: true })];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    // Every death of the server was the test's own kill -9.
    expect(unexpectedExit).toBeNull();
  }, 60_000);

  let base = '';
  let env: Record<string, string> = {};
  let child: ChildProcess | null = null;
  let log = '';
  let unexpectedExit: string | null = null;

  const start = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
      const ok = await fetch(`${base}healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start: ${log}`);
  };
  const kill9 = async () => {
    const c = child;
    if (!c) return;
    child = null;
    // A process that is already gone has nothing to kill (and no exit event to wait for).
    if (c.exitCode !== null || c.signalCode !== null) {
      unexpectedExit = `the server had exited by itself (${c.exitCode ?? c.signalCode}): ${log.slice(-2000)}`;
      return;
    }
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  cleanups.push(kill9);

  const api = async (token: string, method: string, url: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${base}${url.slice(1)}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const login = async (username: string) => {
    const res = await fetch(`${base}api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { token: string; user: { id: string } };
  };
  /** A panel socket that collects frames. */
  const panel = async (token: string) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}ws/agent`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const frames: Json[] = [];
    ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const waitFor = async (match: (f: Json) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const found = frames.find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no frame; got ${JSON.stringify(frames.map((f) => f.type + ':' + (f.data?.event ?? '')))}`);
    };
    return { ws, frames, waitFor };
  };

  it('rebuilds conversations, queue order and agent states from the store, and panels resume', async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}/`;
    env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_PUBLIC_URL: base,
      PLAYGROUND_PORT: 'off',
      PARLEY_DATA_DIR: dir,
      PARLEY_DEMO: 'true',
      PARLEY_DEMO_PASSWORD: PASSWORD,
      PARLEY_SMTP_PORT: 'off',
      LOG_LEVEL: 'warn',
    };
    if (kind === 'postgres') {
      const pg = await createPostgresDatabase();
      // Dropped after the server is gone (cleanups run last first): a database dropped under a live server is another test.
      cleanups.unshift(() => pg.drop());
      env['DATABASE_URL'] = pg.url;
    }
    await start();

    const admin = await login('admin');
    const agent1 = await login('agent1');
    const agent2 = await login('agent2');
    const queue = await api(admin.token, 'POST', '/api/v1/queues', {
      name: 'Restart Line',
      type: 'phone',
      addresses: ['+15557770000'],
      wrapup_s: 600,
    });
    for (const agent of [agent1, agent2])
      await api(admin.token, 'PUT', `/api/v1/queues/${queue.id}/members/${agent.user.id}`, {
        can_serve: true,
        proficiency: 3,
      });

    const p1 = await panel(agent1.token);
    await p1.waitFor((f) => f.type === 'hello');
    await api(agent1.token, 'PUT', '/api/v1/me/state', { ready: true });
    const first = await api(admin.token, 'POST', '/api/v1/demo/contacts', { queue_id: queue.id, from: '+491' });
    expect(first.agent_id).toBe(agent1.user.id);
    await api(agent1.token, 'POST', `/api/v1/interactions/${first.id}/actions`, { action: 'accept' });
    const accepted = await p1.waitFor((f) => f.type === 'interaction' && f.data.event === 'accepted');
    const second = await api(admin.token, 'POST', '/api/v1/demo/contacts', { queue_id: queue.id, from: '+492' });
    const third = await api(admin.token, 'POST', '/api/v1/demo/contacts', { queue_id: queue.id, from: '+493' });
    const before = await api(agent2.token, 'GET', `/api/v1/queues/${queue.id}/contacts`);
    expect(before.map((c: Json) => c.id)).toEqual([second.id, third.id]);

    await kill9();
    p1.ws.terminate();
    await start();

    // The conversation, its agent's state and the line of waiting contacts are as they were.
    expect(await api(agent1.token, 'GET', `/api/v1/interactions/${first.id}`)).toMatchObject({ state: 'accepted' });
    expect((await api(agent1.token, 'GET', '/api/v1/me')).work_status).toBe('busy');
    const after = await api(agent2.token, 'GET', `/api/v1/queues/${queue.id}/contacts`);
    expect(after).toEqual(before);

    // The panel comes back: hello has the call, and resume from its last event has nothing missing.
    const again = await panel(agent1.token);
    const hello = await again.waitFor((f) => f.type === 'hello');
    expect(hello.data.interactions.map((i: Json) => [i.id, i.state])).toEqual([[first.id, 'accepted']]);
    again.ws.send(JSON.stringify({ id: 'r', type: 'resume', data: { last_seq: accepted.data.event_seq } }));
    expect(await again.waitFor((f) => f.re === 'r')).toEqual({
      re: 'r',
      ok: true,
      data: { replayed: 0, snapshot: false },
    });

    // Routing carries on where it stopped: the older waiting contact goes first.
    const p2 = await panel(agent2.token);
    await p2.waitFor((f) => f.type === 'hello');
    await api(agent2.token, 'PUT', '/api/v1/me/state', { ready: true });
    const offer = await p2.waitFor((f) => f.type === 'interaction' && f.data.event === 'offered');
    expect(offer.data.interaction.id).toBe(second.id);

    // A wrap-up started before a crash still ends on its own after it.
    await api(agent1.token, 'POST', `/api/v1/interactions/${first.id}/actions`, { action: 'hangup' });
    expect((await api(agent1.token, 'GET', `/api/v1/interactions/${first.id}`)).state).toBe('wrap_up');
    await kill9();
    await start();
    expect((await api(agent1.token, 'GET', `/api/v1/interactions/${first.id}`)).state).toBe('wrap_up');
    const stored = await api(agent1.token, 'GET', `/api/v1/interactions/${first.id}`);
    expect(Date.parse(stored.wrapup_until)).toBeGreaterThan(Date.now());
    again.ws.terminate();
    p2.ws.terminate();
  }, 120_000);

  it('keeps SMS and email across a kill -9: what came in stays, what had not gone out goes out once', async () => {
    await kill9();
    const smtpPort = await freePort();
    const dead = await freePort();
    const channels = { ...env, PARLEY_SMTP_PORT: String(smtpPort) };
    // First life: the provider and the relay are down, so replies stay queued.
    env = {
      ...channels,
      PARLEY_SMS_PROVIDER_URL: `http://127.0.0.1:${dead}/Messages.json`,
      PARLEY_SMTP_RELAY: `smtp://127.0.0.1:${dead}`,
    };
    await start();
    const admin = await login('admin');
    const agent = await login('agent3');
    for (const [name, type, address] of [
      ['Restart SMS', 'sms', '+15557771000'],
      ['Restart Email', 'email', 'restart@test.parley.local'],
    ]) {
      const q = await api(admin.token, 'POST', '/api/v1/queues', { name, type, addresses: [address] });
      await api(admin.token, 'PUT', `/api/v1/queues/${q.id}/members/${agent.user.id}`, {
        can_serve: true,
        proficiency: 3,
      });
    }
    const p = await panel(agent.token);
    await p.waitFor((f) => f.type === 'hello');
    await api(agent.token, 'PUT', '/api/v1/me/state', { ready: true });

    const handset = '+4917000000001';
    const device = new HandsetDevice(base);
    const texted = await device.send(handset, '+15557771000', 'Before the crash');
    expect(texted.status).toBe(201);
    const smsOffer = await p.waitFor((f) => f.data?.event === 'offered' && f.data.interaction.channel_type === 'sms');
    const sms = smsOffer.data.interaction.id as string;
    await api(agent.token, 'POST', `/api/v1/interactions/${sms}/actions`, { action: 'accept' });
    const smsReply = await api(agent.token, 'POST', `/api/v1/interactions/${sms}/messages`, {
      content: 'Reply that waits',
    });
    expect(smsReply.status).toBe('queued');

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    const mail = await smtp.sendMail({
      from: 'casey@example.com',
      to: 'restart@test.parley.local',
      subject: 'Crash course',
      text: 'Mail before the crash',
    });
    smtp.close();
    const mailOffer = await p.waitFor(
      (f) => f.data?.event === 'offered' && f.data.interaction.channel_type === 'email',
    );
    const email = mailOffer.data.interaction.id as string;
    await api(agent.token, 'POST', `/api/v1/interactions/${email}/actions`, { action: 'accept' });
    const mailReply = await api(agent.token, 'POST', `/api/v1/interactions/${email}/messages`, {
      content: 'Mail reply that waits',
    });
    expect(mailReply.status).toBe('queued');

    // A web chat in progress too: messages both ways, and one the widget sent but never saw acknowledged.
    const chatStart = await fetch(`${base}api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Rita' }),
    });
    const { token: chatToken } = (await chatStart.json()) as { token: string };
    const widget = async () => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}ws/customer`, [
        'parley.v1',
        `parley.customer.${chatToken}`,
      ]);
      const frames: Json[] = [];
      ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const waitFor = async (match: (f: Json) => boolean) => {
        for (let i = 0; i < 200; i++) {
          const found = frames.find(match);
          if (found) return found;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`widget: no frame; got ${JSON.stringify(frames)}`);
      };
      return { ws, waitFor };
    };
    const w1 = await widget();
    await w1.waitFor((f) => f.type === 'hello');
    const chatOffer = await p.waitFor((f) => f.data?.event === 'offered' && f.data.interaction.channel_type === 'chat');
    const chat = chatOffer.data.interaction.id as string;
    await api(agent.token, 'POST', `/api/v1/interactions/${chat}/actions`, { action: 'accept' });
    w1.ws.send(
      JSON.stringify({
        id: 'w1',
        type: 'send',
        data: { content: 'Chat before the crash', client_message_id: 'rita-1' },
      }),
    );
    await w1.waitFor((f) => f.re === 'w1');
    await api(agent.token, 'POST', `/api/v1/interactions/${chat}/messages`, { content: 'Agent before the crash' });
    await w1.waitFor((f) => f.type === 'message' && f.data.content === 'Agent before the crash');

    await kill9();
    p.ws.terminate();
    w1.ws.terminate();
    // Second life: the provider and the relay are back.
    env = channels;
    await start();

    const smsHistory = await api(agent.token, 'GET', `/api/v1/interactions/${sms}/messages`);
    expect(smsHistory.map((m: Json) => m.content)).toEqual(['Before the crash', 'Reply that waits']);
    const mailHistory = await api(agent.token, 'GET', `/api/v1/interactions/${email}/messages`);
    expect(mailHistory.map((m: Json) => m.content.trim())).toEqual(['Mail before the crash', 'Mail reply that waits']);

    const until = async <T>(what: string, fn: () => Promise<T | undefined>): Promise<T> => {
      for (let i = 0; i < 200; i++) {
        const value = await fn();
        if (value !== undefined) return value;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}: ${log}`);
    };
    const received = await until('the SMS on the handset', async () => {
      const list = (await device.messages(handset)) as Json[];
      return list.some((m) => m.body === 'Reply that waits') ? list : undefined;
    });
    expect(received.map((m: Json) => `${m.direction}:${m.body}`)).toEqual([
      'out:Before the crash',
      'in:Reply that waits',
    ]);
    const inbox = await until('the email in the mailbox', async () => {
      const list = (await (await fetch(`${base}demo/mailbox/messages`)).json()) as Json[];
      return list.some((m) => m.text.includes('Mail reply that waits')) ? list : undefined;
    });
    const replies = inbox.filter((m: Json) => m.text.includes('Mail reply that waits'));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ subject: 'Re: Crash course', in_reply_to: mail.messageId });
    // Both now say they went out.
    await until('the SMS delivered', async () => {
      const list = await api(agent.token, 'GET', `/api/v1/interactions/${sms}/messages`);
      return list[1].status === 'delivered' ? true : undefined;
    });
    expect((await api(agent.token, 'GET', `/api/v1/interactions/${email}/messages`))[1].status).toBe('sent');

    // The widget reconnects with its token: the whole chat is there, and its resend is stored once.
    const w2 = await widget();
    const hello = await w2.waitFor((f) => f.type === 'hello');
    expect(hello.data.conversation.state).toBe('connected');
    expect(hello.data.messages.map((m: Json) => m.content)).toEqual([
      'Chat before the crash',
      'Agent before the crash',
    ]);
    w2.ws.send(
      JSON.stringify({
        id: 'w2',
        type: 'send',
        data: { content: 'Chat before the crash', client_message_id: 'rita-1' },
      }),
    );
    const again = await w2.waitFor((f) => f.re === 'w2');
    expect(again.data.id).toBe(hello.data.messages[0].id);
    const chatHistory = await api(agent.token, 'GET', `/api/v1/interactions/${chat}/messages`);
    expect(chatHistory).toHaveLength(2);
    w2.ws.close();
  }, 120_000);

  it('keeps a recorded call across a kill -9: the interaction, its events and its recording, repaired; the call ends for both sides', async () => {
    await kill9();
    await start();
    const agent = await login('agent4');
    const p = await panel(agent.token);
    await p.waitFor((f) => f.type === 'hello');
    // The panel's station: a softphone speaking 1000 Hz, attached as the panel does.
    const station = new Softphone(1000);
    cleanups.push(() => station.close());
    p.ws.send(JSON.stringify({ id: 'st', type: 'media.offer', data: { sdp: await station.offer() } }));
    const attached = await p.waitFor((f) => f.re === 'st');
    expect(attached.ok).toBe(true);
    await station.answer(attached.data.sdp);
    await api(agent.token, 'PUT', '/api/v1/me/state', { ready: true });

    // A caller on the virtual PSTN dials Sales, speaking 2200 Hz.
    const caller = new Softphone(2200);
    cleanups.push(() => caller.close());
    const phone = new WebSocket(`${base.replace('http', 'ws')}ws/phone`);
    const phoneFrames: Json[] = [];
    phone.on('message', (raw) => phoneFrames.push(JSON.parse(String(raw))));
    const phoneClosed = new Promise<void>((r) => phone.once('close', () => r()));
    await new Promise((resolve, reject) => {
      phone.once('open', resolve);
      phone.once('error', reject);
    });
    phone.send(JSON.stringify({ type: 'dial', call_id: 'c1', to: '+15555550100', sdp: await caller.offer() }));
    for (let i = 0; i < 200 && !phoneFrames.some((f) => f.type === 'answer'); i++)
      await new Promise((r) => setTimeout(r, 25));
    await caller.answer(phoneFrames.find((f) => f.type === 'answer').sdp);
    const offer = await p.waitFor((f) => f.type === 'interaction' && f.data.event === 'offered');
    const id = offer.data.interaction.id as string;
    await api(agent.token, 'POST', `/api/v1/interactions/${id}/actions`, { action: 'accept' });
    await api(agent.token, 'POST', `/api/v1/interactions/${id}/actions`, { action: 'start_recording' });
    // Two seconds of conversation: more than one flush of the recording.
    await new Promise((r) => setTimeout(r, 2000));
    expect(station.level(2200) + caller.level(1000)).toBeGreaterThan(2e5);
    // A second caller waits in the queue meanwhile (the only agent is busy).
    const waiter = new Softphone(2600);
    cleanups.push(() => waiter.close());
    phone.send(JSON.stringify({ type: 'dial', call_id: 'c2', to: '+15555550100', sdp: await waiter.offer() }));
    for (let i = 0; i < 200 && phoneFrames.filter((f) => f.type === 'answer').length < 2; i++)
      await new Promise((r) => setTimeout(r, 25));
    await waiter.answer(phoneFrames.filter((f) => f.type === 'answer')[1].sdp);
    const sales = (await api(agent.token, 'GET', '/api/v1/queues')).find((q: Json) => q.name === 'Sales');
    let waiting: Json[] = [];
    for (let i = 0; i < 100 && waiting.length === 0; i++) {
      waiting = await api(agent.token, 'GET', `/api/v1/queues/${sales.id}/contacts`);
      if (waiting.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(waiting).toHaveLength(1);
    const waitingId = waiting[0].id as string;
    const eventsBefore = await api(agent.token, 'GET', `/api/v1/interactions/${id}/events`);
    const [recording] = await api(agent.token, 'GET', `/api/v1/interactions/${id}/recordings`);
    expect(recording.state).toBe('recording');

    await kill9();
    p.ws.terminate();
    // The caller's phone hears the call is gone (its socket closes with the process).
    await phoneClosed;
    await start();
    expect(log).toContain('calls in progress when the last process stopped were ended');

    // The interaction and every event before the crash are there, once; its media died with the process,
    // so the restart ended it as the caller's hang-up, and the agent has the wrap-up.
    expect(await api(agent.token, 'GET', `/api/v1/interactions/${id}`)).toMatchObject({ id, state: 'wrap_up' });
    const eventsAfter = await api(agent.token, 'GET', `/api/v1/interactions/${id}/events`);
    expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    expect(eventsAfter.filter((e: Json) => e.type === 'accepted')).toHaveLength(1);
    expect(eventsAfter.slice(eventsBefore.length).map((e: Json) => [e.type, e.detail?.cause])).toContainEqual([
      'ended',
      'remote_hangup',
    ]);

    // The caller who was waiting is gone too: missed (abandoned in the queue), and no longer waiting.
    const supervisor = await login('supervisor');
    const waitedEvents = await api(supervisor.token, 'GET', `/api/v1/interactions/${waitingId}/events`);
    expect(waitedEvents.map((e: Json) => e.type)).toEqual(['created', 'missed']);
    expect(await api(agent.token, 'GET', `/api/v1/queues/${sales.id}/contacts`)).toEqual([]);

    // The recording was repaired at start: one file, complete, its header telling its real length, both voices in it.
    const recordings = await api(agent.token, 'GET', `/api/v1/interactions/${id}/recordings`);
    expect(recordings).toHaveLength(1);
    expect(recordings[0]).toMatchObject({ id: recording.id, state: 'complete' });
    expect(recordings[0].duration_ms).toBeGreaterThanOrEqual(900);
    const wav = Buffer.from(
      await (
        await fetch(`${base}api/v1/recordings/${recording.id}`, { headers: { authorization: `Bearer ${agent.token}` } })
      ).arrayBuffer(),
    );
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    const { samples } = readWav(wav);
    expect(goertzel(samples, 1000)).toBeGreaterThan(1e5);
    expect(goertzel(samples, 2200)).toBeGreaterThan(1e5);

    // The panel comes back with the call in wrap-up, and the agent finishes it.
    const again = await panel(agent.token);
    const hello = await again.waitFor((f) => f.type === 'hello');
    expect(hello.data.interactions.map((i: Json) => [i.id, i.state])).toContainEqual([id, 'wrap_up']);
    await api(agent.token, 'POST', `/api/v1/interactions/${id}/actions`, { action: 'handle', code: 'resolved' });
    expect((await api(agent.token, 'GET', `/api/v1/interactions/${id}`)).state).toBe('handled');
    await api(agent.token, 'PUT', '/api/v1/me/state', { ready: false });
    again.ws.terminate();
    phone.close();
    await Promise.all([station.close(), caller.close(), waiter.close()]);
  }, 120_000);
});
