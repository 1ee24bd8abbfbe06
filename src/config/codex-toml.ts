/**
 * Parsing Codex's `config.toml` with smol-toml, turning syntax errors into
 * a {@link ConfigSyntaxError} with file, line and column.
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigSyntaxError } from '../core/errors.js';

export type TomlTable = Record<string, unknown>;

/**
 * Parse TOML text (a leading BOM is allowed).
 * @throws ConfigSyntaxError with `file:line:col` when the text is not valid TOML.
 */
export function parseCodexToml(text: string, path: string, remediation?: string): TomlTable {
  try {
    return parse(text.replace(/^\uFEFF/, '')) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const detail = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
      // smol-toml counts the BOM we removed as nothing, so line/column already match the file.
      throw new ConfigSyntaxError(`${path}:${err.line}:${err.column}: TOML error: ${detail}`, {
        location: { file: path, line: err.line, column: err.column },
        remediation: remediation ?? 'Fix the TOML at that line; nothing was written.',
      });
    }
    throw err;
  }
}

/**
 * A canonical JSON text of a parsed TOML value (object keys sorted by code
 * unit, except that array-index keys such as `"0"` come first in numeric
 * order, as in any JavaScript object built in sorted order; dates as `{"$date": ISO}`, non-finite numbers as `{"$number": "Infinity"}`),
 * used to compare values and to fingerprint the entries hermes-codex writes.
 * Exactly `JSON.stringify` of that sorted form (the format the ownership
 * record's digests were made with), written in one pass without building it.
 * @returns the text, or undefined for an undefined value (as `JSON.stringify`)
 * @throws TypeError on a bigint, as `JSON.stringify` does
 */
export function canonicalJson(value: unknown): string {
  return canonical(value) as string;
}

/**
 * {@link canonicalJson} of a table, with each member's own canonical text
 * (undefined for an undefined member), made in one pass: the text is built
 * from the members' texts exactly as `canonicalJson` builds it.
 */
export function canonicalMembers(table: Record<string, unknown>): { text: string; members: Map<string, string | undefined> } {
  const members = new Map<string, string | undefined>();
  if (table instanceof Date) return { text: canonical(table)!, members };
  const parts: string[] = [];
  for (const k of sortedKeys(table)) {
    const v = canonical(table[k]);
    members.set(k, v);
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
  }
  return { text: `{${parts.join(',')}}`, members };
}

function canonical(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : `{"$number":${JSON.stringify(String(value))}}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return allStrings(value) ? JSON.stringify(value) : `[${value.map((v) => canonical(v) ?? 'null').join(',')}]`;
      if (value instanceof Date) return `{"$date":${JSON.stringify(value.toISOString())}}`;
      const parts: string[] = [];
      for (const k of sortedKeys(value)) {
        const v = canonical((value as Record<string, unknown>)[k]);
        if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return JSON.stringify(value); // undefined, functions, symbols: undefined; bigint: throws
  }
}

/**
 * Whether plain JSON keeps a parsed TOML value as {@link canonicalJson} sees
 * it: `JSON.parse(JSON.stringify(value))` then has the same canonical text,
 * and two such values with the same `JSON.stringify` text have the same
 * canonical text. True for strings, booleans, null, finite numbers, arrays
 * without holes and plain objects (prototype `Object.prototype` or null) of
 * those. False for dates (JSON writes them as strings), non-finite numbers
 * (JSON writes null), bigints (JSON.stringify throws), undefined and
 * anything else. Pure; walks the whole value.
 */
export function jsonFaithful(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonFaithful(value[i])) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k of Object.keys(value)) if (!jsonFaithful((value as Record<string, unknown>)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** Whether every element is a string (then `JSON.stringify` of the array is its canonical text: each string's, joined by commas). A hole is not a string. */
function allStrings(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'string') return false;
  return true;
}

function startsWithDigit(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Keys in the order an object built by inserting the sorted keys enumerates them. */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value).sort();
  // Index keys (usually none) start with a digit.
  if (!keys.some(startsWithDigit)) return keys;
  const index = keys.filter((k) => /^(?:0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295);
  if (index.length === 0) return keys;
  const rest = keys.filter((k) => !index.includes(k));
  return [...index.sort((a, b) => Number(a) - Number(b)), ...rest];
}
