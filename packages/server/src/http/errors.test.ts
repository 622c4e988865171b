import { readFileSync } from 'node:fs';
import { CodedError, ERROR_CODE_NAMES, ERROR_CODES, type ErrorCode } from '@parley/protocol';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorHandlers } from './errors.ts';

describe('the error catalogue in docs/errors.md', () => {
  it('documents every code with its status, and no code that does not exist', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => ({
      code: m[1] as ErrorCode,
      status: Number(m[2]),
    }));
    expect(rows.map((r) => r.code).sort()).toEqual([...ERROR_CODE_NAMES].sort());
    for (const r of rows) expect(r.status, r.code).toBe(ERROR_CODES[r.code].status);
  });
});

describe('the HTTP layer', () => {
  it("answers a domain error with its code's status, and an CodedError with its headers too", async () => {
    const app = Fastify();
    installErrorHandlers(app);
    app.get('/domain', () => {
      throw CodedError.conflict('The number is in use.');
    });
    app.get('/edge', () => {
      throw CodedError.rateLimited(7);
    });
    const domain = await app.inject('/domain');
    expect([domain.statusCode, domain.json()]).toEqual([
      409,
      { error: { code: 'conflict', message: 'The number is in use.' } },
    ]);
    const edge = await app.inject('/edge');
    expect([edge.statusCode, edge.headers['retry-after'], edge.json().error.code]).toEqual([429, '7', 'rate_limited']);
    await app.close();
  });
});
