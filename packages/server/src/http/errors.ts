/**
 * The HTTP edge's error answers. Everyone throws {@link CodedError}s from the
 * protocol catalogue; here a code only becomes its catalogue status (and a
 * `rate_limited` error's retry time its `Retry-After`).
 */
import { CodedError, ERROR_CODES } from '@parley/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Installs the error and not-found handlers: schema failures become 400
 * `invalid_argument` naming the field, coded errors keep their code (and
 * its status), anything else is logged and answered as a 500 without its message.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | CodedError, request, reply) => {
    if (error instanceof CodedError) {
      void reply
        .headers(error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) })
        .code(error.status)
        .send({ error: { code: error.code, message: error.message } });
      return;
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      void reply.code(400).send({ error: { code: 'invalid_argument', message: `${where}: ${error.message}` } });
      return;
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, wrong content type, body too large).
      void reply.code(status).send({
        error: {
          code: status === 401 ? 'unauthorized' : status === 413 ? 'too_large' : 'invalid_argument',
          message: error.message,
        },
      });
      return;
    }
    request.log.error({ err: error }, 'request failed');
    void reply.code(500).send({ error: { code: 'internal', message: ERROR_CODES.internal.message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
