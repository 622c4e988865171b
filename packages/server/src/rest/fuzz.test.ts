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
import { DEMO_PASSWORD, startHarness, type Harness, STORE_KINDS } from '../testing/index.ts';

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
  'demo_handsets',
  'demo_mailbox',
  'webhook_receipts',
  'transcript_requests',
  'api_keys',
  'teams',
  'team_members',
  'client_logs',
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

/** Deeply nested JSON, written as text (building it as a value would overflow the test's own stack). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe.each(STORE_KINDS)('every route under random input on %s', (kind) => {
  let h: Harness;
  let routes: Route[];
  let token: string;
  let knownIds: string[];

  beforeAll(async () => {
    h = await startHarness({}, kind);
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

  it('refuses each class of input a hostile probe found answered with 500', async () => {
    const before = await snapshot(h.db);
    const as = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: string | object) =>
      h.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload === undefined ? {} : { payload }),
      });
    const probes: Array<[string, Promise<{ statusCode: number; body: string }>]> = [];
    for (const n of ['Infinity', '-Infinity', '1e309', 'NaN', '0x10', '1.5'])
      for (const path of ['/api/v1/interactions', '/api/v1/audit'])
        probes.push([`${path}?limit=${n}`, as('GET', `${path}?limit=${encodeURIComponent(n)}`)]);
    probes.push(['settings nested 50,000 deep', as('PATCH', '/api/v1/tenant', `{"settings":${nested(50_000)}}`)]);
    probes.push(['settings nested 65 deep', as('PATCH', '/api/v1/tenant', `{"settings":${nested(65)}}`)]);
    probes.push([
      'NUL in a login',
      h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ad\u0000min', password: 'x' } }),
    ]);
    probes.push(['NUL in a name', as('PATCH', '/api/v1/me', { display_name: 'Ada\u0000' })]);
    probes.push([
      'NUL in a chat start',
      h.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { name: 'Ivy\u0000' } }),
    ]);
    probes.push(['NUL in a query', h.app.inject({ method: 'GET', url: '/api/v1/chat/availability?address=%00' })]);
    probes.push(['NUL in a path', as('GET', '/api/v1/users/%00')]);
    probes.push([
      'NUL in a CPC login',
      h.app.inject({
        method: 'POST',
        url: '/ecfs/authentication/',
        headers: { authorization: 'ECFAuth', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          Authorization: `Basic ${Buffer.from('admin\u0000:x').toString('base64')}`,
        }).toString(),
      }),
    ]);
    for (const [what, answer] of probes) {
      const res = await answer;
      expect(res.statusCode, `${what} → ${res.body}`).toBe(400);
      expect(JSON.parse(res.body).error.code, what).toBe('invalid_argument');
    }
    expect(await snapshot(h.db)).toBe(before);
  });

  // A property over the whole API; its time is the store's, not a budget.
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
        // Numbers that are not plain integers, and text PostgreSQL cannot store.
        'Infinity',
        '-Infinity',
        '1e309',
        'NaN',
        '0x10',
        'a\u0000b',
        '\u0000',
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
      bodyKind: fc.constantFrom('object', 'json', 'none', 'garbage', 'deep'),
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
            ...(r.bodyKind === 'garbage' || r.bodyKind === 'deep' ? { 'content-type': 'application/json' } : {}),
          },
          ...(r.bodyKind === 'garbage'
            ? { payload: '{"broken' }
            : r.bodyKind === 'deep'
              ? { payload: nested(r.params[0]?.length ? 50_000 : 65) }
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
      { numRuns: kind === 'sqlite' ? 400 : 200, seed: 20261121 },
    );
  }, 60_000); // 200 to 400 runs, each snapshotting the store: seconds on PostgreSQL, more on a busy machine
});
