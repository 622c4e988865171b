/**
 * `GET /ws/customer`: the customer side of a web chat. The conversation token
 * (from `POST api/v1/chat`) rides as the subprotocol `parley.customer.<token>`;
 * the widget may be on any site, so the token is the only credential.
 *
 * Server → customer: `{seq, type, data}` with `hello {conversation, messages}`,
 * `message {…Message}` and `state {state, agent}`. Customer → server:
 * `{id, type, data}` requests `send {content, client_message_id}`, `end`,
 * `ping`, answered `{re, ok, data | error}`. A resend with the same
 * `client_message_id` is acknowledged again and stored once.
 */
import { createHash } from 'node:crypto';
import type { WebSocket } from 'ws';
import {
  CodedError,
  isRecord,
  MAX_CLIENT_FRAME_BYTES,
  nulIn,
  type CustomerFrameMap,
  type CustomerFrameType,
} from '@parley/protocol';
import type { Bus, BusEvents } from '../bus/index.ts';
import type { InteractionService } from '../interactions/index.ts';
import type { Logger } from '../log/index.ts';

/** The subprotocol prefix that carries the customer's conversation token. */
export const CUSTOMER_PROTOCOL_PREFIX = 'parley.customer.';
const MAX_MESSAGE_CHARS = 4000;

interface CustomerConnection {
  readonly socket: WebSocket;
  readonly tenantId: string;
  readonly conversationId: string;
  seq: number;
}

/** At most this many requests per conversation in {@link RATE_WINDOW_MS} (all its sockets together). */
const RATE_LIMIT = 30;
const RATE_WINDOW_MS = 10_000;

export const hashConversationToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Tracks customer sockets and pushes their conversation's messages and state. */
/** What the customer gateway works with. */
export interface CustomerGatewayDeps {
  readonly bus: Bus;
  readonly interactions: InteractionService;
  readonly log: Logger;
}

export class CustomerGateway {
  readonly #byConversation = new Map<string, Set<CustomerConnection>>();
  /** Request times per conversation, for the rate limit. */
  readonly #recent = new Map<string, number[]>();
  readonly #unsubscribe: () => void;

