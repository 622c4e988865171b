/** WebSockets (@fastify/websocket): the frame cap, Parley's subprotocol, and client faults logged as such. */
import fastifyWebsocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { WS_PROTOCOL } from '../../http/index.ts';
import { PLUGIN } from '../decorations.ts';

export const websocketPlugin = fp<{ maxPayload: number }>(
  async (app, { maxPayload }) => {
    await app.register(fastifyWebsocket, {
      // A client's broken frames or dropped connection are the client's doing: info with its address, so the
      // operator's error level holds only the server's own failures.
      errorHandler: (error, socket, request) => {
        const code = (error as { code?: unknown }).code;
        const client =
          (typeof code === 'string' &&
            (code.startsWith('WS_ERR_') || ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))) ||
          error instanceof RangeError;
        if (client)
          request.log.info(
            { err: error, client: request.ip },
            'a WebSocket client broke the protocol or the connection',
          );
        else request.log.error({ err: error, client: request.ip }, 'WebSocket handler failed');
        socket.terminate();
      },
      options: {
        maxPayload,
        // A client that offers subprotocols (the panel's token fallback) must get one back.
        handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
      },
    });
  },
  { name: PLUGIN.websocket },
);
