/** OpenAPI from the route schemas: the document at /docs/json, a browsable UI at /docs. */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { PLUGIN } from '../decorations.ts';

export const swaggerPlugin = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        info: {
          title: 'Parley API',
          version: '0.1.0',
          description: 'REST interfaces of the Parley contact center. See docs/rest-api.md.',
        },
        servers: [{ url: app.config.publicUrl }],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'parley_session' },
            bearer: { type: 'http', scheme: 'bearer', description: 'A session token from POST /api/v1/auth/login' },
            apiKey: {
              type: 'http',
              scheme: 'bearer',
              description: 'A tenant API key (pk_…), for POST /api/v1/agent-tokens only',
            },
          },
        },
        security: [{ session: [] }, { bearer: [] }],
      },
    });
    await app.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      // Swagger UI sets styles inline; the plugin's own CSP ("style-src 'self' https:") broke it. No validator
      // badge either: it would load from validator.swagger.io, and nothing here talks to the outside.
      staticCSP:
        "default-src 'self'; base-uri 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      uiConfig: { validatorUrl: null },
    });
  },
  { name: PLUGIN.swagger, dependencies: [PLUGIN.config] },
);
