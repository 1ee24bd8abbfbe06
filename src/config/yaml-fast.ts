/**
 * The fast reading of Hermes' config.yaml: values only, no positions.
 *
 * js-yaml (a streaming loader, several times faster than composing a
 * document with the `yaml` package) with a schema built to give exactly the
 * values `composeHermesConfig` gives for the documents it accepts, and to
 * decline everything else so that the full reading decides. Anchors,
 * aliases and `<<` merge keys are read (an aliased value is shared, not
 * copied: the data is read-only). It declines: any syntax error or duplicate
 * key (the full reading reports it with line and column), aliases that
 * expand the document by more than 10,000 nodes or that name a collection
 * they stand inside, a quoted `"<<"` key, keys
 * that are not strings, `__proto__`, `%` directives, `---`/`...` document
 * markers, explicit tags (`!!str`, `!foo`: a `!` after a space, a line start
 * or a flow indicator; a few malformed files with these were read
 * differently), an anchor with a flow collection right after it (`&a[x]`,
 * which js-yaml reads and YAML refuses), integers beyond 2^53 (the full reading keeps them exact as
 * bigints), and empty documents. `test/property/yaml-fast.property.test.ts` compares both readings on a
 * corpus of YAML 1.1 scalars and on generated documents. A plain document
 * (no anchor, alias, tag or merge key) is built from js-yaml's events by
 * {@link constructPlain}; the rest by js-yaml's constructor with the schema.
 */
import { EVENT_ID, FAILSAFE_SCHEMA, NOT_RESOLVED, SCALAR_STYLE, constructFromEvents, defineMappingTag, defineScalarTag, getScalarValue, mergeTag, parseEvents, type Event } from 'js-yaml';

/** Thrown inside the loader when a document needs the full reading. */
class NeedsFullReading extends Error {}

/**
 * One plain scalar as the full reading resolves it: the `yaml` package's
 * YAML 1.1 schema (`yaml/dist/schema/yaml-1.1/*`: null, bool, int in
 * binary/octal/decimal/hex, float with NaN/Inf/exponent/dot, then
 * sexagesimal int and float) in that package's order, after Hermes' rule
 * that keeps a dot-less number with an unsigned exponent (`123e45`) a string,
 * float shapes without a digit before the exponent (`.`, `e5`) strings,
 * and without timestamps. Integers beyond 2^53 decline (the full reading
 * keeps them exact as bigints).
 */
function resolvePlain(s: string): unknown {
  // Null and bool are a fixed set of words, none longer than five characters.
  if (s.length <= 5) {
    const word = WORDS.get(s);
    if (word !== undefined) return word;
  }
  // Every other typed form starts with a digit, a sign or a dot.
  const c = s.charCodeAt(0);
  const numeric = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // 0-9 + - .
  if (!numeric) return NOT_RESOLVED;
  if (/^[-+]?[0-9][0-9_]*[eE][0-9]+$/.test(s)) return NOT_RESOLVED; // stays a string
  if (/^[-+]?(?:\._*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$/.test(s)) return NOT_RESOLVED; // no digit: a string
  if (/^[-+]?0b[0-1_]+$/.test(s)) return exact(s, 2, 2);
  if (/^[-+]?0[0-7_]+$/.test(s)) return exact(s, 1, 8);
  if (/^[-+]?[0-9][0-9_]*$/.test(s)) return exact(s, 0, 10);
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(s)) return exact(s, 2, 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
    return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  }
  if (/^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/.test(s)) {
    return parseFloat(s.replace(/_/g, ''));
  }
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/.test(s)) {
    const n = sexagesimal(s);
    if (!Number.isSafeInteger(n)) throw new NeedsFullReading();
    return n === 0 ? 0 : n;
  }
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/.test(s)) return sexagesimal(s);
  return NOT_RESOLVED;
}

/** YAML 1.1's null and bool words (the `yaml` package's `yaml-1.1` null and bool tags). */
const WORDS: ReadonlyMap<string, null | boolean> = new Map<string, null | boolean>([
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, null] as const),
  ...['Y', 'y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['N', 'n', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
]);

/** An integer in `radix` after `offset` prefix characters (past the sign), `_` ignored; never -0. */
function exact(s: string, offset: number, radix: number): number {
  const negative = s[0] === '-';
  const digits = s.substring(offset + (negative || s[0] === '+' ? 1 : 0)).replace(/_/g, '');
  const n = parseInt(digits, radix);
  if (!Number.isSafeInteger(n)) throw new NeedsFullReading();
  return negative && n !== 0 ? -n : n;
}

