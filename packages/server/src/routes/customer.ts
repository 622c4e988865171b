/** The customer WebSocket endpoint: a web chat's customer, by their conversation token. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { CUSTOMER_PROTOCOL_PREFIX } from '../realtime/index.ts';

/** Registers the customer WebSocket endpoint. */
export function customerRoutes(ctx: AppContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/ws/customer', { websocket: true }, (socket, request) => {
      if (!ctx.sockets.admit(socket, 'customer', request.ip, request.ip)) return;
      const protocols = String(request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim());
      const token = protocols
        .find((p) => p.startsWith(CUSTOMER_PROTOCOL_PREFIX))
        ?.slice(CUSTOMER_PROTOCOL_PREFIX.length);
      if (!token) {
        socket.close(4001, 'a conversation token is required');
        return;
      }
      ctx.customers.accept(socket, request.tenant.id, token).catch((err: unknown) => {
        ctx.log.warn({ err }, 'cannot open a customer socket');
        socket.close(1011, 'try again');
      });
    });
  };
}
