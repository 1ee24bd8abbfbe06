/**
 * The layers (docs/architecture.md), enforced: a module imports only its own
 * layer's lower parts and the layers below it. Static and dynamic imports
 * count; type-only imports too (a type tells which way knowledge flows).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/codex.js';

const SRC = path.join(repoRoot, 'src');

/** Layer of a module path relative to src/, bottom (0) to top. */
const LAYERS: [string, RegExp][] = [
  ['core', /^core\/|^(fs|config)\//],
  ['domain: codex', /^codex\//],
  ['runtime', /^runtime\//],
  ['plugins', /^plugins\//],
  ['migrate', /^migrate\//],
  ['hermes', /^hermes\//],
  ['doctor', /^doctor\//],
  ['library', /^index\.ts$/],
  ['cli', /^cli\//],
];

function layerOf(rel: string): number {
  const i = LAYERS.findIndex(([, re]) => re.test(rel));
  if (i === -1) throw new Error(`no layer for src/${rel}: add it to LAYERS`);
  return i;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : sources(p);
    return name.endsWith('.ts') || name.endsWith('.cts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
    const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]!)).replace(/\.js$/, '.ts');
    out.push(target);
  }
  return out;
}

describe('layering', () => {
  const files = sources(SRC).map((f) => path.relative(SRC, f));

  it('every module imports only from its own layer or the layers below it', () => {
    const violations: string[] = [];
    for (const rel of files) {
      const from = layerOf(rel);
      for (const target of importsOf(path.join(SRC, rel))) {
        if (target.startsWith('runtime/protocol/generated')) continue;
        const to = layerOf(target);
        if (to > from) violations.push(`src/${rel} (${LAYERS[from]![0]}) imports src/${target} (${LAYERS[to]![0]})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('doctor is a leaf: only the CLI and the library entry point import it', () => {
    const users = files.filter((rel) => !rel.startsWith('doctor/') && !rel.startsWith('cli/') && importsOf(path.join(SRC, rel)).some((t) => t.startsWith('doctor/')));
    expect(users).toEqual(['index.ts']);
  });

  it('has no import cycle in src/ (type-only imports count)', () => {
    const graph = new Map(files.map((rel) => [rel, importsOf(path.join(SRC, rel)).filter((t) => files.includes(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, trail: string[]) => {
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), node, next].join(' → '));
        else if (!state.has(next)) visit(next, [...trail, node]);
      }
      state.set(node, 'done');
    };
    for (const rel of files) if (!state.has(rel)) visit(rel, []);
    expect(cycles).toEqual([]);
    // The check finds a cycle when there is one.
    graph.set('a.ts', ['b.ts']);
    graph.set('b.ts', ['a.ts']);
    state.clear();
    visit('a.ts', []);
    expect(cycles).toEqual(['a.ts → b.ts → a.ts']);
  });

  it('keeps the core layer in src/core/: no loose module at src/ but the library entry point', () => {
    expect(files.filter((rel) => !rel.includes('/'))).toEqual(['index.ts']);
    expect(layerOf('core/workspace.ts')).toBe(0);
    // An upward import from core is a violation.
    expect(layerOf('migrate/plan.ts')).toBeGreaterThan(layerOf('core/paths.ts'));
  });

  it('finds real imports (the test itself can fail)', () => {
    expect(importsOf(path.join(SRC, 'migrate/plan.ts'))).toContain('migrate/block.ts');
    expect(layerOf('doctor/run.ts')).toBeGreaterThan(layerOf('migrate/plan.ts'));
  });
});
