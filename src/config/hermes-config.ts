/**
 * Hermes' `config.yaml`: parsing with line/column errors, and the few
 * fields hermes-codex reads (`mcp_servers`, `model.codex_bin`,
 * `model.openai_runtime`). Source of the layout: NousResearch/hermes-agent
 * (`hermes_cli/config.py`, the codex runtime migration).
 */
import { createRequire } from 'node:module';
import type { Document, Node as YamlNode, ScalarTag, Tags } from 'yaml';
import { ConfigSyntaxError } from '../core/errors.js';
import { loadPlainYaml11 } from './yaml-fast.js';

/**
 * The `yaml` package (CommonJS build, loaded synchronously on first use): it
 * composes a full document with node positions, which only errors, line
 * numbers and typed-scalar warnings need; values come from the fast path.
 */
let yamlModule: typeof import('yaml') | undefined;
function yamlLib(): typeof import('yaml') {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

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
  /**
   * The source text of the plain (unquoted) scalar at `path`, or undefined
   * for a quoted scalar, a collection or no node: what the user typed before
   * YAML 1.1 gave it a type (`yes` for `true`, `0755` for 493).
   */
  plainSourceOf(path: readonly (string | number)[]): string | undefined;
  /**
   * The source text of the plain (unquoted) key that names the entry at
   * `path` (its last element), or undefined for a quoted key or no entry:
   * what the user typed before YAML 1.1 gave the key a type (`off` for the
   * key `false`).
   */
  keySourceOf(path: readonly (string | number)[]): string | undefined;
}

/** Most aliases one document may expand; guards against "billion laughs" files. */
const MAX_ALIAS_COUNT = 10_000;

/**
 * Parse Hermes YAML text the way Hermes reads it: YAML 1.1, as Hermes'
 * loader does (ruamel.yaml with `version = (1, 1)`, see
 * `hermes_cli/hermes_yaml.py` in NousResearch/hermes-agent). So
 * `y|n|yes|no|on|off` in any of YAML 1.1's casings are booleans, `1_000`
 * and `190:20:30` are integers, `0755` is octal; a quoted `"no"` stays a
 * string. Four deviations from the `yaml` package's own 1.1 schema, each
 * matching what Hermes gets:
 * - a dot-less float with an unsigned exponent (`123e45`, shaped like
 *   Hermes' legacy session ids) stays a string, as Hermes' constructor keeps it;
 * - integers are exact: one beyond 2^53 (a Discord id) is a `bigint`, never rounded;
 * - `.`, `e5` and `.e3` (no digit before the exponent) stay strings, never NaN;
 * - YAML 1.1 timestamps stay strings (`2024-01-31`, which is also what
 *   Python's `str()` of Hermes' date gives), never JavaScript Dates.
 * Anchors, aliases and `<<` merge keys are supported. An empty file is an
 * empty config.
 * @throws ConfigSyntaxError naming file, line and column on a syntax error or duplicate key.
 */
export function parseHermesConfig(text: string, path: string): HermesConfig {
  const source = text.replace(/^\uFEFF/, '');
  const fast = loadPlainYaml11(source);
  if (!fast.ok) return composeHermesConfig(source, path);
  // The values are known; the document with positions is composed only if a
  // message asks for a line or for what was typed.
  let composed: HermesConfig | undefined;
  const positions = () => (composed ??= composeHermesConfig(source, path));
  return {
    path,
    data: fast.value ?? {},
    lineOf: (p) => positions().lineOf(p),
    plainSourceOf: (p) => positions().plainSourceOf(p),
    keySourceOf: (p) => positions().keySourceOf(p),
  };
}

/**
 * The full reading with the `yaml` package: every error with its line and
 * column, and node positions. The reference for {@link loadPlainYaml11},
 * which a test compares against it.
 * @throws ConfigSyntaxError naming file, line and column on a syntax error or duplicate key.
 */
export function composeHermesConfig(source: string, path: string): HermesConfig {
  const { LineCounter, parseDocument, isScalar } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, {
    version: '1.1',
    customTags: hermesTags,
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
    lineOf: (p) => {
      const range = nodeAt(doc, p)?.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    },
    plainSourceOf: (p) => {
      const node = nodeAt(doc, p);
      return isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : undefined;
    },
    keySourceOf: (p) => {
      if (p.length === 0) return undefined;
      const key = pairAt(doc, p)?.key;
      return isScalar(key) && key.type === 'PLAIN' && typeof key.source === 'string' ? key.source : undefined;
    },
  };
}

const INT_TAG = 'tag:yaml.org,2002:int';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

/** Hermes' legacy ids such as `123e45`: YAML 1.1 floats must have a dot, so these stay strings. */
const dotlessExponentString: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  test: /^[-+]?[0-9][0-9_]*[eE][0-9]+$/,
  resolve: (source) => source,
};

/**
 * `.`, `e5`, `-.e3`: shaped like a YAML 1.1 float but with no digit before the
 * exponent. The `yaml` package would read NaN; they are text, as Hermes reads them.
 */
const digitlessFloatString: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  test: /^[-+]?(?:\._*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$/,
  resolve: (source) => source,
};

/** An integer as a number when it is exact, else as a bigint. */
function exactInteger(n: unknown): unknown {
  return typeof n === 'bigint' && Number.isSafeInteger(Number(n)) ? Number(n) : n;
}

/** The YAML 1.1 tags, adjusted to what Hermes reads (see {@link parseHermesConfig}). */
function hermesTags(tags: Tags): Tags {
  const adjusted: Tags = [];
  for (const t of tags) {
    if (typeof t === 'string') adjusted.push(t);
    else if (t.tag === TIMESTAMP_TAG) continue;
    else if (t.tag === INT_TAG && !('collection' in t && t.collection)) {
      const scalar = t as ScalarTag;
      const resolve: ScalarTag['resolve'] = (source, onError, options) => exactInteger(scalar.resolve(source, onError, { ...options, intAsBigInt: true }));
      adjusted.push({ ...scalar, resolve });
    } else adjusted.push(t);
  }
  return [dotlessExponentString, digitlessFloatString, ...adjusted];
}

/** The first mapping key that repeats within its mapping, as a YAML-style error, or undefined. */
function duplicateKeyError(doc: Document): { message: string; pos: [number, number] } | undefined {
  const { visit, isScalar } = yamlLib();
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

/** The node at a data path (map keys compared as the data's keys), or undefined. */
function nodeAt(doc: Document, path: readonly (string | number)[]): YamlNode | undefined {
  const { isMap, isScalar, isSeq } = yamlLib();
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
  return node as YamlNode | undefined;
}

/** The map pair whose key names the last element of `path`, or undefined. */
function pairAt(doc: Document, path: readonly (string | number)[]): { key: unknown } | undefined {
  const { isMap, isScalar } = yamlLib();
  const parent = path.length === 1 ? doc.contents : nodeAt(doc, path.slice(0, -1));
  if (!isMap(parent)) return undefined;
  const last = String(path[path.length - 1]);
  return parent.items.find((it) => isScalar(it.key) && String(it.key.value) === last);
}

/**
 * The Hermes providers the codex runtime takes over (`hermes_cli/runtime_provider.py`
 * upstream): with `model.openai_runtime: codex_app_server`, only these run through codex.
 */
export const CODEX_REROUTED_PROVIDERS: ReadonlySet<string> = new Set(['openai', 'openai-codex']);

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