  constructor(private readonly ctx: CustomerGatewayDeps) {
    const stops = [
      ctx.bus.subscribe('conversation.changed', (e) => this.#push(e)),
      ctx.bus.subscribe('conversation.typing', (e) => {
        if (e.from !== 'agent') return;
        for (const conn of this.#byConversation.get(e.conversationId) ?? []) this.#send(conn, 'typing', {});
      }),
    ];
    this.#unsubscribe = () => stops.forEach((stop) => stop());
  }

  close(): void {
    this.#unsubscribe();
    for (const set of this.#byConversation.values()) for (const c of set) c.socket.close(1001, 'server shutting down');
    this.#byConversation.clear();
  }

  async accept(socket: WebSocket, tenantId: string, token: string): Promise<void> {
    const view = await this.ctx.interactions.conversationByToken(tenantId, hashConversationToken(token));
    if (!view) {
      socket.close(4001, 'unknown conversation');
      return;
    }
    const conn: CustomerConnection = { socket, tenantId, conversationId: view.id, seq: 0 };
    let set = this.#byConversation.get(view.id);
    if (!set) this.#byConversation.set(view.id, (set = new Set()));
    set.add(conn);
    socket.on('close', () => {
      set.delete(conn);
      if (set.size === 0) {
        this.#byConversation.delete(view.id);
        this.#recent.delete(view.id);
      }
    });
    socket.on('error', () => undefined);
    socket.on('message', (raw, isBinary) => void this.#onMessage(conn, raw, isBinary));
    this.#send(conn, 'hello', {
      conversation: {
        id: view.id,
        state: view.state,
        agent: view.agent,
        ...(view.position === undefined ? {} : { position: view.position }),
        ...(view.estimatedWaitSeconds === undefined ? {} : { estimated_wait_s: view.estimatedWaitSeconds }),
      },
      messages: view.messages,
    });
  }

  #push(e: BusEvents['conversation.changed']): void {
    for (const conn of this.#byConversation.get(e.conversationId) ?? []) {
      if (e.message) this.#send(conn, 'message', e.message);
      if (e.state)
        this.#send(conn, 'state', {
          state: e.state,
          agent: e.agent ?? null,
          ...(e.position === undefined ? {} : { position: e.position }),
          ...(e.estimatedWaitSeconds === undefined ? {} : { estimated_wait_s: e.estimatedWaitSeconds }),
        });
    }
  }

  #send<K extends CustomerFrameType>(conn: CustomerConnection, type: K, data: CustomerFrameMap[K]): void {
    conn.seq += 1;
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify({ seq: conn.seq, type, data }));
  }

  #reply(conn: CustomerConnection, id: string, result: { ok: true; data: unknown } | { ok: false; error: unknown }) {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify({ re: id, ...result }));
  }

  async #onMessage(conn: CustomerConnection, raw: unknown, isBinary: boolean): Promise<void> {
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
    if (!isBinary && Buffer.byteLength(text) > MAX_CLIENT_FRAME_BYTES) {
      // Too large to take, not a reason to drop the customer: answered, when it says which request it is.
      const id = /^\s*\{\s*"id"\s*:\s*"([^"\\]{1,64})"/.exec(text.slice(0, 200))?.[1];
      if (id) {
        const kb = Math.ceil(Buffer.byteLength(text) / 1024);
        this.#reply(conn, id, {
          ok: false,
          error: {
            code: 'too_large',
            message: `This request is ${kb} KB; at most ${MAX_CLIENT_FRAME_BYTES / 1024} KB go in one. Send a shorter message, or a file.`,
          },
        });
        return;
      }
      conn.socket.close(4002, 'requests are {id, type, data}');
      return;
    }
    let request: unknown;
    try {
      request = isBinary ? null : JSON.parse(text);
    } catch {
      request = null;
    }
    if (!isRecord(request) || typeof request['id'] !== 'string' || request['id'].length > 64) {
      conn.socket.close(4002, 'requests are {id, type, data}');
      return;
    }
    const id = request['id'];
    const data = request['data'];
    const fail = (code: string, message: string) => this.#reply(conn, id, { ok: false, error: { code, message } });
    const nul = nulIn(data);
    if (nul) {
      fail('invalid_argument', `data/${nul}: may not contain NUL characters`);
      return;
    }
    const now = Date.now();
    const recent = (this.#recent.get(conn.conversationId) ?? []).filter((t) => now - t < RATE_WINDOW_MS);
    if (recent.length >= RATE_LIMIT) {
      fail('rate_limited', `At most ${RATE_LIMIT} requests in ${RATE_WINDOW_MS / 1000} s; slow down.`);
      return;
    }
    recent.push(now);
    this.#recent.set(conn.conversationId, recent);
    try {
      switch (request['type']) {
        case 'ping':
          this.#reply(conn, id, { ok: true, data: { server_time: new Date().toISOString() } });
          return;
        case 'send': {
          const content = isRecord(data) ? (data['content'] ?? '') : undefined;
          const clientId = isRecord(data) ? data['client_message_id'] : undefined;
          const files = isRecord(data) ? data['attachment_ids'] : undefined;
          const attachmentIds =
            Array.isArray(files) &&
            files.length <= 10 &&
            files.every((f) => typeof f === 'string' && /^[0-9a-f]{32}$/.test(f))
              ? (files as string[])
              : files === undefined
                ? []
                : null;
          if (attachmentIds === null) {
            fail('invalid_argument', 'attachment_ids must be up to 10 ids of uploaded files');
            return;
          }
          if (
            typeof content !== 'string' ||
            (content.trim() === '' && attachmentIds.length === 0) ||
            content.length > MAX_MESSAGE_CHARS
          ) {
            fail('invalid_argument', `send needs data.content, 1–${MAX_MESSAGE_CHARS} characters (or a file)`);
            return;
          }
          if (clientId !== undefined && (typeof clientId !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(clientId))) {
            fail('invalid_argument', 'client_message_id must be 1–64 visible ASCII characters');
            return;
          }
          const message = await this.ctx.interactions.customerMessage(conn.tenantId, conn.conversationId, {
            content,
            ...(clientId ? { clientMessageId: clientId } : {}),
            ...(attachmentIds.length ? { attachmentIds } : {}),
          });
          this.#reply(conn, id, { ok: true, data: message });
          return;
        }
        case 'typing':
          await this.ctx.interactions.typing(conn.tenantId, { conversationId: conn.conversationId });
          this.#reply(conn, id, { ok: true, data: null });
          return;
        case 'read': {
          const messageId = isRecord(data) ? data['message_id'] : undefined;
          if (typeof messageId !== 'string' || !/^[0-9a-f]{32}$/.test(messageId)) {
            fail('invalid_argument', 'read needs data.message_id, the last message seen');
            return;
          }
          const read = await this.ctx.interactions.markRead(
            conn.tenantId,
            { conversationId: conn.conversationId },
            messageId,
          );
          this.#reply(conn, id, { ok: true, data: { read } });
          return;
        }
        case 'end':
          await this.ctx.interactions.customerLeft(conn.tenantId, conn.conversationId);
          this.#reply(conn, id, { ok: true, data: null });
          return;
        default:
          fail('invalid_argument', `unknown request type ${JSON.stringify(String(request['type']).slice(0, 40))}`);
      }
    } catch (err) {
      if (err instanceof CodedError) fail(err.code, err.message);
      else {
        this.ctx.log.error({ err }, 'customer request failed');
        fail('internal', 'Something went wrong on our side.');
      }
    }
  }
}
