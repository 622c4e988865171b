/**
 * A web chat's transcript by email, to an address that proved it is the
 * customer's. Anyone can start a chat with any address, so the widget's
 * request (`POST {base}api/v1/chat/transcript`, the conversation token in
 * its header) only mails a one-time confirmation link — no chat text, no
 * name the customer typed — and the transcript goes out when the link is
 * opened (`{base}chat/transcript#…`, the token in the fragment, which no
 * server or log sees; the page posts it to `…/transcript/confirm`).
 * Confirmation mails are limited per conversation (one per 10 minutes) and
 * per recipient (3 a day, across tenants).
 */
import { CodedError } from '@parley/protocol';
import { createHash, randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TranscriptRequests } from '../channels/index.ts';
import type { AppContext } from '../context.ts';
import { listQueues } from '../queues/index.ts';
import { hashConversationToken } from '../realtime/index.ts';
import { nowIso } from '../store/index.ts';
import { CONVERSATION_HEADER } from './attachments.ts';

/** Confirmation mails one address may get in a day, whichever tenants and chats ask. */
export const CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3;
const LINK_HOURS = 24;

const ConfirmBody = Type.Object(
  { token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) },
  { additionalProperties: false },
);

const SCRIPT = `(() => {
  const token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  const status = document.getElementById('status');
  const button = document.getElementById('send');
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) { status.textContent = 'This link is incomplete; open it from the email again.'; return; }
  button.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    const res = await fetch('api/v1/chat/transcript/confirm', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const body = await res.json().catch(() => ({}));
    status.textContent = res.ok ? 'The transcript is on its way to ' + body.sent_to + '.' : (body.error && body.error.message) || 'That did not work.';
    if (!res.ok) button.disabled = false;
  });
})();`;

const CSP = [
  "default-src 'none'",
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const page = (tenantName: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Your chat transcript</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;color:#0f172a}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><main><h1>Your chat with ${escapeHtml(tenantName)}</h1>
<p>Send the transcript of the chat to the address this link was mailed to?</p>
<button id="send" type="button" hidden>Send me the transcript</button>
<p id="status" role="status"></p></main>
<script>${SCRIPT}</script></body></html>`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hashLinkToken(token: string): string {
  return createHash('sha256').update(`transcript:${token}`).digest('hex');
}

export function transcriptRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const requests = new TranscriptRequests(ctx.db);
    const mailerOr422 = () => {
      if (!ctx.mailer) throw new CodedError('unreachable', 'This contact center cannot send email.');
      return ctx.mailer;
    };
    const fromOf = async (tenantId: string) =>
      (await listQueues(ctx.db, tenantId, 'email'))[0]?.addresses[0] ??
      `no-reply@${new URL(ctx.config.publicUrl).hostname}`;

    // The widget asks: a confirmation link goes to the address given when the chat started.
    app.post('/api/v1/chat/transcript', { schema: { security: [] } }, async (request, reply) => {
      const header = request.headers[CONVERSATION_HEADER];
      const token = typeof header === 'string' ? header : '';
      const view = /^[A-Za-z0-9_-]{20,100}$/.test(token)
        ? await ctx.interactions.conversationByToken(request.tenant.id, hashConversationToken(token))
        : null;
      if (!view) throw CodedError.unauthorized(`Send the conversation token in the ${CONVERSATION_HEADER} header.`);
      const email = (await requests.customerEmail(view.id))?.toLowerCase();
      if (!email)
        throw CodedError.invalidArgument(
          'email: no address was given when the chat started, so there is nowhere to send it',
        );
      const now = Date.now();
      const recent = await requests.sentTo(email, new Date(now - 24 * 3600_000));
      if (recent.some((r) => r.conversationId === view.id && now - Date.parse(r.createdAt) < 10 * 60_000))
        throw CodedError.rateLimited(600, 'A confirmation link for this chat was sent already');
      if (recent.length >= CONFIRMATIONS_PER_ADDRESS_PER_DAY)
        throw CodedError.rateLimited(24 * 3600, 'This address got enough transcript links for today');
      const mailer = mailerOr422();
      const link = randomBytes(32).toString('base64url');
      await requests.add({
        tokenHash: hashLinkToken(link),
        tenantId: request.tenant.id,
        conversationId: view.id,
        email,
        createdAt: nowIso(new Date(now)),
      });
      try {
        await mailer.send({
          from: await fromOf(request.tenant.id),
          to: [email],
          subject: `Your chat transcript from ${request.tenant.name}`,
          content:
            `Someone asked for the transcript of a web chat with ${request.tenant.name} to be sent to this address.\n\n` +
            `To get it, open this link within ${LINK_HOURS} hours:\n${ctx.baseUrlOf(request.tenant)}chat/transcript#${link}\n\n` +
            'If that was not you, ignore this email: nothing will be sent.\n',
        });
      } catch (err) {
        await requests.remove(hashLinkToken(link));
        throw new CodedError(
          'unreachable',
          `The confirmation could not be sent: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      return reply.code(202).send({ confirm_sent_to: email });
    });

    app.get('/chat/transcript', { schema: { hide: true } }, async (request, reply) =>
      reply
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(page(request.tenant.name)),
    );

    // The link was opened: the transcript goes to the address that received it, once.
    app.post<{ Body: Static<typeof ConfirmBody> }>(
      '/api/v1/chat/transcript/confirm',
      { schema: { body: ConfirmBody, security: [] } },
      async (request, reply) => {
        const hash = hashLinkToken(request.body.token);
        const row = await requests.find(request.tenant.id, hash);
        if (!row || Date.now() - Date.parse(row.createdAt) > LINK_HOURS * 3600_000)
          throw new CodedError('not_found', 'This link is unknown or has expired; ask for the transcript again.');
        if (row.sentAt) throw new CodedError('invalid_state', `The transcript was sent to ${row.email} already.`);
        if (!(await requests.claim(hash)))
          throw new CodedError('invalid_state', `The transcript was sent to ${row.email} already.`);
        const mailer = mailerOr422();
        const conversation = await requests.conversation(row.conversationId);
        const view = conversation?.tokenHash
          ? await ctx.interactions.conversationByToken(request.tenant.id, conversation.tokenHash)
          : null;
        const lines = (view?.messages ?? []).map(
          (m) => `[${m.created.slice(0, 16).replace('T', ' ')}] ${m.author}: ${m.content}`,
        );
        try {
          await mailer.send({
            from: await fromOf(request.tenant.id),
            to: [row.email],
            subject: `Your chat with ${request.tenant.name}`,
            content: `Hello ${conversation?.customerName ?? ''},\n\nhere is your chat:\n\n${lines.join('\n')}\n`,
          });
        } catch (err) {
          await requests.release(hash);
          throw new CodedError(
            'unreachable',
            `The transcript could not be sent: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        return reply.code(202).send({ sent_to: row.email });
      },
    );
  };
}
