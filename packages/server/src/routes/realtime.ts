/**
 * `GET /ws/agent`: the upgrade is refused (401/403) unless the request has a
 * valid session and comes from Parley's own origin (the panel), carries no
 * Origin at all (non-browser clients, which have no ambient cookies), or
 * comes from an origin in the tenant's allowlist with its token in the
 * subprotocol (a headless client's host page; a cookie is not enough there).
 * `GET /ws/console`: the console's socket, for supervisors and admins only.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { findCaller, sessionToken, type Caller } from '../http/index.ts';
import { tenantBasePath } from '../tenants/index.ts';
import { CodedError, MAX_CLIENT_FRAME_BYTES } from '@parley/protocol';

/** Registers the agent WebSocket endpoint. */
export function realtimeRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/ws/agent',
      {
        websocket: true,
        preValidation: async (request) => {
          const origin = request.headers.origin;
          const own = `${request.protocol}://${request.headers.host ?? ''}`;
          const foreign = origin !== undefined && origin !== ctx.selfOrigin && origin !== own;
          // A headless client's host page may connect from an allowlisted origin, with its token only:
          // a cookie rides along from any page, so it never opens a socket for another origin.
          if (foreign && !ctx.isAllowedOrigin(request.tenant, origin)) {
            throw CodedError.forbidden(`WebSocket connections from ${JSON.stringify(origin)} are not accepted`);
          }
          const caller = await findCaller(ctx, request);
          if (!caller)
            throw new CodedError('not_logged_in', 'Log in first: no valid session on this WebSocket upgrade.');
          if (foreign && caller.via !== 'bearer')
            throw CodedError.forbidden(
              `A WebSocket from ${JSON.stringify(origin)} must carry its token (the parley.bearer. subprotocol), not a cookie.`,
            );
          request.caller = caller;
        },
      },
      (socket, request) => {
        const caller = request.caller;
        const token = sessionToken(request)?.token;
        if (!caller || !token) {
          socket.close(4001, 'not logged in');
          return;
        }
        if (!ctx.sockets.admit(socket, 'agent', `${request.tenant.id}:${caller.user.id}`, request.ip)) return;
        // REST calls over this socket go through the same routes and checks as over HTTP, as this session.
        const base = tenantBasePath(request.tenant.slug);
        const headers = {
          authorization: `Bearer ${token}`,
          ...(request.headers['user-agent'] ? { 'user-agent': request.headers['user-agent'] } : {}),
        };
        const remoteAddress = request.ip;
        ctx.gateway
          .accept(socket, {
            tenantId: request.tenant.id,
            userId: caller.user.id,
            sessionHash: caller.session.tokenHash,
            sessionExpiresAt: Date.parse(caller.session.expiresAt),
            supervises: caller.user.role !== 'agent',
            rest: async ({ method, path, body }) => {
              const res = await app.inject({
                method,
                url: `${base}${path}`,
                headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
                remoteAddress,
                ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
              });
              return { status: res.statusCode, body: parseBody(res.body) };
            },
          })
          .catch((err: unknown) => {
            ctx.log.warn({ err }, 'cannot open a panel socket');
            socket.close(1011, 'try again');
          });
      },
    );

    // The console's socket: supervisors and admins, from Parley's own origin (the console page) or from
    // no browser at all; never from a host page, whatever it carries.
    app.get(
      '/ws/console',
      {
        websocket: true,
        preValidation: async (request) => {
          const origin = request.headers.origin;
          const own = `${request.protocol}://${request.headers.host ?? ''}`;
          if (origin !== undefined && origin !== ctx.selfOrigin && origin !== own)
            throw CodedError.forbidden(
              `The console socket does not accept connections from ${JSON.stringify(origin)}.`,
            );
          const caller = await findCaller(ctx, request);
          if (!caller)
            throw new CodedError('not_logged_in', 'Log in first: no valid session on this WebSocket upgrade.');
          if (caller.user.role === 'agent') throw CodedError.forbidden('The console is for supervisors and admins.');
          request.caller = caller;
        },
      },
      (socket, request) => {
        const caller = request.caller;
        if (!caller || caller.user.role === 'agent') {
          socket.close(4001, 'not logged in');
          return;
        }
        if (!ctx.sockets.admit(socket, 'console', `${request.tenant.id}:${caller.user.id}`, request.ip)) return;
        ctx.consoles
          .accept(socket, {
            tenantId: request.tenant.id,
            user: { id: caller.user.id, displayName: caller.user.displayName, role: caller.user.role },
            sessionHash: caller.session.tokenHash,
            sessionExpiresAt: Date.parse(caller.session.expiresAt),
          })
          .catch((err: unknown) => {
            ctx.log.warn({ err }, 'cannot open a console socket');
            socket.close(1011, 'try again');
          });
      },
    );
  };
}

/** A response body as the panel's fetch would read it: JSON, else the text, else null. */
function parseBody(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * WebSocket frames larger than this are refused by the ws server itself (closed with 1009). Frames
 * between MAX_CLIENT_FRAME_BYTES and this reach the gateways, which answer them with `too_large`
 * instead of dropping a customer who pasted too much.
 */
export const WS_MAX_PAYLOAD = 4 * MAX_CLIENT_FRAME_BYTES;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the WebSocket pre-validation hook. */
    caller?: Caller;
  }
}
