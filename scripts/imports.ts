/**
 * The import graph of the workspace's source, for the architecture checks:
 * every relative import of every TypeScript file (type-only ones too), the
 * import circles in it, and the imports that reach past a folder's door.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

/** Folders that hold files their parent loads, not a module of their own. */
const NOT_MODULES = new Set(['migrations', 'pages', 'node_modules', 'dist']);

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The relative imports of a file, resolved to absolute paths. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('.')) out.push(resolve(dirname(file), spec));
  }
  return out;
}

export type Graph = Map<string, string[]>;

export function graphOf(dir: string): Graph {
  const graph: Graph = new Map();
  for (const f of sourceFiles(dir))
    graph.set(
      f,
      importsOf(f).filter((t) => t !== f),
    );
  return graph;
}

/** The import circles: strongly connected groups of more than one file (Tarjan). */
export function circles(graph: Graph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        on.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** The module folders under `src`: every folder but those that only hold files their parent loads. */
export function moduleFolders(src: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(src)) {
    const path = join(src, name);
    if (!statSync(path).isDirectory() || NOT_MODULES.has(name)) continue;
    out.push(path, ...moduleFolders(path));
  }
  return out;
}

/** The module folder a file belongs to (its nearest folder that is a module), or `src` itself. */
function moduleOf(src: string, file: string): string {
  let dir = dirname(file);
  while (dir !== src && NOT_MODULES.has(dir.split(sep).pop() ?? '')) dir = dirname(dir);
  return dir;
}

/** Imports from one module into another that do not go through the other's `index.ts`. */
export function pastTheDoor(src: string, graph: Graph): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    if (!file.startsWith(src + sep)) continue;
    const from = moduleOf(src, file);
    for (const target of targets) {
      const to = moduleOf(src, target);
      // A module's own files, and its enclosing module's (a channel's folder uses the channels' shared types).
      if (to === from || to === src || from.startsWith(to + sep)) continue;
      // A module may use its own sub-modules' doors; everyone else the door too.
      if (target === join(to, 'index.ts')) continue;
      out.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
    }
  }
  return out;
}
