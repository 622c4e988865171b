/**
 * The architecture, checked: no import circle in any package, every folder
 * a module with an `index.ts` door that outsiders use, and the lint rule
 * that keeps it so refusing a deliberate deep import and a domain module
 * reaching for the HTTP edge.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { circles, graphOf, moduleFolders, pastTheDoor, ROOT, sourceFiles } from './imports.ts';

const PACKAGES = [
  'packages/protocol',
  'packages/agent',
  'packages/webex',
  'packages/sdk',
  'packages/panel',
  'packages/widget',
  'packages/server',
];
const SOURCES = [...PACKAGES, 'apps/playground'].map((p) => join(ROOT, p, 'src'));

describe('the import graph', () => {
  it.each(SOURCES)('of %s has no circle', (src) => {
    expect(circles(graphOf(src))).toEqual([]);
  });

  it.each(PACKAGES)('of %s reaches other modules only through their doors', (pkg) => {
    const src = join(ROOT, pkg, 'src');
    expect(moduleFolders(src).filter((dir) => !existsSync(join(dir, 'index.ts')))).toEqual([]);
    expect(pastTheDoor(src, graphOf(src))).toEqual([]);
  });

  it('finds a circle and a deep import when there is one (the checks can fail)', () => {
    const a = join(ROOT, 'packages/server/src/queues/queues.ts');
    const b = join(ROOT, 'packages/server/src/users/users.ts');
    const src = join(ROOT, 'packages/server/src');
    const graph = new Map([
      [a, [b]],
      [b, [a]],
    ]);
    expect(circles(graph)).toHaveLength(1);
    expect(pastTheDoor(src, graph)).toHaveLength(2);
  });

  it('lets a sub-module use the files of its enclosing module, but not the other way round', () => {
    const src = join(ROOT, 'packages/server/src');
    const sms = join(src, 'channels/sms/index.ts');
    const adapter = join(src, 'channels/adapter.ts');
    const email = join(src, 'channels/email/mailer.ts');
    expect(pastTheDoor(src, new Map([[sms, [adapter]]]))).toEqual([]);
    expect(pastTheDoor(src, new Map([[adapter, [email]]]))).toHaveLength(1);
  });
});

describe('source files', () => {
  it('are at most 500 lines, tests and migrations aside', () => {
    const long = SOURCES.flatMap(sourceFiles)
      .filter((f) => !/\.test\.tsx?$/.test(f) && !f.includes('/migrations/'))
      .map((f) => [f.slice(ROOT.length + 1), readFileSync(f, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 500);
    expect(long).toEqual([]);
  });
});

describe('the lint rule for doors and layers', () => {
  const lint = async (code: string, file: string) => {
    const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: join(ROOT, file) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it('refuses an import past a door, and a domain module importing the HTTP edge', async () => {
    const code = [
      "import { Desk } from '../interactions/desk.ts';",
      "import { installErrorHandlers } from '../http/index.ts';",
      "import * as initial from '../store/migrations/2026-11-21-01-initial.ts';",
      'export const used = [Desk, installErrorHandlers, initial];',
      '',
    ].join('\n');
    const messages = await lint(code, 'packages/server/src/queues/fixture.ts');
    expect(messages).toEqual([
      expect.stringContaining('through its index.ts door'),
      expect.stringContaining('do not import the HTTP edge'),
      expect.stringContaining('through its index.ts door'),
    ]);
  });

  it('lets the edge use any door, and a module its own files and its migrations', async () => {
    expect(
      await lint(
        "import { Desk } from '../interactions/index.ts';\nexport const used = [Desk];\n",
        'packages/server/src/rest/fixture.ts',
      ),
    ).toEqual([]);
    expect(
      await lint(
        "import * as initial from './migrations/2026-11-21-01-initial.ts';\nexport const used = [initial];\n",
        'packages/server/src/store/fixture.ts',
      ),
    ).toEqual([]);
  });
});