/** `190:20:30` → 685230 (base 60), sign first, `_` ignored. */
function sexagesimal(s: string): number {
  const sign = s[0];
  const parts = sign === '-' || sign === '+' ? s.substring(1) : s;
  const n = parts.replace(/_/g, '').split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  return sign === '-' ? -1 * n : n;
}

/**
 * Every implicit type under one tag name, tried for plain scalars only; an
 * explicit tag (`!!int 12`) declines, so the full reading decides it.
 */
const yaml11Plain = defineScalarTag<unknown>('tag:hermes-codex,2026:yaml-1.1-plain', {
  implicit: true,
  implicitFirstChars: null,
  resolve: (source, isExplicit) => {
    if (isExplicit) throw new NeedsFullReading();
    return resolvePlain(source);
  },
  identify: () => false,
});

/** Plain objects keyed by strings; anything else is left to the full reading. */
const stringKeyedMap = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (carrier, key, value) => {
    if (typeof key !== 'string' || key === '<<' || key === '__proto__') throw new NeedsFullReading();
    carrier[key] = value;
    return '';
  },
  has: (carrier, key) => typeof key === 'string' && Object.hasOwn(carrier, key),
  keys: (result) => Object.keys(result),
  get: (result, key) => result[key as string],
  identify: () => false,
});

const SCHEMA = FAILSAFE_SCHEMA.withTags(stringKeyedMap, mergeTag, yaml11Plain);

/** What {@link constructPlain} returns for a document it leaves to js-yaml's constructor. */
export const USE_JS_YAML: unique symbol = Symbol('use js-yaml\'s constructor');

/** No anchor, tag or range in an event (js-yaml's `NO_RANGE`). */
const NO_RANGE = -1;

/**
 * The values of the plain documents nearly every config.yaml is (mappings
 * with string keys, sequences, scalars; no anchor, alias, tag or `<<`), built
 * straight from js-yaml's events: about half the time of js-yaml's general
 * constructor, cold (docs/performance.md, twelfth session). Each scalar is
 * decoded by js-yaml (`getScalarValue`) and, when plain, resolved as
 * {@link SCHEMA} resolves it; a mapping is a plain object filled in order,
 * as {@link SCHEMA}'s mapping tag fills it.
 * @returns the one document's value, or {@link USE_JS_YAML} for anything
 *   else: an anchor, alias or tag, a `<<` or `__proto__` key, a key that is
 *   not a string or is repeated, a collection as a key, or not exactly one
 *   document with a value. js-yaml's constructor then decides, as before.
 * @throws NeedsFullReading as {@link resolvePlain} does
 */
export function constructPlain(events: readonly Event[], source: string): unknown {
  /** Open collections; `keys[i]` is the key waiting for its value in `open[i]` when it is a mapping (undefined: none). */
  const open: (Record<string, unknown> | unknown[])[] = [];
  const keys: (string | undefined)[] = [];
  /** The document's value once placed (never undefined then: every scalar decodes to a defined value). */
  let root: unknown;
  let documents = 0;
  /** Places a finished value in the innermost collection; false when js-yaml must decide. */
  const place = (value: unknown): boolean => {
    const depth = open.length - 1;
    if (depth < 0) {
      root = value;
      return true;
    }
    const into = open[depth]!;
    if (Array.isArray(into)) {
      into.push(value);
      return true;
    }
    const key = keys[depth];
    if (key !== undefined) {
      into[key] = value;
      keys[depth] = undefined;
      return true;
    }
    if (typeof value !== 'string' || value === '<<' || value === '__proto__' || Object.hasOwn(into, value)) return false;
    keys[depth] = value;
    return true;
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1) return USE_JS_YAML;
        break;
      case EVENT_ID.SCALAR: {
        if (e.tagStart !== NO_RANGE || e.anchorStart !== NO_RANGE) return USE_JS_YAML;
        const text = getScalarValue(source, e);
        let value: unknown = text;
        if (e.style === SCALAR_STYLE.PLAIN) {
          const typed = resolvePlain(text);
          if (typed !== NOT_RESOLVED) value = typed;
        }
        if (!place(value)) return USE_JS_YAML;
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (e.tagStart !== NO_RANGE || e.anchorStart !== NO_RANGE) return USE_JS_YAML;
        const depth = open.length - 1;
        // A collection as a mapping's key.
        if (depth >= 0 && !Array.isArray(open[depth]) && keys[depth] === undefined) return USE_JS_YAML;
        open.push(e.type === EVENT_ID.MAPPING ? {} : []);
        keys.push(undefined);
        break;
      }
      case EVENT_ID.POP: {
        if (open.length === 0) break; // the document's end
        if (keys[open.length - 1] !== undefined) return USE_JS_YAML; // a key without a value (js-yaml never gives one)
        const done = open.pop()!;
        keys.pop();
        if (!place(done)) return USE_JS_YAML;
        break;
      }
      default:
        return USE_JS_YAML; // an alias
    }
  }
  return documents === 1 && root !== undefined && open.length === 0 ? root : USE_JS_YAML;
}

