/** axe-core in a page or frame: the serious and critical violations, as lines a test can show. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame } from 'playwright-core';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: readonly string[] }>;
}

/** Runs axe in the panel frame; returns the serious and critical violations. */
export async function audit(frame: Frame): Promise<string[]> {
  const violations = (await frame.evaluate(async (source: string) => {
    // The panel's CSP forbids eval; the test context bypasses CSP only to bring axe in.
    (0, eval)(source);
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document)).violations;
  }, AXE)) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
