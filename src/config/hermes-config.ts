/**
 * Hermes' `config.yaml`: parsing with line/column errors, and the few
 * fields hermes-codex reads (`mcp_servers`, `model.codex_bin`,
 * `model.openai_runtime`). Source of the layout: NousResearch/hermes-agent
 * (`hermes_cli/config.py`, the codex runtime migration).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import { ConfigSyntaxError } from '../errors.js';

export interface HermesConfig {
  /** Path of the file it came from. */
  path: string;
  /** The whole document as plain data (aliases and merge keys resolved). */
  data: unknown;
  /**
   * 1-based line of the node at `path` (e.g. `["mcp_servers", "github", "args"]`),
   * or undefined when there is no such node.
   */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Most aliases one document may expand; guards against "billion laughs" files. */
const MAX_ALIAS_COUNT = 10_000;

/**
 * Parse Hermes YAML text. Anchors, aliases and `<<` merge keys are supported.
 * An empty file is an empty config.
 * @throws ConfigSyntaxError naming file, line and column on a syntax error or duplicate key.
 */
export function parseHermesConfig(text: string, path: string): HermesConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    merge: true,
    // yaml's own check compares every pair of keys in a map (quadratic for
    // thousands of servers); duplicateKeyError() below does it in one pass.
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter,
  });
  const first = doc.errors[0] ?? duplicateKeyError(doc);
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new ConfigSyntaxError(`${path}:${pos.line}:${pos.col}: YAML error: ${firstLine(first.message)}`, {
      location: { file: path, line: pos.line, column: pos.col },
      remediation: 'Fix the YAML at that line (hermes config edit); nothing was written.',
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new ConfigSyntaxError(`${path}: YAML error: ${(err as Error).message}`, {
      location: { file: path },
      remediation: 'Fix the YAML (hermes config edit); nothing was written.',
    });
  }
  return {
    path,
    data: data ?? {},
    lineOf: (p) => lineOfPath(doc, lineCounter, p),
  };
}

/** The first mapping key that repeats within its mapping, as a YAML-style error, or undefined. */
function duplicateKeyError(doc: Document): { message: string; pos: [number, number] } | undefined {
  let found: { message: string; pos: [number, number] } | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const k = String(pair.key.value);
        if (k === '<<') continue;
        if (seen.has(k)) {
          const start = pair.key.range?.[0] ?? 0;
          found = { message: `Map keys must be unique; "${k}" is repeated`, pos: [start, start] };
          return visit.BREAK;
        }
        seen.add(k);
      }
      return undefined;
    },
  });
  return found;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function lineOfPath(doc: Document, lc: LineCounter, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) return undefined;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else return undefined;
  }
  const range = (node as YamlNode | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}

/** `model.<key>` as a string, when present. */
export function modelSetting(config: HermesConfig, key: string): string | undefined {
  const data = config.data;
  if (!isRecord(data)) return undefined;
  const model = data['model'];
  if (!isRecord(model)) return undefined;
  const value = model[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