/** Most nodes a document may reach only through aliases (the full reading's guard against "billion laughs" files is 10,000 aliases). */
const MAX_ALIASED_NODES = 10_000;

/** js-yaml's own constructor with {@link SCHEMA}: every document's value (what {@link constructPlain} stands in for). */
export function constructWithJsYaml(events: Event[], source: string): unknown[] {
  return constructFromEvents(events, { source, schema: SCHEMA, maxAliases: MAX_ALIASED_NODES });
}

/**
 * Whether an alias names the anchor of a collection it stands inside (a
 * recursive structure, e.g. a merge of the mapping being built). The full
 * reading cannot expand those; they are left to it.
 */
function aliasesAnOpenNode(events: readonly Event[], source: string): boolean {
  const open: (string | null)[] = [];
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) open.push(null);
    else if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) open.push(e.anchorStart >= 0 ? source.slice(e.anchorStart, e.anchorEnd) : null);
    else if (e.type === EVENT_ID.POP) open.pop();
    else if (e.type === EVENT_ID.ALIAS && open.includes(source.slice(e.anchorStart, e.anchorEnd))) return true;
  }
  return false;
}

/**
 * Whether aliases make the document larger than it is written by more than
 * {@link MAX_ALIASED_NODES} nodes. js-yaml shares an aliased value instead of
 * copying it, so a "billion laughs" file loads fast but would expand when
 * walked; such a file is left to the full reading, which refuses it.
 */
function expandsTooMuch(value: unknown): boolean {
  /** Expanded node count per object (each shared object is walked once). */
  const sizes = new Map<object, number>();
  /** Nodes as written: each object once, plus its own children. */
  let written = 1;
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    sizes.set(v, 1); // a cycle (impossible without recursive aliases, which are declined) counts once
    const children = Array.isArray(v) ? v : Object.values(v);
    written += children.length;
    let n = 1;
    for (const child of children) n = Math.min(Number.MAX_SAFE_INTEGER, n + size(child));
    sizes.set(v, n);
    return n;
  };
  return size(value) - written > MAX_ALIASED_NODES;
}

/**
 * Load YAML text as Hermes' YAML 1.1 values, when the fast reading can
 * decide them exactly.
 * @param source the text, without a byte-order mark
 * @returns `{ok: true, value}` (null for a document that is only `~`), or
 *   `{ok: false}` when the full reading (`composeHermesConfig`) must decide,
 *   including every error. Never throws.
 */
export function loadPlainYaml11(source: string): { ok: true; value: unknown } | { ok: false } {
  // Directives, document markers and explicit tags: where js-yaml and the full reading were
  // found to differ on malformed files (a differential test hunts for more), the full reading decides.
  if (/^%|^(?:---|\.\.\.)(?:[ \t]|$)/m.test(source) || /(?:^|[\s[\]{},])!/.test(source)) return { ok: false };
  // An anchor followed on its line by `key: value`, not a flow collection (js-yaml reads a nested mapping there; YAML forbids it).
  if (/&\S+[ \t]+[^\s#{[][^\n]*?:(?:[ \t]|$)/m.test(source)) return { ok: false }; // `m`: a `key:` ending its line too
  // An anchor with a flow collection right after it, no space between (`&a[x]`): js-yaml reads it, YAML (and Hermes) refuse it.
  if (/&[^\s,[\]{}]*[[{]/.test(source)) return { ok: false };
  // A comment line less indented than the line after it (between a key and its value, say): the readings differ.
  if (/^([ \t]*)#[^\n]*\n\1[ \t]+\S/m.test(source)) return { ok: false };
  try {
    const events = parseEvents(source, {});
    const plain = constructPlain(events, source);
    if (plain !== USE_JS_YAML) return { ok: true, value: plain };
    // Aliases need anchors: without an `&` there is nothing to check.
    const anchored = source.includes('&');
    if (anchored && aliasesAnOpenNode(events, source)) return { ok: false };
    const documents = constructWithJsYaml(events, source);
    if (documents.length !== 1) return { ok: false };
    const value = documents[0];
    if (anchored && expandsTooMuch(value)) return { ok: false };
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}
