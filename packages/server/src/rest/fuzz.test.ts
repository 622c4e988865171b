/**
 * Random input at every route (fast-check): no response is a 5xx, and a
 * request that fails with a 4xx leaves every table as it was (no partial
 * writes), but for the audit entry that records a refused login. Routes come from the OpenAPI document, so a new route is fuzzed
 * without touching this file.
 */
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/index.ts';
import { DEMO_PASSWORD, startHarness, type Harness } from '../testing/harness.ts';

interface Route {
  readonly method: string;
  readonly path: string;
  readonly bodyKeys: readonly string[];
  readonly queryKeys: readonly string[];
}

/** Routes that end the caller's own session would make the rest of the run meaningless. */
const SKIP = new Set(['POST /api/v1/auth/logout', 'DELETE /ecfs/authentication/', 'POST /api/v1/agents/{id}/logout']);

const TABLES = [
  'tenants',
  'presence_profiles',
  'reason_codes',
  'users',
  'queues',
  'queue_addresses',
  'queue_members',
  'audit_log',
  'interactions',
  'interaction_events',
  'interaction_requests',
  'tenant_sequences',
  'conversations',
  'messages',
  'attachments',
  'demo_handset_messages',
  'demo_mailbox',
] as const;

async function snapshot(db: Kysely<Database>): Promise<string> {
  const parts: unknown[] = [];
  for (const table of TABLES) {
    // A refused login is recorded on purpose: that entry is the audit trail, not a partial write.
    const rows = await db.selectFrom(table).selectAll().execute();
    parts.push(table === 'audit_log' ? rows.filter((r) => (r as { action: string }).action !== 'login_failed') : rows);
  }
  // Sessions change on every login; what matters is which exist, not when they were last seen.
  parts.push(
    (await db.selectFrom('sessions').select(['token_hash', 'user_id']).orderBy('token_hash').execute()).length,
  );
  return JSON.stringify(parts);
}

describe('every route under random input', () => {
  let h: Harness;
  let routes: Route[];
  let token: string;
  let knownIds: string[];

  beforeAll(async () => {
    h = await startHarness();
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content?: Record<string, { schema?: { properties?: object } }> };
            parameters?: Array<{ in: string; name: string }>;
          }
        >
      >;
    };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          bodyKeys: Object.keys(Object.values(op.requestBody?.content ?? {})[0]?.schema?.properties ?? {}),
          queryKeys: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        }))
        .filter((r) => !SKIP.has(`${r.method} ${r.path}`)),
    );
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD },
    });
    token = login.json().token;
    knownIds = [
      ...(await h.db.selectFrom('users').select('id').execute()).map((r) => r.id),
      ...(await h.db.selectFrom('queues').select('id').execute()).map((r) => r.id),
      ...(await h.db.selectFrom('presence_profiles').select('id').execute()).map((r) => r.id),
    ];
  });
  afterAll(async () => {
    await h.close();
  });

  it('covers the API', () => {
    expect(routes.length).toBeGreaterThan(25);
  });

  it('never answers 5xx and never half-writes', async () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(
        '',
        'Lunch',
        'Available',
        'lunch',
        'agent1',
        'phone',
        'de',
        '#112233',
        'https://x.example',
        '+15555550100',
        'Ready',
      ),
      fc.integer({ min: -1000, max: 100000 }),
      fc.boolean(),
    );
    const segment = fc.oneof(
      fc.constantFrom(...knownIds),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }),
    );
    const request = fc.record({
      route: fc.constantFrom(...routes),
      params: fc.array(segment, { minLength: 2, maxLength: 2 }),
      bodyKind: fc.constantFrom('object', 'json', 'none', 'garbage'),
      body: fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 4 }),
      known: fc.array(value, { minLength: 6, maxLength: 6 }),
      anyJson: fc.jsonValue({ maxDepth: 3 }),
      query: fc.array(value, { minLength: 2, maxLength: 2 }),
    });

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let i = 0;
        const url = r.route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(r.params[i++] ?? 'x')));
        const query = r.route.queryKeys.map((k, j) => `${k}=${encodeURIComponent(String(r.query[j]))}`).join('&');
        const body =
          r.bodyKind === 'object'
            ? { ...r.body, ...Object.fromEntries(r.route.bodyKeys.map((k, j) => [k, r.known[j % r.known.length]])) }
            : r.bodyKind === 'json'
              ? r.anyJson
              : undefined;
        const before = await snapshot(h.db);
        const res = await h.app.inject({
          method: r.route.method as 'GET',
          url: query ? `${url}?${query}` : url,
          headers: {
            authorization: `Bearer ${token}`,
            ...(r.bodyKind === 'garbage' ? { 'content-type': 'application/json' } : {}),
          },
          ...(r.bodyKind === 'garbage'
            ? { payload: '{"broken' }
            : body === undefined
              ? {}
              : { payload: body as object }),
        });
        expect(res.statusCode, `${r.route.method} ${url} ${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(await snapshot(h.db), `${r.route.method} ${url} wrote although it answered ${res.statusCode}`).toBe(
            before,
          );
          expect(res.json().error.code).toMatch(/^[a-z_]+$/);
        }
      }),
      { numRuns: 400, seed: 20261121 },
    );
  });
});
